<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi" sourcelanguage="en">
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
        <location filename="../../ui/alert_inbox.py" line="134"/>
        <source>Match alerts: %1</source>
        <translation>मिलान अलर्ट: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="135"/>
        <source>Open face-match alerts waiting for an officer&apos;s verdict</source>
        <translation>चेहरा-मिलान अलर्ट जिन पर अधिकारी का निर्णय बाकी है</translation>
    </message>
</context>
<context>
    <name>AlertInbox</name>
    <message>
        <location filename="../../ui/alert_inbox.py" line="230"/>
        <source>Match alerts — leads to review</source>
        <translation>मिलान अलर्ट — जाँचने योग्य संकेत</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="233"/>
        <source>All districts</source>
        <translation>सभी जिले</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="239"/>
        <source>Closest first</source>
        <translation>सबसे निकट पहले</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="240"/>
        <source>Newest first</source>
        <translation>नवीनतम पहले</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="241"/>
        <source>By district</source>
        <translation>जिलेवार</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="244"/>
        <source>Raised:</source>
        <translation>अलर्ट तिथि:</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="245"/>
        <source>Raised on or after (YYYY-MM-DD)</source>
        <translation>इस तिथि या बाद के अलर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="246"/>
        <source>Raised on or before (YYYY-MM-DD)</source>
        <translation>इस तिथि या पहले के अलर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="247"/>
        <source>&amp;Compare…</source>
        <translation>&amp;तुलना करें…</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="251"/>
        <source>Missing child</source>
        <translation>गुमशुदा बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="253"/>
        <source>Found child</source>
        <translation>मिला बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="254"/>
        <source>Distance</source>
        <translation>दूरी</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="255"/>
        <source>Where the found child is now</source>
        <translation>मिला बच्चा अभी कहाँ है</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="256"/>
        <source>Raised on</source>
        <translation>अलर्ट तिथि</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="330"/>
        <source>(no name)</source>
        <translation>(नाम नहीं)</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="335"/>
        <source>%1 then, about %2 now</source>
        <translation>तब %1, अब लगभग %2</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="340"/>
        <source>looks %1</source>
        <translation>दिखने में %1</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="352"/>
        <source>Phone: %1</source>
        <translation>फ़ोन: %1</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="354"/>
        <source>Found on %1</source>
        <translation>%1 को मिला</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="389"/>
        <source>Open alerts: &lt;b&gt;%1&lt;/b&gt;. A face match is a lead, not an identification.</source>
        <translation>खुले अलर्ट: &lt;b&gt;%1&lt;/b&gt;। चेहरा मिलान केवल संकेत है, पहचान नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="392"/>
        <source>No open alerts.</source>
        <translation>कोई खुला अलर्ट नहीं।</translation>
    </message>
</context>
<context>
    <name>AlertsController</name>
    <message>
        <location filename="../../ui/alert_inbox.py" line="440"/>
        <source>&amp;Match alerts…</source>
        <translation>&amp;मिलान अलर्ट…</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="441"/>
        <source>Search by &amp;photo…</source>
        <translation>&amp;फ़ोटो से खोजें…</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="443"/>
        <source>Pick a photo (or drop one anywhere in the window) to see ranked candidates</source>
        <translation>फ़ोटो चुनें (या विंडो में कहीं भी छोड़ें) और क्रमवार संभावित बच्चे देखें</translation>
    </message>
    <message>
        <location filename="../../ui/alert_inbox.py" line="485"/>
        <source>Search by photo</source>
        <translation>फ़ोटो से खोजें</translation>
    </message>
</context>
<context>
    <name>CaseForm</name>
    <message>
        <location filename="../../ui/case_form.py" line="58"/>
        <source>The report</source>
        <translation>रिपोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="70"/>
        <location filename="../../ui/case_form.py" line="85"/>
        <source>The child</source>
        <translation>बच्चे का विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="72"/>
        <source>Last seen</source>
        <translation>अंतिम बार देखा गया</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="76"/>
        <source>Parent or guardian</source>
        <translation>माता-पिता या अभिभावक</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="82"/>
        <source>Where and when found</source>
        <translation>कहां और कब मिला</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="87"/>
        <source>Care and orders</source>
        <translation>देखरेख और आदेश</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="216"/>
        <source>New missing child report</source>
        <translation>गुमशुदा बच्चे की नई रिपोर्ट</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="218"/>
        <source>New found / rescued child record</source>
        <translation>मिले / मुक्त कराए गए बच्चे का नया अभिलेख</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="221"/>
        <source>Edit case</source>
        <translation>प्रकरण संपादित करें</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="225"/>
        <source>Photos</source>
        <translation>फोटो</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="238"/>
        <source>* required. A missing child&apos;s name may be given in either script; give the age or the date of birth.</source>
        <translation>* अनिवार्य। गुमशुदा बच्चे का नाम किसी भी लिपि में लिखा जा सकता है; आयु या जन्म तिथि दें।</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="336"/>
        <source>Photo not added</source>
        <translation>फोटो नहीं जुड़ी</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="422"/>
        <source>same guardian phone</source>
        <translation>अभिभावक का फोन नंबर समान</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="424"/>
        <source>similar name, age and district</source>
        <translation>मिलता-जुलता नाम, आयु और जिला</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="429"/>
        <source>Possible duplicate</source>
        <translation>संभावित दोहरी प्रविष्टि</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="430"/>
        <source>This report looks like a case already in the register:</source>
        <translation>यह रिपोर्ट रजिस्टर में पहले से दर्ज प्रकरण जैसी लगती है:</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="434"/>
        <source>Save it as a new case anyway?</source>
        <translation>फिर भी इसे नए प्रकरण के रूप में सहेजें?</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="456"/>
        <source>Unsaved changes</source>
        <translation>बिना सहेजे बदलाव</translation>
    </message>
    <message>
        <location filename="../../ui/case_form.py" line="457"/>
        <source>This form has changes that are not saved. Save them before closing?</source>
        <translation>इस फॉर्म में कुछ बदलाव सहेजे नहीं गए हैं। बंद करने से पहले सहेजें?</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <location filename="../../ui/case_view.py" line="254"/>
        <source>(no name)</source>
        <translation>(नाम नहीं)</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="268"/>
        <source>Details</source>
        <translation>विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="269"/>
        <source>Photos</source>
        <translation>फोटो</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="270"/>
        <source>Lifecycle</source>
        <translation>प्रगति</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="271"/>
        <source>Tracing log</source>
        <translation>पतासाजी विवरण</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="272"/>
        <source>Risk</source>
        <translation>जोखिम</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="313"/>
        <source>What was done to trace the child</source>
        <translation>बच्चे की पतासाजी के लिए क्या किया गया</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="314"/>
        <source>Add to log</source>
        <translation>विवरण में जोड़ें</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="324"/>
        <source>Risk &lt;b&gt;%1&lt;/b&gt;, assessed %2 by %3. Review due &lt;b&gt;%4&lt;/b&gt;%5</source>
        <translation>जोखिम &lt;b&gt;%1&lt;/b&gt;, %2 को %3 द्वारा आकलित। अगली समीक्षा &lt;b&gt;%4&lt;/b&gt;%5</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="331"/>
        <source>overdue</source>
        <translation>समय निकल गया</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="340"/>
        <source>No risk assessment yet.</source>
        <translation>अभी जोखिम आकलन नहीं हुआ है।</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="341"/>
        <source>Record assessment</source>
        <translation>आकलन दर्ज करें</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="365"/>
        <source>Notice (PDF)…</source>
        <translation>सूचना पत्र (PDF)…</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="369"/>
        <source>Edit…</source>
        <translation>संपादित करें…</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="405"/>
        <source>Save the notice</source>
        <translation>सूचना पत्र सहेजें</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="413"/>
        <source>Guardian&apos;s phone</source>
        <translation>अभिभावक का फोन</translation>
    </message>
    <message>
        <location filename="../../ui/case_view.py" line="414"/>
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
        <location filename="../../ui/compare_view.py" line="76"/>
        <source>Name</source>
        <translation>नाम</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="77"/>
        <source>Sex</source>
        <translation>लिंग</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="78"/>
        <source>Age then → now</source>
        <translation>आयु तब → अब</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="79"/>
        <source>Height (cm)</source>
        <translation>ऊँचाई (सेमी)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="80"/>
        <source>Complexion</source>
        <translation>रंग</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="81"/>
        <source>Eyes</source>
        <translation>आँखें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="82"/>
        <source>Hair</source>
        <translation>बाल</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="83"/>
        <source>Identification marks</source>
        <translation>पहचान चिह्न</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="84"/>
        <source>Clothing</source>
        <translation>कपड़े</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="85"/>
        <source>Languages</source>
        <translation>भाषाएँ</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="86"/>
        <source>Last seen / found at</source>
        <translation>अंतिम बार देखा / मिला (स्थान)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="87"/>
        <source>Last seen / found on</source>
        <translation>अंतिम बार देखा / मिला (तिथि)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="90"/>
        <source>agrees</source>
        <translation>मेल खाता है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="91"/>
        <source>contradicts</source>
        <translation>विरोधाभास</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="92"/>
        <source>check</source>
        <translation>जाँचें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="109"/>
        <source>Confirmed: the same child</source>
        <translation>पुष्टि: वही बच्चा है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="110"/>
        <source>Rejected: not the same child</source>
        <translation>अस्वीकार: वही बच्चा नहीं है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="111"/>
        <source>Inconclusive: needs more checking</source>
        <translation>अनिर्णीत: और जाँच चाहिए</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="743"/>
        <source>open</source>
        <translation>खुला</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="744"/>
        <source>confirmed</source>
        <translation>पुष्ट</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="745"/>
        <source>rejected</source>
        <translation>अस्वीकृत</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="746"/>
        <source>inconclusive</source>
        <translation>अनिर्णीत</translation>
    </message>
</context>
<context>
    <name>CompareView</name>
    <message>
        <source>Match sheet (PDF)…</source>
        <translation>मिलान पत्रक (PDF)…</translation>
    </message>
    <message>
        <source>Save the match sheet</source>
        <translation>मिलान पत्रक सहेजें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="347"/>
        <source>Compare a missing child and a found child</source>
        <translation>गुमशुदा और मिले बच्चे की तुलना</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="348"/>
        <source>Zoom (both photos):</source>
        <translation>ज़ूम (दोनों फ़ोटो):</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="349"/>
        <source>Fit faces</source>
        <translation>चेहरे फ़िट करें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="350"/>
        <source>Show landmarks</source>
        <translation>चेहरे के बिंदु दिखाएँ</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="353"/>
        <source>Eye-aligned faces: turned and scaled so the eyes are level and the same distance apart (red marks). Slide to cross-fade from the missing child to the found child.</source>
        <translation>आँखों से संरेखित चेहरे: घुमाकर और छोटा-बड़ा करके आँखें एक सीध में और बराबर दूरी पर (लाल निशान)। स्लाइडर से गुमशुदा बच्चे से मिले बच्चे तक धीरे-धीरे बदलें।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="358"/>
        <source>Blink (B)</source>
        <translation>बारी-बारी दिखाएँ (B)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="359"/>
        <source>Records side by side</source>
        <translation>अभिलेख साथ-साथ</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="360"/>
        <source>Other candidates</source>
        <translation>अन्य संभावित बच्चे</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="362"/>
        <source>Missing child</source>
        <translation>गुमशुदा बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="362"/>
        <source>Found child</source>
        <translation>मिला बच्चा</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="365"/>
        <source>Case</source>
        <translation>प्रकरण</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="365"/>
        <source>Distance</source>
        <translation>दूरी</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="365"/>
        <source>Why it ranks here</source>
        <translation>इस क्रम का कारण</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="367"/>
        <source>Officer&apos;s verdict</source>
        <translation>अधिकारी का निर्णय</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="372"/>
        <source>What was checked: photos compared, records, call to the family or the home (required to confirm)</source>
        <translation>क्या जाँचा गया: फ़ोटो की तुलना, अभिलेख, परिवार या बालगृह से बात (पुष्टि के लिए आवश्यक)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="376"/>
        <source>Record verdict</source>
        <translation>निर्णय दर्ज करें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="377"/>
        <source>Mark the missing child traced…</source>
        <translation>गुमशुदा बच्चे को &apos;पता चला&apos; दर्ज करें…</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="378"/>
        <source>Open missing child&apos;s case</source>
        <translation>गुमशुदा बच्चे का प्रकरण खोलें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="379"/>
        <source>Open found child&apos;s record</source>
        <translation>मिले बच्चे का अभिलेख खोलें</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="478"/>
        <location filename="../../ui/compare_view.py" line="588"/>
        <source>(no name)</source>
        <translation>(नाम नहीं)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="494"/>
        <source>Face distance &lt;b&gt;%1&lt;/b&gt; (alert level %2) · alert %3</source>
        <translation>चेहरे की दूरी &lt;b&gt;%1&lt;/b&gt; (अलर्ट सीमा %2) · अलर्ट %3</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="503"/>
        <source>No alert between these two children yet.</source>
        <translation>इन दोनों बच्चों के बीच अभी कोई अलर्ट नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="505"/>
        <source>cases linked</source>
        <translation>प्रकरण जुड़े</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="507"/>
        <source>A face match is a lead, not an identification: the child&apos;s identity is confirmed by the officer, with the family, before any hand-over.</source>
        <translation>चेहरा मिलान केवल संकेत है, पहचान नहीं: सुपुर्दगी से पहले अधिकारी परिवार के साथ बच्चे की पहचान की पुष्टि करते हैं।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="533"/>
        <source>No verdict recorded yet.</source>
        <translation>अभी कोई निर्णय दर्ज नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="550"/>
        <source>undated</source>
        <translation>तिथि नहीं</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="656"/>
        <source>Pick a verdict first.</source>
        <translation>पहले निर्णय चुनें।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="662"/>
        <source>Write what was checked before recording this verdict (photos compared, records, call to the family or the home).</source>
        <translation>यह निर्णय दर्ज करने से पहले लिखें कि क्या जाँचा गया (फ़ोटो की तुलना, अभिलेख, परिवार या बालगृह से बात)।</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="672"/>
        <source>Both photos need a face to record a verdict.</source>
        <translation>निर्णय दर्ज करने के लिए दोनों फ़ोटो में चेहरा होना चाहिए।</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/errors.py" line="23"/>
        <source>Please check</source>
        <translation>कृपया जांचें</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="27"/>
        <location filename="../../ui/errors.py" line="33"/>
        <source>Muskan Desktop</source>
        <translation>मुस्कान डेस्कटॉप</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="34"/>
        <source>The file could not be read or written: %1</source>
        <translation>फाइल पढ़ी या लिखी नहीं जा सकी: %1</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="42"/>
        <source>Muskan Desktop — unexpected error</source>
        <translation>मुस्कान डेस्कटॉप — अनपेक्षित त्रुटि</translation>
    </message>
    <message>
        <location filename="../../ui/errors.py" line="45"/>
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
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="238"/>
        <source>All stations</source>
        <translation>सभी थाने</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="249"/>
        <source>Muskan Desktop — register of missing and found children</source>
        <translation>मुस्कान डेस्कटॉप — गुमशुदा और मिले बच्चों का रजिस्टर</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="250"/>
        <source>&amp;Search name:</source>
        <translation>नाम खोजें (&amp;S):</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="251"/>
        <source>Name in Hindi or English (Ctrl+F)</source>
        <translation>हिंदी या अंग्रेजी में नाम (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="255"/>
        <source>Missing and found</source>
        <translation>गुमशुदा और मिले</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="262"/>
        <source>Any status</source>
        <translation>सभी स्थितियां</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="266"/>
        <source>All districts</source>
        <translation>सभी जिले</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="272"/>
        <source>Boys and girls</source>
        <translation>बालक और बालिका</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="277"/>
        <source>Any age</source>
        <translation>सभी आयु</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="278"/>
        <source>%1 years</source>
        <translation>%1 वर्ष</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="280"/>
        <source>Reported:</source>
        <translation>रिपोर्ट तिथि:</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="281"/>
        <source>Reported on or after (YYYY-MM-DD)</source>
        <translation>इस तिथि को या बाद में रिपोर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="282"/>
        <source>Reported on or before (YYYY-MM-DD)</source>
        <translation>इस तिथि को या पहले रिपोर्ट (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="283"/>
        <source>Clear</source>
        <translation>साफ करें</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="284"/>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="285"/>
        <source>New &amp;missing child report</source>
        <translation>गुमशुदा बच्चे की नई रिपोर्ट (&amp;M)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="286"/>
        <source>New &amp;found child record</source>
        <translation>मिले बच्चे का नया अभिलेख (&amp;F)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="287"/>
        <source>&amp;Search</source>
        <translation>खोजें (&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="288"/>
        <source>&amp;Import CSV…</source>
        <translation>CSV आयात करें (&amp;I)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="289"/>
        <source>&amp;Export…</source>
        <translation>निर्यात करें (&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="290"/>
        <source>Review &amp;report (PDF)…</source>
        <translation>समीक्षा रिपोर्ट (PDF) (&amp;R)…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="291"/>
        <source>&amp;Quit</source>
        <translation>बाहर निकलें (&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="296"/>
        <source>&amp;About Muskan Desktop</source>
        <translation>मुस्कान डेस्कटॉप के बारे में (&amp;A)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="297"/>
        <source>&amp;Register</source>
        <translation>रजिस्टर (&amp;R)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="298"/>
        <source>&amp;View</source>
        <translation>दृश्य (&amp;V)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="299"/>
        <source>&amp;Language / भाषा</source>
        <translation>भाषा / Language (&amp;L)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="300"/>
        <source>&amp;Help</source>
        <translation>सहायता (&amp;H)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="313"/>
        <source>Opening the register…</source>
        <translation>रजिस्टर खुल रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="441"/>
        <source>No cases yet.</source>
        <translation>अभी कोई प्रकरण नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="443"/>
        <source>%1 cases shown</source>
        <translation>%1 प्रकरण दिखाए गए</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="471"/>
        <source>Saved.</source>
        <translation>सहेजा गया।</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="518"/>
        <source>About Muskan Desktop</source>
        <translation>मुस्कान डेस्कटॉप के बारे में</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="520"/>
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
    <name>PhotoSearchWindow</name>
    <message>
        <location filename="../../ui/photo_search.py" line="157"/>
        <source>Search by photo — %1</source>
        <translation>फ़ोटो से खोज — %1</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="159"/>
        <source>Cases ranked by face for &lt;b&gt;%1&lt;/b&gt; (the photo is not stored)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; के चेहरे से क्रमबद्ध प्रकरण (फ़ोटो सहेजी नहीं गई)</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="163"/>
        <source>Cancel</source>
        <translation>रद्द करें</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="167"/>
        <source>Case</source>
        <translation>प्रकरण</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="168"/>
        <source>Kind</source>
        <translation>प्रकार</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="169"/>
        <source>Distance</source>
        <translation>दूरी</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="170"/>
        <source>Why it ranks here</source>
        <translation>इस क्रम का कारण</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="208"/>
        <source>Reading the photo and finding the face…</source>
        <translation>फ़ोटो पढ़ी जा रही है, चेहरा खोजा जा रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="209"/>
        <source>Loading the face index…</source>
        <translation>चेहरा सूचकांक लोड हो रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="210"/>
        <source>Ranking the register…</source>
        <translation>रजिस्टर क्रमबद्ध हो रहा है…</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="232"/>
        <source>Cancelled.</source>
        <translation>रद्द किया गया।</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="260"/>
        <source>&lt;b&gt;%1&lt;/b&gt; candidates are close enough to alert (distance %2 or less). A face match is a lead, not an identification.</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; संभावित बच्चे अलर्ट जितने निकट हैं (दूरी %2 या कम)। चेहरा मिलान केवल संकेत है, पहचान नहीं।</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="269"/>
        <source>&lt;b&gt;No candidate is close enough to alert&lt;/b&gt; (distance %1 or less), and no case in the register has a face within distance %2.</source>
        <translation>&lt;b&gt;कोई संभावित बच्चा अलर्ट जितना निकट नहीं&lt;/b&gt; (दूरी %1 या कम), और रजिस्टर में किसी प्रकरण का चेहरा %2 की दूरी के भीतर नहीं है।</translation>
    </message>
    <message>
        <location filename="../../ui/photo_search.py" line="278"/>
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
        <location filename="../../ui/compare_view.py" line="96"/>
        <source>face distance %1</source>
        <translation>चेहरे की दूरी %1</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="97"/>
        <source>sex agrees</source>
        <translation>लिंग मेल खाता है</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="98"/>
        <source>sex not stated on one side</source>
        <translation>एक ओर लिंग दर्ज नहीं</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="99"/>
        <source>sex differs</source>
        <translation>लिंग भिन्न</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="100"/>
        <source>age fits (about %1 now)</source>
        <translation>आयु मेल खाती है (अब लगभग %1)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="101"/>
        <source>age does not fit (about %1 now)</source>
        <translation>आयु मेल नहीं खाती (अब लगभग %1)</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="102"/>
        <source>age not recorded on one side</source>
        <translation>एक ओर आयु दर्ज नहीं</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="103"/>
        <source>found before last seen</source>
        <translation>अंतिम बार देखे जाने से पहले मिला</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="104"/>
        <source>shared language</source>
        <translation>समान भाषा</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="105"/>
        <source>same district</source>
        <translation>वही जिला</translation>
    </message>
    <message>
        <location filename="../../ui/compare_view.py" line="106"/>
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
        <location filename="../../ui/station_dialog.py" line="16"/>
        <source>This station</source>
        <translation>यह थाना</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="18"/>
        <source>Pick this station once. Cases entered here belong to it.</source>
        <translation>यह थाना एक बार चुनें। यहां दर्ज प्रकरण इसी थाने के होंगे।</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="26"/>
        <source>&amp;State</source>
        <translation>राज्य (&amp;S)</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="27"/>
        <source>&amp;District</source>
        <translation>जिला (&amp;D)</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="28"/>
        <source>S&amp;ubdivision</source>
        <translation>अनुभाग (&amp;U)</translation>
    </message>
    <message>
        <location filename="../../ui/station_dialog.py" line="29"/>
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
</TS>
