; Inno Setup 6 script: the Muskan Desktop installer for Windows 10/11 (x64).
;
;   packaging\build.py runs it after PyInstaller:
;   ISCC /DAppVersion=0.1.0 /DBundleDir=...\dist\muskan /O...\dist\installer packaging\muskan.iss
;
; Per-user (no administrator needed; the default) or per-machine (all users, asks for
; administrator rights): chosen in a dialog, or on the command line with /CURRENTUSER or
; /ALLUSERS. Silent install for IT cells: /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/DIR=...].
;
; The data folder (%LOCALAPPDATA%\MuskanDesktop: the case register, photos, backups, logs) is
; never written by the installer and is kept by the uninstaller unless the officer says yes
; to the question at the end (default: keep), or the uninstaller is run with /DELETEDATA.
; A silent uninstall keeps it.
;
; Texts: English (Inno Setup's own Default.isl) and Hindi (packaging\Hindi.isl, ours: Inno
; Setup has no official Hindi translation; the texts it does not translate fall back to
; English). This file stays ASCII; every Devanagari text is in Hindi.isl.

#define AppName "Muskan Desktop"
#define AppPublisher "Muskan Desktop team"
#define GuiExe "MuskanDesktop.exe"
; muskan_desktop.paths.APP_NAME: platformdirs puts the data in %LOCALAPPDATA%\<this>
#define DataFolder "MuskanDesktop"

#ifndef AppVersion
  #error Give the version: ISCC /DAppVersion=X.Y.Z (packaging\build.py does)
#endif
#ifndef AppVersionNumeric
  #define AppVersionNumeric AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\muskan"
#endif

[Setup]
; Never change AppId: upgrades and the uninstaller find an installation by it.
AppId={{6F0B9C52-3E7A-4D1B-8A25-9C4E7F1D2B63}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} installer
; {autopf}: "C:\Program Files" for all users, "%LOCALAPPDATA%\Programs" for one user
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; the uninstaller's [Code] reads the current user's %LOCALAPPDATA% on purpose (see above)
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\dist\installer
OutputBaseFilename=MuskanDesktop-Setup-{#AppVersion}
SetupIconFile=muskan.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=yes
LanguageDetectionMethod=uilanguage
; a running Muskan is closed (Restart Manager) before its files are replaced
CloseApplications=yes
RestartApplications=no
SetupLogging=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "hindi"; MessagesFile: "compiler:Default.isl,Hindi.isl"

[Messages]
english.ConfirmUninstall=Are you sure you want to remove %1 from this computer? (You will be asked about its data folder separately, at the end.)

[CustomMessages]
; Hindi versions of these are in Hindi.isl
english.AppComment=Register of missing and found children (Operation Muskaan)
english.DeleteDataPrompt=Also delete the data folder of %1?%n%n%2%n%nIt holds the station's case register, the children's photos, reports and backups. Once deleted they cannot be recovered.%n%nChoose No (recommended) to keep them: a new installation of %1 finds them again.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the bundle as a whole: no module of the old version is left behind
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function DataDir(): String;
begin
  { The folder the app uses when neither --home nor MUSKAN_HOME says otherwise. Only the
    current user's: other users' data folders on this PC are never touched. }
  Result := ExpandConstant('{localappdata}\{#DataFolder}');
end;

function HasSwitch(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
  { the uninstaller runs again from a temporary copy with its own first parameter: look
    at the whole command line too }
  if Pos(Uppercase(Name), Uppercase(GetCmdTail)) > 0 then
    Result := True;
end;

function DataShouldGo(const Dir: String): Boolean;
begin
  if HasSwitch('/DELETEDATA') then
    Result := True
  else if UninstallSilent then
    Result := False
  else
    Result := SuppressibleMsgBox(
      FmtMessage(CustomMessage('DeleteDataPrompt'), ['{#AppName}', Dir]),
      mbConfirmation, MB_YESNO or MB_DEFBUTTON2, IDNO) = IDYES;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Dir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  Dir := DataDir();
  if not DirExists(Dir) then
    Exit;
  if DataShouldGo(Dir) then
  begin
    if DelTree(Dir, True, True, True) then
      Log('Data folder deleted: ' + Dir)
    else
      Log('Data folder could not be deleted completely: ' + Dir);
  end
  else
    Log('Data folder kept: ' + Dir);
end;
