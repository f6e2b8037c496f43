<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi" sourcelanguage="en">
<context>
    <name>AccountMessages</name>
    <message>
        <location filename="../../ui/officers_dialog.py" line="37"/>
        <source>You cannot disable your own account.</source>
        <translation>आप अपना ही खाता निष्क्रिय नहीं कर सकते।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="42"/>
        <source>The password must be at least %1 characters long.</source>
        <translation>पासवर्ड कम से कम %1 अक्षरों का होना चाहिए।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="45"/>
        <source>The password must not be the officer&apos;s login name.</source>
        <translation>पासवर्ड अधिकारी का लॉगिन नाम नहीं हो सकता।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="48"/>
        <source>Login name: use 2-40 letters a-z, digits, &apos;.&apos;, &apos;_&apos; or &apos;-&apos; (e.g. si.verma).</source>
        <translation>लॉगिन नाम: 2-40 अक्षर लिखें — अंग्रेज़ी छोटे अक्षर a-z, अंक, &apos;.&apos;, &apos;_&apos; या &apos;-&apos; (जैसे si.verma)।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="52"/>
        <source>An officer with this login name already exists.</source>
        <translation>इस लॉगिन नाम से एक अधिकारी पहले से मौजूद है।</translation>
    </message>
</context>
<context>
    <name>Action</name>
    <message>
        <location filename="../../ui/labels.py" line="98"/>
        <source>Traced…</source>
        <translation>पता चला…</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="99"/>
        <source>Recovered…</source>
        <translation>दस्तयाब…</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="100"/>
        <source>Restored to guardian…</source>
        <translation>अभिभावक को सुपुर्द…</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="101"/>
        <source>Identified…</source>
        <translation>पहचान हुई…</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="102"/>
        <source>Close case…</source>
        <translation>प्रकरण बंद करें…</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="103"/>
        <source>Reopen…</source>
        <translation>फिर से खोलें…</translation>
    </message>
</context>
<context>
    <name>AlertBadge</name>
    <message>
        <location filename="../../ui/alert_inbox.py" line="141"/>
        <source>Match alerts: %1</source>
        <translation>मिलान अलर्ट: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="142"/>
        <source>Open face-match alerts waiting for an officer&apos;s verdict</source>
        <translation>चेहरा-मिलान अलर्ट जिन पर अधिकारी का निर्णय बाकी है</translation>
    </message>
</context>
<context>
    <name>AlertInbox</name>
    <message>
        <location filename="../../ui/alert_inbox.py" line="237"/>
        <source>Match alerts — leads to review</source>
        <translation>मिलान अलर्ट — जाँचने योग्य संकेत</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="240"/>
        <source>All districts</source>
        <translation>सभी जिले</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="246"/>
        <source>Closest first</source>
        <translation>सबसे निकट पहले</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="247"/>
        <source>Newest first</source>
        <translation>नवीनतम पहले</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="248"/>
        <source>By district</source>
        <translation>जिलेवार</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="251"/>
        <source>Raised:</source>
        <translation>अलर्ट तिथि:</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="252"/>
        <source>Raised on or after (YYYY-MM-DD)</source>
        <translation>इस तिथि या बाद के अलर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="253"/>
        <source>Raised on or before (YYYY-MM-DD)</source>
        <translation>इस तिथि या पहले के अलर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="254"/>
        <source>&amp;Compare…</source>
        <translation>&amp;तुलना करें…</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="258"/>
        <source>Missing child</source>
        <translation>गुमशुदा बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="260"/>
        <source>Found child</source>
        <translation>मिला बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="261"/>
        <source>Distance</source>
        <translation>दूरी</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="262"/>
        <source>Where the found child is now</source>
        <translation>मिला बच्चा अभी कहाँ है</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="263"/>
        <source>Raised on</source>
        <translation>अलर्ट तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="338"/>
        <source>(no name)</source>
        <translation>(नाम नहीं)</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="343"/>
        <source>%1 then, about %2 now</source>
        <translation>तब %1, अब लगभग %2</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="348"/>
        <source>looks %1</source>
        <translation>दिखने में %1</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="360"/>
        <source>Phone: %1</source>
        <translation>फ़ोन: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="362"/>
        <source>Found on %1</source>
        <translation>%1 को मिला</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="397"/>
        <source>Open alerts: &lt;b&gt;%1&lt;/b&gt;. A face match is a lead, not an identification.</source>
        <translation>खुले अलर्ट: &lt;b&gt;%1&lt;/b&gt;। चेहरा मिलान केवल संकेत है, पहचान नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="400"/>
        <source>No open alerts.</source>
        <translation>कोई खुला अलर्ट नहीं।</translation>
    </message>
</context>
<context>
    <name>AlertsController</name>
    <message>
        <location filename="../../ui/alert_inbox.py" line="477"/>
        <source>&amp;Match alerts…</source>
        <translation>&amp;मिलान अलर्ट…</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="478"/>
        <source>Search by &amp;photo…</source>
        <translation>&amp;फ़ोटो से खोजें…</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="480"/>
        <source>Pick a photo (or drop one anywhere in the window) to see ranked candidates</source>
        <translation>फ़ोटो चुनें (या विंडो में कहीं भी छोड़ें) और क्रमवार संभावित बच्चे देखें</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="527"/>
        <source>Search by photo</source>
        <translation>फ़ोटो से खोजें</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../ui/audit_view.py" line="137"/>
        <source>The audit trail is cut short: rows %1 to %2 were recorded and are now missing from its end.</source>
        <translation>ऑडिट रिकॉर्ड छोटा कर दिया गया है: पंक्तियाँ %1 से %2 तक दर्ज की गई थीं और अब इसके अंत से गायब हैं।</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="145"/>
        <source>The end of the audit trail cannot be trusted: its anchor is missing or was altered.</source>
        <translation>ऑडिट रिकॉर्ड के अंत पर भरोसा नहीं किया जा सकता: इसका एंकर गायब है या बदला गया है।</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="37"/>
        <source>Audit trail</source>
        <translation>ऑडिट रिकॉर्ड</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="42"/>
        <location filename="../../ui/audit_view.py" line="63"/>
        <source>Officer</source>
        <translation>अधिकारी</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="44"/>
        <source>Action (e.g. case_view, export, login)</source>
        <translation>कार्य (जैसे case_view, export, login)</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="46"/>
        <source>Case id</source>
        <translation>प्रकरण आईडी</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="47"/>
        <source>Show</source>
        <translation>दिखाएँ</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="49"/>
        <source>Verify the chain</source>
        <translation>शृंखला जाँचें</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="61"/>
        <source>Row</source>
        <translation>पंक्ति</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="62"/>
        <source>When (UTC)</source>
        <translation>कब (UTC)</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="64"/>
        <source>Action</source>
        <translation>कार्य</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="65"/>
        <source>Record</source>
        <translation>अभिलेख</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="66"/>
        <source>Details</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="74"/>
        <source>Older events</source>
        <translation>पुरानी घटनाएँ</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="122"/>
        <source>Checking…</source>
        <translation>जाँच हो रही है…</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="153"/>
        <source>The audit trail is intact: %1 events checked.</source>
        <translation>ऑडिट रिकॉर्ड सुरक्षित है: %1 घटनाएँ जाँची गईं।</translation>
    </message>
    <message>
        <location filename="../../ui/audit_view.py" line="162"/>
        <source>The audit trail is broken at row %1 (%2, %3 by %4): this row or the one before it was changed or deleted after it was written.</source>
        <translation>ऑडिट रिकॉर्ड पंक्ति %1 पर टूटा है (%2, %3 — कर्ता %4): यह पंक्ति या इससे पहले वाली पंक्ति लिखे जाने के बाद बदली या हटाई गई।</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <location filename="../../ui/case_form.py" line="66"/>
        <source>The report</source>
        <translation>रिपोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="78"/>
        <location filename="../../ui/case_form.py" line="93"/>
        <source>The child</source>
        <translation>बच्चे का विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="80"/>
        <source>Last seen</source>
        <translation>अंतिम बार देखा गया</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="84"/>
        <source>Parent or guardian</source>
        <translation>माता-पिता या अभिभावक</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="90"/>
        <source>Where and when found</source>
        <translation>कहां और कब मिला</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="95"/>
        <source>Care and orders</source>
        <translation>देखरेख और आदेश</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="225"/>
        <source>New missing child report</source>
        <translation>गुमशुदा बच्चे की नई रिपोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="227"/>
        <source>New found / rescued child record</source>
        <translation>मिले / मुक्त कराए गए बच्चे का नया अभिलेख</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="230"/>
        <source>Edit case</source>
        <translation>प्रकरण संपादित करें</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="234"/>
        <source>Photos</source>
        <translation>फोटो</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="247"/>
        <source>* required. A missing child&apos;s name may be given in either script; give the age or the date of birth.</source>
        <translation>* अनिवार्य। गुमशुदा बच्चे का नाम किसी भी लिपि में लिखा जा सकता है; आयु या जन्म तिथि दें।</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="345"/>
        <source>Photo not added</source>
        <translation>फोटो नहीं जुड़ी</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="414"/>
        <source>Case saved; photos not saved</source>
        <translation>मामला सहेजा गया; फ़ोटो नहीं सहेजी गईं</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="416"/>
        <source>The case is saved, but not the photos %1: %2. Fix that and press Save again to add them to this case.</source>
        <translation>मामला सहेज लिया गया है, पर फ़ोटो %1 नहीं: %2। इसे ठीक करें और इन्हें इसी मामले में जोड़ने के लिए फिर से सहेजें दबाएँ।</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="449"/>
        <source>%1: kept with the case, but not used for matching: %2</source>
        <translation>%1: मामले के साथ रखी गई, पर मिलान में उपयोग नहीं होगी: %2</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="455"/>
        <source>%1: not saved: %2</source>
        <translation>%1: नहीं सहेजी गई: %2</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="459"/>
        <source>Case saved; some photos need attention</source>
        <translation>मामला सहेजा गया; कुछ फ़ोटो पर ध्यान दें</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="470"/>
        <source>same guardian phone</source>
        <translation>अभिभावक का फोन नंबर समान</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="472"/>
        <source>similar name, age and district</source>
        <translation>मिलता-जुलता नाम, आयु और जिला</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="477"/>
        <source>Possible duplicate</source>
        <translation>संभावित दोहरी प्रविष्टि</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="478"/>
        <source>This report looks like a case already in the register:</source>
        <translation>यह रिपोर्ट रजिस्टर में पहले से दर्ज प्रकरण जैसी लगती है:</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="482"/>
        <source>Save it as a new case anyway?</source>
        <translation>फिर भी इसे नए प्रकरण के रूप में सहेजें?</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="506"/>
        <source>Unsaved changes</source>
        <translation>बिना सहेजे बदलाव</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="507"/>
        <source>This form has changes that are not saved. Save them before closing?</source>
        <translation>इस फॉर्म में कुछ बदलाव सहेजे नहीं गए हैं। बंद करने से पहले सहेजें?</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <location filename="../../ui/case_view.py" line="235"/>
        <source>Opening the case…</source>
        <translation>मामला खोला जा रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="275"/>
        <source>(no name)</source>
        <translation>(नाम नहीं)</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="289"/>
        <source>Details</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="290"/>
        <source>Photos</source>
        <translation>फोटो</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="291"/>
        <source>Lifecycle</source>
        <translation>प्रगति</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="292"/>
        <source>Tracing log</source>
        <translation>पतासाजी विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="293"/>
        <source>Risk</source>
        <translation>जोखिम</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="334"/>
        <source>What was done to trace the child</source>
        <translation>बच्चे की पतासाजी के लिए क्या किया गया</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="335"/>
        <source>Add to log</source>
        <translation>विवरण में जोड़ें</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="345"/>
        <source>Risk &lt;b&gt;%1&lt;/b&gt;, assessed %2 by %3. Review due &lt;b&gt;%4&lt;/b&gt;%5</source>
        <translation>जोखिम &lt;b&gt;%1&lt;/b&gt;, %2 को %3 द्वारा आकलित। अगली समीक्षा &lt;b&gt;%4&lt;/b&gt;%5</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="352"/>
        <source>overdue</source>
        <translation>समय निकल गया</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="361"/>
        <source>No risk assessment yet.</source>
        <translation>अभी जोखिम आकलन नहीं हुआ है।</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="362"/>
        <source>Record assessment</source>
        <translation>आकलन दर्ज करें</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="386"/>
        <source>Notice (PDF)…</source>
        <translation>सूचना पत्र (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="390"/>
        <source>Edit…</source>
        <translation>संपादित करें…</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="472"/>
        <source>Save the notice</source>
        <translation>सूचना पत्र सहेजें</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="480"/>
        <source>Guardian&apos;s phone</source>
        <translation>अभिभावक का फोन</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="481"/>
        <source>Print the guardian&apos;s phone number on the notice?</source>
        <translation>क्या सूचना पत्र पर अभिभावक का फोन नंबर छापें?</translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <location filename="../../ui/labels.py" line="91"/>
        <source>Lost</source>
        <translation>भटक गया/गई</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="92"/>
        <source>Ran away</source>
        <translation>घर से भागा/भागी</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="93"/>
        <source>Kidnapped / abducted</source>
        <translation>व्यपहरण / अपहरण</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="94"/>
        <source>Suspected trafficking</source>
        <translation>मानव तस्करी की आशंका</translation>
    </message>
</context>
<context>
    <name>Closure</name>
    <message>
        <location filename="../../ui/labels.py" line="107"/>
        <source>Returned home on own</source>
        <translation>स्वयं घर लौट आया/आई</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="108"/>
        <source>Found dead</source>
        <translation>मृत पाया गया/गई</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="109"/>
        <source>Duplicate report</source>
        <translation>दोहरी रिपोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="110"/>
        <source>False report</source>
        <translation>झूठी रिपोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="111"/>
        <source>Transferred to another station</source>
        <translation>दूसरे थाने को स्थानांतरित</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="112"/>
        <source>Other</source>
        <translation>अन्य</translation>
    </message>
</context>
<context>
    <name>Compare</name>
    <message>
        <location filename="../../ui/compare_view.py" line="78"/>
        <source>Name</source>
        <translation>नाम</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="79"/>
        <source>Sex</source>
        <translation>लिंग</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="80"/>
        <source>Age then → now</source>
        <translation>आयु तब → अब</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="81"/>
        <source>Height (cm)</source>
        <translation>ऊँचाई (सेमी)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="82"/>
        <source>Complexion</source>
        <translation>रंग</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="83"/>
        <source>Eyes</source>
        <translation>आँखें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="84"/>
        <source>Hair</source>
        <translation>बाल</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="85"/>
        <source>Identification marks</source>
        <translation>पहचान चिह्न</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="86"/>
        <source>Clothing</source>
        <translation>कपड़े</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="87"/>
        <source>Languages</source>
        <translation>भाषाएँ</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="88"/>
        <source>Last seen / found at</source>
        <translation>अंतिम बार देखा / मिला (स्थान)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="89"/>
        <source>Last seen / found on</source>
        <translation>अंतिम बार देखा / मिला (तिथि)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="92"/>
        <source>agrees</source>
        <translation>मेल खाता है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="93"/>
        <source>contradicts</source>
        <translation>विरोधाभास</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="94"/>
        <source>check</source>
        <translation>जाँचें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="111"/>
        <source>Confirmed: the same child</source>
        <translation>पुष्टि: वही बच्चा है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="112"/>
        <source>Rejected: not the same child</source>
        <translation>अस्वीकार: वही बच्चा नहीं है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="113"/>
        <source>Inconclusive: needs more checking</source>
        <translation>अनिर्णीत: और जाँच चाहिए</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="797"/>
        <source>open</source>
        <translation>खुला</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="798"/>
        <source>confirmed</source>
        <translation>पुष्ट</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="799"/>
        <source>rejected</source>
        <translation>अस्वीकृत</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="800"/>
        <source>inconclusive</source>
        <translation>अनिर्णीत</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <location filename="../../ui/compare_view.py" line="385"/>
        <source>Match sheet (PDF)…</source>
        <translation>मिलान पत्रक (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="729"/>
        <source>Save the match sheet</source>
        <translation>मिलान पत्रक सहेजें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="354"/>
        <source>Compare a missing child and a found child</source>
        <translation>गुमशुदा और मिले बच्चे की तुलना</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="355"/>
        <source>Zoom (both photos):</source>
        <translation>ज़ूम (दोनों फ़ोटो):</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="356"/>
        <source>Fit faces</source>
        <translation>चेहरे फ़िट करें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="357"/>
        <source>Show landmarks</source>
        <translation>चेहरे के बिंदु दिखाएँ</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="360"/>
        <source>Eye-aligned faces: turned and scaled so the eyes are level and the same distance apart (red marks). Slide to cross-fade from the missing child to the found child.</source>
        <translation>आँखों से संरेखित चेहरे: घुमाकर और छोटा-बड़ा करके आँखें एक सीध में और बराबर दूरी पर (लाल निशान)। स्लाइडर से गुमशुदा बच्चे से मिले बच्चे तक धीरे-धीरे बदलें।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="365"/>
        <source>Blink (B)</source>
        <translation>बारी-बारी दिखाएँ (B)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="366"/>
        <source>Records side by side</source>
        <translation>अभिलेख साथ-साथ</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="367"/>
        <source>Other candidates</source>
        <translation>अन्य संभावित बच्चे</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="369"/>
        <source>Missing child</source>
        <translation>गुमशुदा बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="369"/>
        <source>Found child</source>
        <translation>मिला बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="372"/>
        <source>Case</source>
        <translation>प्रकरण</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="372"/>
        <source>Distance</source>
        <translation>दूरी</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="372"/>
        <source>Why it ranks here</source>
        <translation>इस क्रम का कारण</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="374"/>
        <source>Officer&apos;s verdict</source>
        <translation>अधिकारी का निर्णय</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="379"/>
        <source>What was checked: photos compared, records, call to the family or the home (required to confirm)</source>
        <translation>क्या जाँचा गया: फ़ोटो की तुलना, अभिलेख, परिवार या बालगृह से बात (पुष्टि के लिए आवश्यक)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="383"/>
        <source>Record verdict</source>
        <translation>निर्णय दर्ज करें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="384"/>
        <source>Mark the missing child traced…</source>
        <translation>गुमशुदा बच्चे को &apos;पता चला&apos; दर्ज करें…</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="386"/>
        <source>Open missing child&apos;s case</source>
        <translation>गुमशुदा बच्चे का प्रकरण खोलें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="387"/>
        <source>Open found child&apos;s record</source>
        <translation>मिले बच्चे का अभिलेख खोलें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="487"/>
        <location filename="../../ui/compare_view.py" line="598"/>
        <source>(no name)</source>
        <translation>(नाम नहीं)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="503"/>
        <source>Face distance &lt;b&gt;%1&lt;/b&gt; (alert level %2) · alert %3</source>
        <translation>चेहरे की दूरी &lt;b&gt;%1&lt;/b&gt; (अलर्ट सीमा %2) · अलर्ट %3</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="512"/>
        <source>No alert between these two children yet.</source>
        <translation>इन दोनों बच्चों के बीच अभी कोई अलर्ट नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="514"/>
        <source>cases linked</source>
        <translation>प्रकरण जुड़े</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="516"/>
        <source>A face match is a lead, not an identification: the child&apos;s identity is confirmed by the officer, with the family, before any hand-over.</source>
        <translation>चेहरा मिलान केवल संकेत है, पहचान नहीं: सुपुर्दगी से पहले अधिकारी परिवार के साथ बच्चे की पहचान की पुष्टि करते हैं।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="542"/>
        <source>No verdict recorded yet.</source>
        <translation>अभी कोई निर्णय दर्ज नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="560"/>
        <source>undated</source>
        <translation>तिथि नहीं</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="666"/>
        <source>Pick a verdict first.</source>
        <translation>पहले निर्णय चुनें।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="672"/>
        <source>Write what was checked before recording this verdict (photos compared, records, call to the family or the home).</source>
        <translation>यह निर्णय दर्ज करने से पहले लिखें कि क्या जाँचा गया (फ़ोटो की तुलना, अभिलेख, परिवार या बालगृह से बात)।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="682"/>
        <source>Both photos need a face to record a verdict.</source>
        <translation>निर्णय दर्ज करने के लिए दोनों फ़ोटो में चेहरा होना चाहिए।</translation>
    </message>
</context>
<context>
    <name>ConflictsDialog</name>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="38"/>
        <location filename="../../ui/conflicts_dialog.py" line="142"/>
        <source>Conflicts to review</source>
        <translation>समीक्षा हेतु टकराव</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="43"/>
        <source>Two officers changed the same detail while offline. The later change was kept; the other value is shown here so nothing is lost. Pick the value to keep.</source>
        <translation>दो अधिकारियों ने ऑफ़लाइन रहते हुए एक ही विवरण बदला। बाद वाला बदलाव रखा गया; दूसरा मान यहाँ दिखाया गया है ताकि कुछ भी न खोए। रखने के लिए मान चुनें।</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="53"/>
        <source>Case</source>
        <translation>प्रकरण</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="54"/>
        <source>Detail</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="55"/>
        <source>Current value</source>
        <translation>वर्तमान मान</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="56"/>
        <source>Other value</source>
        <translation>दूसरा मान</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="57"/>
        <source>Other value by</source>
        <translation>दूसरा मान किसका</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="58"/>
        <source>When</source>
        <translation>कब</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="68"/>
        <source>Keep the current value</source>
        <translation>वर्तमान मान रखें</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="70"/>
        <source>Use the other value</source>
        <translation>दूसरा मान लें</translation>
    </message>
    <message>
        <location filename="../../ui/conflicts_dialog.py" line="76"/>
        <source>Nothing to review.</source>
        <translation>समीक्षा के लिए कुछ नहीं।</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/errors.py" line="24"/>
        <source>Please check</source>
        <translation>कृपया जांचें</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="28"/>
        <location filename="../../ui/errors.py" line="34"/>
        <source>Muskan Desktop</source>
        <translation>मुस्कान डेस्कटॉप</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="35"/>
        <source>The file could not be read or written: %1</source>
        <translation>फाइल पढ़ी या लिखी नहीं जा सकी: %1</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="43"/>
        <source>Muskan Desktop — unexpected error</source>
        <translation>मुस्कान डेस्कटॉप — अनपेक्षित त्रुटि</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="46"/>
        <source>Something went wrong inside Muskan Desktop. Your saved work is safe. Please send the log file to the district IT cell:
%1</source>
        <translation>मुस्कान डेस्कटॉप में कोई गड़बड़ी हुई। आपका सहेजा गया काम सुरक्षित है। कृपया लॉग फाइल जिला आईटी सेल को भेजें:
%1</translation>
    </message>
</context>
<context>
    <name>Field</name>
    <message>
        <location filename="../../ui/labels.py" line="14"/>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="15"/>
        <source>Name (English letters)</source>
        <translation>नाम (अंग्रेजी अक्षरों में)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="16"/>
        <source>Name (Devanagari)</source>
        <translation>नाम (देवनागरी में)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="17"/>
        <source>Other names</source>
        <translation>अन्य नाम</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="18"/>
        <source>Sex</source>
        <translation>लिंग</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="19"/>
        <source>Date of birth</source>
        <translation>जन्म तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="20"/>
        <source>Age (years)</source>
        <translation>आयु (वर्ष)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="21"/>
        <source>Height (cm)</source>
        <translation>कद (सेमी)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="22"/>
        <source>Build</source>
        <translation>शारीरिक बनावट</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="23"/>
        <source>Complexion</source>
        <translation>रंग</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="24"/>
        <source>Hair</source>
        <translation>बाल</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="25"/>
        <source>Eyes</source>
        <translation>आंखें</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="26"/>
        <source>Identification marks</source>
        <translation>पहचान चिह्न</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="27"/>
        <source>Clothing</source>
        <translation>पहने हुए कपड़े</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="28"/>
        <source>Languages spoken</source>
        <translation>बोली जाने वाली भाषाएं</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="29"/>
        <source>Date reported</source>
        <translation>रिपोर्ट की तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="30"/>
        <source>FIR number</source>
        <translation>एफआईआर क्रमांक</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="31"/>
        <source>FIR date</source>
        <translation>एफआईआर तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="32"/>
        <source>GD number</source>
        <translation>जीडी क्रमांक</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="33"/>
        <source>GD date</source>
        <translation>जीडी तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="34"/>
        <source>Sections of law</source>
        <translation>धाराएं</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="35"/>
        <source>Last seen on</source>
        <translation>अंतिम बार देखा गया (तिथि)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="36"/>
        <source>Last seen at (time)</source>
        <translation>अंतिम बार देखा गया (समय)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="37"/>
        <source>Last seen at (place)</source>
        <translation>अंतिम बार देखा गया (स्थान)</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="38"/>
        <source>Circumstances</source>
        <translation>परिस्थितियां</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="39"/>
        <source>Category</source>
        <translation>श्रेणी</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="40"/>
        <source>Guardian&apos;s name</source>
        <translation>अभिभावक का नाम</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="41"/>
        <source>Relation to child</source>
        <translation>बच्चे से संबंध</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="42"/>
        <source>Guardian&apos;s phone</source>
        <translation>अभिभावक का फोन</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="43"/>
        <source>Guardian&apos;s address</source>
        <translation>अभिभावक का पता</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="44"/>
        <source>Investigating officer</source>
        <translation>विवेचक</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="45"/>
        <source>Found on</source>
        <translation>मिलने की तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="46"/>
        <source>Found at (place)</source>
        <translation>मिलने का स्थान</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="47"/>
        <source>Found by</source>
        <translation>किसने पाया</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="48"/>
        <source>Child care institution</source>
        <translation>बाल देखरेख संस्था</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="49"/>
        <source>CCI address</source>
        <translation>संस्था का पता</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="50"/>
        <source>CCI phone</source>
        <translation>संस्था का फोन</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="51"/>
        <source>CWC order</source>
        <translation>बाल कल्याण समिति (CWC) आदेश</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="53"/>
        <source>State where located</source>
        <translation>राज्य, जहां पता चला</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="54"/>
        <source>Place where located</source>
        <translation>स्थान, जहां पता चला</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="55"/>
        <source>Located on</source>
        <translation>पता चलने की तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="56"/>
        <source>Team sent</source>
        <translation>भेजा गया दल</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="57"/>
        <source>Recovered on</source>
        <translation>दस्तयाबी की तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="58"/>
        <source>Restored on</source>
        <translation>सुपुर्दगी की तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="59"/>
        <source>Handed over to</source>
        <translation>किसे सुपुर्द किया</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="60"/>
        <source>Their relation to the child</source>
        <translation>उनका बच्चे से संबंध</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="61"/>
        <source>Reason for closing</source>
        <translation>बंद करने का कारण</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="62"/>
        <source>Closed on</source>
        <translation>बंद करने की तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="63"/>
        <source>Identified as</source>
        <translation>पहचान का विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="64"/>
        <source>Note</source>
        <translation>टिप्पणी</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="65"/>
        <source>Police station</source>
        <translation>थाना</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="66"/>
        <source>District</source>
        <translation>जिला</translation>
    </message>
</context>
<context>
    <name>ImportReportDialog</name>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="29"/>
        <source>Import finished</source>
        <translation>आयात पूरा हुआ</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="33"/>
        <source>%1 cases imported; %2 rows had mistakes and were not imported.</source>
        <translation>%1 प्रकरण आयात हुए; %2 पंक्तियों में गलतियां थीं, वे आयात नहीं हुईं।</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="45"/>
        <source>Save error report…</source>
        <translation>त्रुटि रिपोर्ट सहेजें…</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="55"/>
        <source>Save error report</source>
        <translation>त्रुटि रिपोर्ट सहेजें</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <location filename="../../ui/labels.py" line="80"/>
        <source>Missing child</source>
        <translation>गुमशुदा बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="81"/>
        <source>Found child</source>
        <translation>मिला बच्चा</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="129"/>
        <source>Log in — Muskan Desktop</source>
        <translation>लॉग इन — मुस्कान डेस्कटॉप</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="130"/>
        <source>Log in with your officer name and password.</source>
        <translation>अपने अधिकारी नाम और पासवर्ड से लॉग इन करें।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="135"/>
        <source>Officer</source>
        <translation>अधिकारी</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="136"/>
        <source>Password</source>
        <translation>पासवर्ड</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="137"/>
        <source>Log in</source>
        <translation>लॉग इन</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="245"/>
        <source>Register passphrase</source>
        <translation>रजिस्टर का पासफ़्रेज़</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="246"/>
        <source>This computer has no keyring to keep the register&apos;s key (%1). Enter the register&apos;s passphrase (a new register is protected with it; keep it safe).</source>
        <translation>इस कंप्यूटर में रजिस्टर की कुंजी रखने के लिए कीरिंग नहीं है (%1)। रजिस्टर का पासफ़्रेज़ दर्ज करें (नया रजिस्टर इसी से सुरक्षित होता है; इसे सँभालकर रखें)।</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="248"/>
        <source>All stations</source>
        <translation>सभी थाने</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="259"/>
        <source>Muskan Desktop — register of missing and found children</source>
        <translation>मुस्कान डेस्कटॉप — गुमशुदा और मिले बच्चों का रजिस्टर</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="260"/>
        <source>&amp;Search name:</source>
        <translation>नाम खोजें (&amp;S):</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="261"/>
        <source>Name in Hindi or English (Ctrl+F)</source>
        <translation>हिंदी या अंग्रेजी में नाम (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="265"/>
        <source>Missing and found</source>
        <translation>गुमशुदा और मिले</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="272"/>
        <source>Any status</source>
        <translation>सभी स्थितियां</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="276"/>
        <source>All districts</source>
        <translation>सभी जिले</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="282"/>
        <source>Boys and girls</source>
        <translation>बालक और बालिका</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="287"/>
        <source>Any age</source>
        <translation>सभी आयु</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="288"/>
        <source>%1 years</source>
        <translation>%1 वर्ष</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="290"/>
        <source>Reported:</source>
        <translation>रिपोर्ट तिथि:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="291"/>
        <source>Reported on or after (YYYY-MM-DD)</source>
        <translation>इस तिथि को या बाद में रिपोर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="292"/>
        <source>Reported on or before (YYYY-MM-DD)</source>
        <translation>इस तिथि को या पहले रिपोर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="293"/>
        <source>Clear</source>
        <translation>साफ करें</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="294"/>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="295"/>
        <source>New &amp;missing child report</source>
        <translation>गुमशुदा बच्चे की नई रिपोर्ट (&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="296"/>
        <source>New &amp;found child record</source>
        <translation>मिले बच्चे का नया अभिलेख (&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="297"/>
        <source>&amp;Search</source>
        <translation>खोजें (&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="298"/>
        <source>&amp;Import CSV…</source>
        <translation>CSV आयात करें (&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="299"/>
        <source>&amp;Export…</source>
        <translation>निर्यात करें (&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="300"/>
        <source>Review &amp;report (PDF)…</source>
        <translation>समीक्षा रिपोर्ट (PDF) (&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="301"/>
        <source>&amp;Quit</source>
        <translation>बाहर निकलें (&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="306"/>
        <source>&amp;About Muskan Desktop</source>
        <translation>मुस्कान डेस्कटॉप के बारे में (&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="307"/>
        <source>&amp;Register</source>
        <translation>रजिस्टर (&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="308"/>
        <source>&amp;View</source>
        <translation>दृश्य (&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="309"/>
        <source>&amp;Language / भाषा</source>
        <translation>भाषा / Language (&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="310"/>
        <source>&amp;Help</source>
        <translation>सहायता (&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="329"/>
        <source>Opening the register…</source>
        <translation>रजिस्टर खुल रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="506"/>
        <source>No cases yet.</source>
        <translation>अभी कोई प्रकरण नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="508"/>
        <source>%1 cases shown</source>
        <translation>%1 प्रकरण दिखाए गए</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="536"/>
        <source>Saved.</source>
        <translation>सहेजा गया।</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="583"/>
        <source>About Muskan Desktop</source>
        <translation>मुस्कान डेस्कटॉप के बारे में</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="585"/>
        <source>Muskan Desktop %1
The station&apos;s register of missing and found children.</source>
        <translation>मुस्कान डेस्कटॉप %1
थाने का गुमशुदा और मिले बच्चों का रजिस्टर।</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="70"/>
        <source>Import a register (CSV)</source>
        <translation>रजिस्टर आयात करें (CSV)</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="96"/>
        <source>Importing</source>
        <translation>आयात हो रहा है</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="105"/>
        <source>Export the cases shown</source>
        <translation>दिखाए गए प्रकरण निर्यात करें</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="124"/>
        <source>%1 cases exported to %2</source>
        <translation>%1 प्रकरण %2 में निर्यात किए गए</translation>
    </message>
    <message>
        <location filename="../../ui/transfer_dialogs.py" line="137"/>
        <source>Exporting</source>
        <translation>निर्यात हो रहा है</translation>
    </message>
</context>
<context>
    <name>OfficerDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="160"/>
        <source>Officer account</source>
        <translation>अधिकारी खाता</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="163"/>
        <source>Create the station house officer&apos;s account. From now on everyone logs in, and the SHO adds the other officers.</source>
        <translation>थाना प्रभारी का खाता बनाएँ। अब से सभी लॉग इन करेंगे, और थाना प्रभारी अन्य अधिकारियों को जोड़ेंगे।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="167"/>
        <source>A new officer account for this station.</source>
        <translation>इस थाने के लिए नया अधिकारी खाता।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="180"/>
        <source>Login name</source>
        <translation>लॉगिन नाम</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="181"/>
        <source>Full name</source>
        <translation>पूरा नाम</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="182"/>
        <source>Role</source>
        <translation>भूमिका</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="183"/>
        <source>Password</source>
        <translation>पासवर्ड</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="184"/>
        <source>Password again</source>
        <translation>पासवर्ड दोबारा</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="188"/>
        <source>The two passwords differ.</source>
        <translation>दोनों पासवर्ड अलग हैं।</translation>
    </message>
</context>
<context>
    <name>OfficerMenu</name>
    <message>
        <location filename="../../ui/officer_menu.py" line="84"/>
        <source>&amp;Officer</source>
        <translation>&amp;अधिकारी</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="85"/>
        <source>&amp;Audit trail…</source>
        <translation>&amp;ऑडिट रिकॉर्ड…</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="86"/>
        <source>&amp;Officer accounts…</source>
        <translation>&amp;अधिकारी खाते…</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="87"/>
        <source>&amp;Change my password…</source>
        <translation>मेरा पासवर्ड &amp;बदलें…</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="88"/>
        <source>&amp;Log out</source>
        <translation>&amp;लॉग आउट</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="108"/>
        <source>Register passphrase</source>
        <translation>रजिस्टर का पासफ़्रेज़</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="137"/>
        <source>Logged in as %1 (%2).</source>
        <translation>%1 (%2) के रूप में लॉग इन।</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="146"/>
        <source>An administrator manages accounts; case data is not shown.</source>
        <translation>व्यवस्थापक खाते सँभालते हैं; प्रकरणों का विवरण नहीं दिखाया जाता।</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="227"/>
        <source>Officer account</source>
        <translation>अधिकारी खाता</translation>
    </message>
    <message>
        <location filename="../../ui/officer_menu.py" line="229"/>
        <source>The SHO&apos;s account is ready. From the next start everyone logs in; add the other officers from the Officer menu.</source>
        <translation>थाना प्रभारी का खाता तैयार है। अगली बार से सभी लॉग इन करेंगे; अन्य अधिकारियों को अधिकारी मेनू से जोड़ें।</translation>
    </message>
</context>
<context>
    <name>OfficersDialog</name>
    <message>
        <location filename="../../ui/officers_dialog.py" line="151"/>
        <source>Officer accounts</source>
        <translation>अधिकारी खाते</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="154"/>
        <source>The officers who may log in on this register. Choose an officer, then an action; every change is recorded in the audit trail.</source>
        <translation>इस रजिस्टर पर लॉग इन कर सकने वाले अधिकारी। कोई अधिकारी चुनें, फिर कार्रवाई; हर बदलाव ऑडिट रिकॉर्ड में दर्ज होता है।</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="160"/>
        <source>Login name</source>
        <translation>लॉगिन नाम</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="161"/>
        <source>Full name</source>
        <translation>पूरा नाम</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="162"/>
        <source>Role</source>
        <translation>भूमिका</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="163"/>
        <source>Status</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="164"/>
        <source>Failed tries</source>
        <translation>असफल प्रयास</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="165"/>
        <source>Last login</source>
        <translation>अंतिम लॉग इन</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="168"/>
        <source>Add an officer…</source>
        <translation>अधिकारी जोड़ें…</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="169"/>
        <source>Reset password…</source>
        <translation>पासवर्ड रीसेट करें…</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="170"/>
        <source>Unlock</source>
        <translation>अनलॉक करें</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="171"/>
        <source>Disable</source>
        <translation>निष्क्रिय करें</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="172"/>
        <source>Enable</source>
        <translation>सक्रिय करें</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="173"/>
        <source>Close</source>
        <translation>बंद करें</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="235"/>
        <source>Disabled</source>
        <translation>निष्क्रिय</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="237"/>
        <source>Locked until %1</source>
        <translation>%1 तक लॉक</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="238"/>
        <source>Active</source>
        <translation>सक्रिय</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="308"/>
        <source>Officer %1 added.</source>
        <translation>अधिकारी %1 जोड़ा गया।</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="326"/>
        <source>The password of %1 is changed.</source>
        <translation>%1 का पासवर्ड बदल दिया गया है।</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="335"/>
        <source>%1 is unlocked and can log in again.</source>
        <translation>%1 का खाता अनलॉक कर दिया गया है; वे फिर से लॉग इन कर सकते हैं।</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="346"/>
        <source>%1 can log in again.</source>
        <translation>%1 का खाता सक्रिय कर दिया गया है; वे फिर से लॉग इन कर सकते हैं।</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="346"/>
        <source>%1 can no longer log in.</source>
        <translation>%1 का खाता निष्क्रिय कर दिया गया है; वे अब लॉग इन नहीं कर सकते।</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="205"/>
        <source>Change password</source>
        <translation>पासवर्ड बदलें</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="206"/>
        <source>Change the password of %1.</source>
        <translation>%1 का पासवर्ड बदलें।</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="213"/>
        <source>Current password</source>
        <translation>वर्तमान पासवर्ड</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="214"/>
        <source>New password</source>
        <translation>नया पासवर्ड</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="215"/>
        <source>New password again</source>
        <translation>नया पासवर्ड दोबारा</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="219"/>
        <source>The two passwords differ.</source>
        <translation>दोनों पासवर्ड अलग हैं।</translation>
    </message>
</context>
<context>
    <name>PhotoSearchWindow</name>
    <message>
        <location filename="../../ui/photo_search.py" line="201"/>
        <source>Search by photo — %1</source>
        <translation>फ़ोटो से खोज — %1</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="203"/>
        <source>Cases ranked by face for &lt;b&gt;%1&lt;/b&gt; (the photo is not stored)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; के चेहरे से क्रमबद्ध प्रकरण (फ़ोटो सहेजी नहीं गई)</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="207"/>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="211"/>
        <source>Case</source>
        <translation>प्रकरण</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="212"/>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="213"/>
        <source>Distance</source>
        <translation>दूरी</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="214"/>
        <source>Why it ranks here</source>
        <translation>इस क्रम का कारण</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="257"/>
        <source>Reading the photo and finding the face…</source>
        <translation>फ़ोटो पढ़ी जा रही है, चेहरा खोजा जा रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="258"/>
        <source>Loading the face index…</source>
        <translation>चेहरा सूचकांक लोड हो रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="259"/>
        <source>Ranking the register…</source>
        <translation>रजिस्टर क्रमबद्ध हो रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="281"/>
        <source>Cancelled.</source>
        <translation>रद्द किया गया।</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="309"/>
        <source>&lt;b&gt;%1&lt;/b&gt; candidates are close enough to alert (distance %2 or less). A face match is a lead, not an identification.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; संभावित बच्चे अलर्ट जितने निकट हैं (दूरी %2 या कम)। चेहरा मिलान केवल संकेत है, पहचान नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="318"/>
        <source>&lt;b&gt;No candidate is close enough to alert&lt;/b&gt; (distance %1 or less), and no case in the register has a face within distance %2.</source>
        <translation>&lt;b&gt;कोई संभावित बच्चा अलर्ट जितना निकट नहीं&lt;/b&gt; (दूरी %1 या कम), और रजिस्टर में किसी प्रकरण का चेहरा %2 की दूरी के भीतर नहीं है।</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="327"/>
        <source>&lt;b&gt;No candidate is close enough to alert&lt;/b&gt; (distance %1 or less). %2 weaker leads are listed below.</source>
        <translation>&lt;b&gt;कोई संभावित बच्चा अलर्ट जितना निकट नहीं&lt;/b&gt; (दूरी %1 या कम)। नीचे %2 कमज़ोर संकेत दिए हैं।</translation>
    </message>
</context>
<context>
    <name>PhotoStrip</name>
    <message>
        <location filename="../../ui/widgets.py" line="94"/>
        <source>Drop photos here, or add them from a file. The newest photo first; photos at other ages help matching.</source>
        <translation>फोटो यहां छोड़ें, या फाइल से जोड़ें। सबसे नई फोटो पहले; अलग-अलग उम्र की फोटो मिलान में मदद करती हैं।</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="98"/>
        <source>Add &amp;photo…</source>
        <translation>फोटो जोड़ें (&amp;P)…</translation>
    </message>
    <message>
        <location filename="../../ui/widgets.py" line="101"/>
        <source>Add photos</source>
        <translation>फोटो जोड़ें</translation>
    </message>
</context>
<context>
    <name>Reason</name>
    <message>
        <location filename="../../ui/compare_view.py" line="98"/>
        <source>face distance %1</source>
        <translation>चेहरे की दूरी %1</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="99"/>
        <source>sex agrees</source>
        <translation>लिंग मेल खाता है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="100"/>
        <source>sex not stated on one side</source>
        <translation>एक ओर लिंग दर्ज नहीं</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="101"/>
        <source>sex differs</source>
        <translation>लिंग भिन्न</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="102"/>
        <source>age fits (about %1 now)</source>
        <translation>आयु मेल खाती है (अब लगभग %1)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="103"/>
        <source>age does not fit (about %1 now)</source>
        <translation>आयु मेल नहीं खाती (अब लगभग %1)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="104"/>
        <source>age not recorded on one side</source>
        <translation>एक ओर आयु दर्ज नहीं</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="105"/>
        <source>found before last seen</source>
        <translation>अंतिम बार देखे जाने से पहले मिला</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="106"/>
        <source>shared language</source>
        <translation>समान भाषा</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="107"/>
        <source>same district</source>
        <translation>वही जिला</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="108"/>
        <source>opened by an officer</source>
        <translation>अधिकारी द्वारा खोला गया</translation>
    </message>
</context>
<context>
    <name>Register</name>
    <message>
        <location filename="../../ui/register_model.py" line="53"/>
        <source>Type</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="54"/>
        <source>Name</source>
        <translation>नाम</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="55"/>
        <source>Name (Hindi)</source>
        <translation>नाम (हिंदी)</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="56"/>
        <source>Sex</source>
        <translation>लिंग</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="57"/>
        <source>Age</source>
        <translation>आयु</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="58"/>
        <source>Status</source>
        <translation>स्थिति</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="59"/>
        <source>District</source>
        <translation>जिला</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="60"/>
        <source>Police station</source>
        <translation>थाना</translation>
    </message>
    <message>
        <location filename="../../ui/register_model.py" line="61"/>
        <source>Reported on</source>
        <translation>रिपोर्ट तिथि</translation>
    </message>
</context>
<context>
    <name>ReportsDialog</name>
    <message>
        <location filename="../../ui/reports_dialog.py" line="59"/>
        <source>Review meeting report</source>
        <translation>समीक्षा बैठक रिपोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="75"/>
        <source>All districts of the range</source>
        <translation>रेंज के सभी जिले</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="82"/>
        <source>&amp;From</source>
        <translation>से (&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="83"/>
        <source>&amp;To</source>
        <translation>तक (&amp;T)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="84"/>
        <source>&amp;District</source>
        <translation>जिला (&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="85"/>
        <source>&amp;Language</source>
        <translation>भाषा (&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="86"/>
        <source>&amp;Make report</source>
        <translation>रिपोर्ट बनाएं (&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="90"/>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="93"/>
        <source>&amp;Save as…</source>
        <translation>इस नाम से सहेजें (&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="95"/>
        <source>&amp;Open</source>
        <translation>खोलें (&amp;O)</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="148"/>
        <source>Ready. Save it, or open it to print.</source>
        <translation>तैयार है। इसे सहेजें, या छापने के लिए खोलें।</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="164"/>
        <source>Counting the figures and laying out the pages…</source>
        <translation>आंकड़े गिने जा रहे हैं और पृष्ठ बनाए जा रहे हैं…</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="181"/>
        <source>Saved to %1</source>
        <translation>%1 में सहेजा गया</translation>
    </message>
    <message>
        <location filename="../../ui/reports_dialog.py" line="187"/>
        <source>Save the report</source>
        <translation>रिपोर्ट सहेजें</translation>
    </message>
</context>
<context>
    <name>ResetPasswordDialog</name>
    <message>
        <location filename="../../ui/officers_dialog.py" line="64"/>
        <source>Reset password</source>
        <translation>पासवर्ड रीसेट करें</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="67"/>
        <source>A new password for %1 (%2). The old one is not needed. Give the new one to the officer in person.</source>
        <translation>%1 (%2) के लिए नया पासवर्ड। पुराने पासवर्ड की ज़रूरत नहीं है। नया पासवर्ड अधिकारी को व्यक्तिगत रूप से बताएँ।</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="77"/>
        <source>New password</source>
        <translation>नया पासवर्ड</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="78"/>
        <source>New password again</source>
        <translation>नया पासवर्ड दोबारा</translation>
    </message>
    <message>
        <location filename="../../ui/officers_dialog.py" line="82"/>
        <source>The two passwords differ.</source>
        <translation>दोनों पासवर्ड अलग हैं।</translation>
    </message>
</context>
<context>
    <name>Risk</name>
    <message>
        <location filename="../../ui/labels.py" line="116"/>
        <source>Low</source>
        <translation>कम</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="117"/>
        <source>Medium</source>
        <translation>मध्यम</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="118"/>
        <source>High</source>
        <translation>अधिक</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="122"/>
        <source>Child under 12</source>
        <translation>12 वर्ष से कम आयु</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="123"/>
        <source>Girl child</source>
        <translation>बालिका</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="124"/>
        <source>Trafficking suspected</source>
        <translation>मानव तस्करी की आशंका</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="125"/>
        <source>Abduction suspected</source>
        <translation>अपहरण की आशंका</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="126"/>
        <source>Needs medicine or care</source>
        <translation>दवा या देखभाल की जरूरत</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="127"/>
        <source>Has a disability</source>
        <translation>दिव्यांग</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="128"/>
        <source>Has gone missing before</source>
        <translation>पहले भी गुमशुदा हो चुका/चुकी</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="129"/>
        <source>Last seen outside home district</source>
        <translation>अंतिम बार गृह जिले से बाहर देखा गया</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="130"/>
        <source>Last seen with a stranger</source>
        <translation>अंतिम बार किसी अजनबी के साथ देखा गया</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <location filename="../../ui/login_dialog.py" line="230"/>
        <source>Station house officer</source>
        <translation>थाना प्रभारी</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="231"/>
        <source>Data-entry operator</source>
        <translation>डेटा एंट्री ऑपरेटर</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="232"/>
        <source>Viewer (range/district officer)</source>
        <translation>दर्शक (रेंज/ज़िला अधिकारी)</translation>
    </message>
    <message>
        <location filename="../../ui/login_dialog.py" line="233"/>
        <source>Administrator</source>
        <translation>व्यवस्थापक</translation>
    </message>
</context>
<context>
    <name>Sex</name>
    <message>
        <location filename="../../ui/labels.py" line="85"/>
        <source>Boy</source>
        <translation>बालक</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="86"/>
        <source>Girl</source>
        <translation>बालिका</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="87"/>
        <source>Other</source>
        <translation>अन्य</translation>
    </message>
</context>
<context>
    <name>StationDialog</name>
    <message>
        <location filename="../../ui/station_dialog.py" line="20"/>
        <source>This station</source>
        <translation>यह थाना</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="22"/>
        <source>Pick this station once. Cases entered here belong to it.</source>
        <translation>यह थाना एक बार चुनें। यहां दर्ज प्रकरण इसी थाने के होंगे।</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="30"/>
        <source>&amp;State</source>
        <translation>राज्य (&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="31"/>
        <source>&amp;District</source>
        <translation>जिला (&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="32"/>
        <source>S&amp;ubdivision</source>
        <translation>अनुभाग (&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="33"/>
        <source>Police s&amp;tation</source>
        <translation>थाना (&amp;T)</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../ui/labels.py" line="70"/>
        <source>Missing</source>
        <translation>गुमशुदा</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="71"/>
        <source>Traced</source>
        <translation>पता चला</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="72"/>
        <source>Recovered</source>
        <translation>दस्तयाब</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="73"/>
        <source>Restored</source>
        <translation>सुपुर्द</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="74"/>
        <source>Registered</source>
        <translation>दर्ज</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="75"/>
        <source>Identified</source>
        <translation>पहचान हुई</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="76"/>
        <source>Closed</source>
        <translation>बंद</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../ui/sync_status.py" line="83"/>
        <source>&amp;Sync</source>
        <translation>&amp;सिंक</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="84"/>
        <source>Sync &amp;now</source>
        <translation>अभी सिंक &amp;करें</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="85"/>
        <source>&amp;Stop syncing</source>
        <translation>सिंक &amp;रोकें</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="86"/>
        <source>&amp;Conflicts to review…</source>
        <translation>समीक्षा हेतु &amp;टकराव…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="138"/>
        <source>Sync: not enrolled</source>
        <translation>सिंक: पंजीकृत नहीं</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="139"/>
        <source>Enroll this laptop with `muskan enroll` to sync.</source>
        <translation>सिंक के लिए इस लैपटॉप को `muskan enroll` से पंजीकृत करें।</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="150"/>
        <source>Online</source>
        <translation>ऑनलाइन</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="151"/>
        <source>Offline</source>
        <translation>ऑफ़लाइन</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="152"/>
        <source>Access refused</source>
        <translation>पहुँच अस्वीकृत</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="153"/>
        <source>Upgrade needed</source>
        <translation>अपग्रेड आवश्यक</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="154"/>
        <source>Not yet synced</source>
        <translation>अभी सिंक नहीं हुआ</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="155"/>
        <source>Sync paused (Sync → Sync now resumes)</source>
        <translation>सिंक रुका है (सिंक → अभी सिंक करें से फिर शुरू)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="161"/>
        <source>syncing: sent %1 of %2</source>
        <translation>सिंक: %1 भेजे, कुल %2</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="162"/>
        <source>syncing: received %1 of %2</source>
        <translation>सिंक: %1 प्राप्त, कुल %2</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="163"/>
        <source>syncing: photo %1 of %2</source>
        <translation>सिंक: फ़ोटो %1, कुल %2</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="168"/>
        <source>syncing…</source>
        <translation>सिंक हो रहा है…</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ui/sync_status.py" line="169"/>
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n बदलाव प्रतीक्षा में</numerusform>
            <numerusform>%n बदलाव प्रतीक्षा में</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="171"/>
        <source>oldest %1</source>
        <translation>सबसे पुराना %1</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="174"/>
        <source>last sync %1</source>
        <translation>अंतिम सिंक %1</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="247"/>
        <source>Stopped; what was sent is on the server, the rest waits.</source>
        <translation>रोका गया; जो भेजा गया वह सर्वर पर है, बाकी प्रतीक्षा में है।</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="134"/>
        <location filename="../../ui/sync_status.py" line="272"/>
        <source>Access revoked: the case data was removed</source>
        <translation>पहुँच रद्द: इस लैपटॉप का केस डेटा हटा दिया गया</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../ui/labels.py" line="135"/>
        <source>This is required.</source>
        <translation>यह भरना अनिवार्य है।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="136"/>
        <source>This date is in the future.</source>
        <translation>यह तिथि भविष्य की है।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="137"/>
        <source>Not a real date; write it as YYYY-MM-DD.</source>
        <translation>सही तिथि नहीं है; YYYY-MM-DD के रूप में लिखें।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="138"/>
        <source>This date is before 1990.</source>
        <translation>यह तिथि 1990 से पहले की है।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="139"/>
        <source>The child cannot be last seen after the date of the report.</source>
        <translation>अंतिम बार देखे जाने की तिथि रिपोर्ट की तिथि के बाद नहीं हो सकती।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="142"/>
        <source>This is before the child was last seen.</source>
        <translation>यह तिथि बच्चे को अंतिम बार देखे जाने से पहले की है।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="143"/>
        <source>This is after the date the record was registered.</source>
        <translation>यह तिथि अभिलेख दर्ज होने की तिथि के बाद की है।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="146"/>
        <source>A child must be under 18.</source>
        <translation>बच्चे की आयु 18 वर्ष से कम होनी चाहिए।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="147"/>
        <source>The age does not fit the date of birth.</source>
        <translation>आयु जन्म तिथि से मेल नहीं खाती।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="148"/>
        <source>The date of birth is after that date.</source>
        <translation>जन्म तिथि उस तिथि के बाद की है।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="149"/>
        <source>Not an Indian phone number (10-digit mobile, or landline with STD code).</source>
        <translation>भारतीय फोन नंबर नहीं है (10 अंकों का मोबाइल, या STD कोड सहित लैंडलाइन)।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="152"/>
        <source>Write a whole number.</source>
        <translation>पूर्ण संख्या लिखें।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="153"/>
        <source>Write the time as HH:MM (24-hour).</source>
        <translation>समय HH:MM (24 घंटे) के रूप में लिखें।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="154"/>
        <source>Not a child&apos;s height (40-200 cm).</source>
        <translation>यह बच्चे का कद नहीं हो सकता (40-200 सेमी)।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="155"/>
        <source>Use digits, letters, &apos;/&apos;, &apos;-&apos; or &apos;.&apos; only.</source>
        <translation>केवल अंक, अक्षर, &apos;/&apos;, &apos;-&apos; या &apos;.&apos; लिखें।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="156"/>
        <source>Pick one of the choices.</source>
        <translation>दिए गए विकल्पों में से एक चुनें।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="157"/>
        <source>Pick a state of India.</source>
        <translation>भारत का कोई राज्य चुनें।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="158"/>
        <source>This is before the case was reported.</source>
        <translation>यह तिथि प्रकरण की रिपोर्ट से पहले की है।</translation>
    </message>
    <message>
        <location filename="../../ui/labels.py" line="159"/>
        <source>Not recorded at this step.</source>
        <translation>इस चरण में दर्ज नहीं किया जाता।</translation>
    </message>
</context>
<context>
    <name>obj</name>
    <message>
        <location filename="../../ui/sync_status.py" line="291"/>
        <source>%1 min ago</source>
        <translation>%1 मिनट पहले</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="293"/>
        <source>%1 h ago</source>
        <translation>%1 घंटे पहले</translation>
    </message>
    <message>
        <location filename="../../ui/sync_status.py" line="294"/>
        <source>%1 days ago</source>
        <translation>%1 दिन पहले</translation>
    </message>
</context>
</TS>
