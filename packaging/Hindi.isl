; Hindi texts of the Muskan Desktop installer (Inno Setup 6), UTF-8 with BOM.
;
; Inno Setup ships no official Hindi translation. muskan.iss loads this file after
; Default.isl ("compiler:Default.isl,Hindi.isl"), so every text not given here falls back
; to English. Given here: the texts an officer sees on the usual path through install and
; uninstall. Accelerators are Latin letters in brackets (as in Inno Setup's CJK files):
; a Devanagari accelerator cannot be typed with Alt on most keyboards.

[LangOptions]
; हिन्दी, in Inno Setup's <nnnn> notation (always understood in LanguageName)
LanguageName=<0939><093F><0928><094D><0926><0940>
LanguageID=$0439
LanguageCodePage=0

[Messages]
SetupAppTitle=सेटअप
SetupWindowTitle=सेटअप - %1
UninstallAppTitle=अनइंस्टॉल
UninstallAppFullTitle=%1 अनइंस्टॉल

ButtonBack=< पीछे (&B)
ButtonNext=आगे (&N) >
ButtonInstall=इंस्टॉल करें (&I)
ButtonOK=ठीक है
ButtonCancel=रद्द करें
ButtonYes=हाँ (&Y)
ButtonYesToAll=सभी के लिए हाँ (&A)
ButtonNo=नहीं (&N)
ButtonNoToAll=सभी के लिए नहीं (&O)
ButtonFinish=समाप्त (&F)
ButtonBrowse=ब्राउज़ करें... (&B)
ButtonWizardBrowse=ब्राउज़ करें... (&R)

SelectLanguageTitle=सेटअप की भाषा चुनें
SelectLanguageLabel=इंस्टॉल के दौरान उपयोग की जाने वाली भाषा चुनें।

ExitSetupTitle=सेटअप बंद करें
ExitSetupMessage=सेटअप पूरा नहीं हुआ है। अभी बंद करने पर प्रोग्राम इंस्टॉल नहीं होगा।%n%nइंस्टॉल पूरा करने के लिए सेटअप बाद में फिर चलाया जा सकता है।%n%nसेटअप बंद करें?

PrivilegesRequiredOverrideTitle=इंस्टॉल का तरीका चुनें
PrivilegesRequiredOverrideInstruction=इंस्टॉल का तरीका चुनें
PrivilegesRequiredOverrideText1=%1 इस कंप्यूटर के सभी उपयोगकर्ताओं के लिए (प्रशासक अधिकार चाहिए) या केवल आपके लिए इंस्टॉल किया जा सकता है।
PrivilegesRequiredOverrideText2=%1 केवल आपके लिए या इस कंप्यूटर के सभी उपयोगकर्ताओं के लिए (प्रशासक अधिकार चाहिए) इंस्टॉल किया जा सकता है।
PrivilegesRequiredOverrideAllUsers=सभी उपयोगकर्ताओं के लिए इंस्टॉल करें (&A)
PrivilegesRequiredOverrideAllUsersRecommended=सभी उपयोगकर्ताओं के लिए इंस्टॉल करें (अनुशंसित) (&A)
PrivilegesRequiredOverrideCurrentUser=केवल मेरे लिए इंस्टॉल करें (&M)
PrivilegesRequiredOverrideCurrentUserRecommended=केवल मेरे लिए इंस्टॉल करें (अनुशंसित) (&M)

WelcomeLabel1=[name] सेटअप में आपका स्वागत है
WelcomeLabel2=यह सेटअप आपके कंप्यूटर पर [name/ver] इंस्टॉल करेगा।%n%nआगे बढ़ने से पहले बाकी सभी प्रोग्राम बंद कर देना अच्छा है।

WizardSelectDir=इंस्टॉल का स्थान चुनें
SelectDirDesc=[name] कहाँ इंस्टॉल किया जाए?
SelectDirLabel3=सेटअप [name] को नीचे दिए गए फ़ोल्डर में इंस्टॉल करेगा।
SelectDirBrowseLabel=आगे बढ़ने के लिए "आगे" पर क्लिक करें। कोई दूसरा फ़ोल्डर चुनना हो तो "ब्राउज़ करें" पर क्लिक करें।
DiskSpaceGBLabel=कम से कम [gb] GB खाली डिस्क स्थान चाहिए।
DiskSpaceMBLabel=कम से कम [mb] MB खाली डिस्क स्थान चाहिए।

WizardSelectTasks=अतिरिक्त काम चुनें
SelectTasksDesc=और कौन-से काम किए जाएँ?
SelectTasksLabel2=[name] इंस्टॉल करते समय सेटअप जो अतिरिक्त काम करे, उन्हें चुनें, फिर "आगे" पर क्लिक करें।

WizardReady=इंस्टॉल के लिए तैयार
ReadyLabel1=सेटअप अब आपके कंप्यूटर पर [name] इंस्टॉल करने के लिए तैयार है।
ReadyLabel2a=इंस्टॉल शुरू करने के लिए "इंस्टॉल करें" पर क्लिक करें। कोई सेटिंग देखनी या बदलनी हो तो "पीछे" पर क्लिक करें।
ReadyLabel2b=इंस्टॉल शुरू करने के लिए "इंस्टॉल करें" पर क्लिक करें।
ReadyMemoDir=इंस्टॉल का स्थान:
ReadyMemoTasks=अतिरिक्त काम:

WizardPreparing=इंस्टॉल की तैयारी
PreparingDesc=सेटअप आपके कंप्यूटर पर [name] इंस्टॉल करने की तैयारी कर रहा है।
ApplicationsFound=ये प्रोग्राम उन फ़ाइलों का उपयोग कर रहे हैं जिन्हें सेटअप को बदलना है। सेटअप को इन्हें अपने-आप बंद करने दें।
ApplicationsFound2=ये प्रोग्राम उन फ़ाइलों का उपयोग कर रहे हैं जिन्हें सेटअप को बदलना है। सेटअप को इन्हें अपने-आप बंद करने दें। इंस्टॉल पूरा होने पर सेटअप इन्हें फिर से खोलने की कोशिश करेगा।
CloseApplications=प्रोग्राम अपने-आप बंद करें (&A)
DontCloseApplications=प्रोग्राम बंद न करें (&D)

WizardInstalling=इंस्टॉल हो रहा है
InstallingLabel=कृपया प्रतीक्षा करें, सेटअप आपके कंप्यूटर पर [name] इंस्टॉल कर रहा है।

FinishedHeadingLabel=[name] सेटअप पूरा हुआ
FinishedLabelNoIcons=सेटअप ने आपके कंप्यूटर पर [name] इंस्टॉल कर दिया है।
FinishedLabel=सेटअप ने आपके कंप्यूटर पर [name] इंस्टॉल कर दिया है। इसे स्टार्ट मेनू के शॉर्टकट से खोला जा सकता है।
ClickFinish=सेटअप बंद करने के लिए "समाप्त" पर क्लिक करें।
RunEntryExec=%1 खोलें

StatusClosingApplications=प्रोग्राम बंद किए जा रहे हैं...
StatusCreateDirs=फ़ोल्डर बनाए जा रहे हैं...
StatusExtractFiles=फ़ाइलें निकाली जा रही हैं...
StatusCreateIcons=शॉर्टकट बनाए जा रहे हैं...
StatusSavingUninstall=अनइंस्टॉल की जानकारी सहेजी जा रही है...
StatusRollback=किए गए बदलाव वापस लिए जा रहे हैं...

ConfirmUninstall=क्या आप %1 को इस कंप्यूटर से हटाना चाहते हैं? (डेटा फ़ोल्डर के बारे में अंत में अलग से पूछा जाएगा।)
UninstallStatusLabel=कृपया प्रतीक्षा करें, %1 आपके कंप्यूटर से हटाया जा रहा है।
UninstalledAll=%1 आपके कंप्यूटर से हटा दिया गया है।
UninstalledMost=%1 हटाने का काम पूरा हुआ।%n%nकुछ चीज़ें हटाई नहीं जा सकीं। उन्हें आप स्वयं हटा सकते हैं।
StatusUninstalling=%1 हटाया जा रहा है...
WizardUninstalling=अनइंस्टॉल की स्थिति

[CustomMessages]
NameAndVersion=%1 संस्करण %2
AdditionalIcons=अतिरिक्त शॉर्टकट:
CreateDesktopIcon=डेस्कटॉप पर शॉर्टकट बनाएँ (&D)
LaunchProgram=%1 खोलें
UninstallProgram=%1 हटाएँ
AppComment=गुमशुदा और मिले बच्चों का रजिस्टर (ऑपरेशन मुस्कान)
DeleteDataPrompt=क्या %1 का डेटा फ़ोल्डर भी हटाना है?%n%n%2%n%nइसमें थाने का मामलों का रजिस्टर, बच्चों की तस्वीरें, रिपोर्ट और बैकअप हैं। हटाने के बाद ये वापस नहीं लाए जा सकते।%n%nइन्हें रखने के लिए "नहीं" चुनें (अनुशंसित): %1 दोबारा इंस्टॉल करने पर ये फिर मिल जाएँगे।
