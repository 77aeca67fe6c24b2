; 年报助手 (nianbao) — Windows installer (NSIS 3, Unicode).
;
; This file is UTF-8 with a byte-order mark, so makensis reads the Chinese strings right on any code page.
; Build (installer\build_windows.ps1 does all of this in one command):
;   makensis /DVERSION=0.1.0 [/DDISTDIR=..\dist\nianbao] [/DOUTFILE=..\dist\nianbao-0.1.0-setup.exe] installer\nianbao.nsi
; VERSION comes from pyproject.toml ([project] version, X.Y.Z). DISTDIR is the PyInstaller one-folder output
; (nianbao.exe, nianbao-cli.exe, _internal\); relative paths are relative to this file's folder.
;
; What it does:
;  * installs for the current user WITHOUT administrator rights (no UAC prompt) into
;    %LOCALAPPDATA%\Programs\nianbao; when started elevated ("以管理员身份运行"), a page offers "all users"
;    (Program Files, HKLM) — or pass /AllUsers (/CurrentUser) on the command line; /S installs silently;
;  * Start-menu and desktop shortcuts; ".nianbao" files open with the program (HKCU\Software\Classes, or
;    HKLM\Software\Classes for all users);
;  * a fixed application id (registry key Software\nianbao and Uninstall\nianbao): a newer version installs over
;    an older one in the same folder, after removing the old program files so that no stale file is left;
;  * the uninstaller removes only the program's own files, shortcuts and registry entries — never the user's
;    reports, their .bak copies, settings or recovery files (those live outside the program folder, and any file
;    a user put into the program folder is left in place too).

Target amd64-unicode          ; a 64-bit installer for the 64-bit program (Unicode; 64-bit registry and Program Files)
ManifestDPIAware true
!ifdef NOCOMPRESS                  ; tests: /DNOCOMPRESS checks the script and the file list quickly
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif

!ifndef VERSION
  !error "Pass the version from pyproject.toml: makensis /DVERSION=X.Y.Z installer\nianbao.nsi"
!endif
!searchparse /noerrors "${VERSION}" "" V_MAJOR "." V_MINOR "." V_PATCH
!ifndef V_PATCH
  !error "VERSION must look like X.Y.Z (got ${VERSION})"
!endif
!define /ifndef DISTDIR "..\dist\nianbao"
!define /ifndef OUTFILE "..\dist\nianbao-${VERSION}-setup.exe"

; ---- fixed identity: never change these, or upgrades stop finding the old installation ----------------------
!define APPID "nianbao"
!define APPNAME "年报助手"
!define PUBLISHER "年报助手 (nianbao)"
!define APP_KEY "Software\${APPID}"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPID}"
!define PROGID "nianbao.report"
!define EXE "nianbao.exe"
!define CLI_EXE "nianbao-cli.exe"
!define UNINSTALLER "uninstall.exe"

; Catch an incomplete frozen folder at compile time (also checked by tests/test_frozen.py on Linux).
!if ! /FileExists "${DISTDIR}\${EXE}"
  !error "${DISTDIR}\${EXE} is missing: build the frozen program first (PyInstaller, installer\nianbao.spec)"
!endif
!if ! /FileExists "${DISTDIR}\_internal\resources\formats\gov-2021.json"
  !error "${DISTDIR}\_internal\resources is incomplete: the format data is missing"
!endif

Name "${APPNAME}"
OutFile "${OUTFILE}"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${V_MAJOR}.${V_MINOR}.${V_PATCH}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APPNAME} ${VERSION} 安装程序"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

; ---- per-user by default, all users when elevated -----------------------------------------------------------
!define MULTIUSER_EXECUTIONLEVEL Highest            ; enables the all-users logic and page ...
!define MULTIUSER_MUI
!define MULTIUSER_INSTALLMODE_DEFAULT_CURRENTUSER
!define MULTIUSER_INSTALLMODE_COMMANDLINE
!define MULTIUSER_USE_PROGRAMFILES64
!define MULTIUSER_INSTALLMODE_INSTDIR "${APPID}"    ; current user: %LOCALAPPDATA%\Programs\nianbao
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_INSTDIR_REGISTRY_VALUENAME "InstallDir"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_KEY "${APP_KEY}"
!define MULTIUSER_INSTALLMODE_DEFAULT_REGISTRY_VALUENAME "InstallDir"
!include MultiUser.nsh
!include MUI2.nsh
!include FileFunc.nsh
!include LogicLib.nsh
!include x64.nsh
; ... but never ask for administrator rights: the manifest says "asInvoker". Started normally, the installer runs
; as the user and installs for that user only (the all-users page is skipped, MultiUser sees no admin token);
; started with "以管理员身份运行", it offers all users. (This later attribute overrides the one in MultiUser.nsh.)
RequestExecutionLevel user

!define MUI_ABORTWARNING
!if /FileExists "${DISTDIR}\_internal\resources\icons\nianbao.ico"
  !define MUI_ICON "${DISTDIR}\_internal\resources\icons\nianbao.ico"
  !define MUI_UNICON "${DISTDIR}\_internal\resources\icons\nianbao.ico"
!endif
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "启动 ${APPNAME}"

!insertmacro MULTIUSER_PAGE_INSTALLMODE
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Var InstalledVersion

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "${APPNAME} 需要 64 位 Windows（Windows 10 或更新版本）。" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64              ; the program is 64-bit: HKLM entries in the 64-bit view, not WOW6432Node
  !insertmacro MULTIUSER_INIT
  ReadRegStr $InstalledVersion SHCTX "${APP_KEY}" "Version"
FunctionEnd

; Delete one program file of an older version; if the program is running (file locked), ask to close it.
!macro RemoveProgramFile FILE
  ${Do}
    ClearErrors
    Delete "$INSTDIR\${FILE}"   ; sets the error flag only if the file exists and cannot be deleted
    ${IfNot} ${Errors}
      ${Break}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APPNAME} 正在运行，无法更新 $INSTDIR\${FILE}。$\r$\n请先关闭 ${APPNAME}（先保存报告），然后点“重试”。" /SD IDCANCEL IDRETRY +2
      Abort "安装已取消：${APPNAME} 仍在运行。"
  ${Loop}
!macroend

Section "${APPNAME}" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"

  ; Installing over an older version: remove its program files first (only these), so no stale file remains.
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    DetailPrint "更新已安装的版本 $InstalledVersion → ${VERSION}"
    !insertmacro RemoveProgramFile "${EXE}"
    !insertmacro RemoveProgramFile "${CLI_EXE}"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}

  File "${DISTDIR}\${EXE}"
  !if /FileExists "${DISTDIR}\${CLI_EXE}"
    File "${DISTDIR}\${CLI_EXE}"
  !endif
  File /r "${DISTDIR}\_internal"

  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  ; Shortcuts (current user's or all users' Start menu and desktop, following the install mode)
  CreateShortCut "$SMPROGRAMS\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortCut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; .nianbao files open with the program (SHCTX = HKCU for the current user, HKLM for all users)
  WriteRegStr SHCTX "Software\Classes\.nianbao" "" "${PROGID}"
  WriteRegStr SHCTX "Software\Classes\.nianbao" "Content Type" "application/x-nianbao+json"
  WriteRegStr SHCTX "Software\Classes\.nianbao\OpenWithProgids" "${PROGID}" ""
  WriteRegStr SHCTX "Software\Classes\${PROGID}" "" "${APPNAME}报告"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\shell" "" "open"
  WriteRegStr SHCTX "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)' ; SHCNE_ASSOCCHANGED

  ; The application's own key (install folder and version, read back by the next installer)
  WriteRegStr SHCTX "${APP_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr SHCTX "${APP_KEY}" "Version" "${VERSION}"
  WriteRegStr SHCTX "${APP_KEY}" "InstallMode" "$MultiUser.InstallMode"

  ; "Apps & features" entry
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayName" "${APPNAME}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr SHCTX "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr SHCTX "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr SHCTX "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr SHCTX "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}" /$MultiUser.InstallMode'
  WriteRegStr SHCTX "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /$MultiUser.InstallMode /S'
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD SHCTX "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD SHCTX "${UNINST_KEY}" "EstimatedSize" "$0"
SectionEnd

; ---- uninstaller -------------------------------------------------------------------------------------------
Function un.onInit
  SetRegView 64
  ; An all-users installation (UninstallString ends in /AllUsers) needs administrator rights to remove: ask for
  ; them once (UAC) instead of failing, since the uninstaller itself never requests elevation.
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AllUsers" $R1
  ${IfNot} ${Errors}
    UserInfo::GetAccountType
    Pop $R2
    ClearErrors
    ${GetOptions} $R0 "/Elevated" $R1
    ${If} $R2 != "Admin"
    ${AndIf} ${Errors}
      ClearErrors
      ExecShell "runas" "$INSTDIR\${UNINSTALLER}" "/AllUsers /Elevated"
      ${If} ${Errors}
        MessageBox MB_OK|MB_ICONSTOP "${APPNAME} 是为本机所有用户安装的，卸载需要管理员权限。" /SD IDOK
      ${EndIf}
      Quit
    ${EndIf}
  ${EndIf}
  !insertmacro MULTIUSER_UNINIT
FunctionEnd

Section "Uninstall"
  ; Refuse to touch a folder that is not ours.
  ${IfNot} ${FileExists} "$INSTDIR\${EXE}"
  ${AndIfNot} ${FileExists} "$INSTDIR\_internal\resources\formats\*.json"
    MessageBox MB_OK|MB_ICONSTOP "$INSTDIR 不是 ${APPNAME} 的安装文件夹，未删除任何文件。" /SD IDOK
    Abort
  ${EndIf}

  ; Program files only. Reports (*.nianbao), their .bak copies, exported documents, settings and recovery files
  ; are never deleted — they are not in the program folder, and anything else found there is left in place.
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\${CLI_EXE}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"          ; only if now empty

  Delete "$SMPROGRAMS\${APPNAME}.lnk"
  Delete "$DESKTOP\${APPNAME}.lnk"

  ; File association: remove our ProgID; ".nianbao" itself only while it still points to us.
  DeleteRegKey SHCTX "Software\Classes\${PROGID}"
  DeleteRegValue SHCTX "Software\Classes\.nianbao\OpenWithProgids" "${PROGID}"
  ReadRegStr $0 SHCTX "Software\Classes\.nianbao" ""
  ${If} $0 == "${PROGID}"
    DeleteRegValue SHCTX "Software\Classes\.nianbao" ""
    DeleteRegValue SHCTX "Software\Classes\.nianbao" "Content Type"
  ${EndIf}
  DeleteRegKey /ifempty SHCTX "Software\Classes\.nianbao\OpenWithProgids"
  DeleteRegKey /ifempty SHCTX "Software\Classes\.nianbao"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey SHCTX "${UNINST_KEY}"
  DeleteRegValue SHCTX "${APP_KEY}" "InstallDir"
  DeleteRegValue SHCTX "${APP_KEY}" "Version"
  DeleteRegValue SHCTX "${APP_KEY}" "InstallMode"
  DeleteRegKey /ifempty SHCTX "${APP_KEY}"   ; the program's own settings (if any) stay
SectionEnd
