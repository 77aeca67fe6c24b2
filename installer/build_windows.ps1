<#
.SYNOPSIS
  Builds the Windows installer of 年报助手 (nianbao) OFFLINE, in one command:
  pinned wheels -> fresh virtual environment -> PyInstaller (one folder) -> smoke test -> NSIS installer.

.DESCRIPTION
  Needs on the (offline) Windows build machine: 64-bit Python 3.11 (python.org installer), NSIS 3
  (makensis.exe; found on PATH or in Program Files\NSIS), this checkout, and a folder of wheels.

  The wheels are downloaded once on any connected machine (Windows, Linux or macOS), from the checkout root:

    python -m pip download --only-binary=:all: --platform win_amd64 --python-version 3.11 -r installer/requirements-win.txt -d wheels

  Carry the "wheels" folder over (USB stick) and run, from the checkout root:

    powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 -Wheels wheels

  Every wheel is checked against the sha256 in installer\requirements-win.txt (pip --require-hashes); nothing is
  fetched from the network (pip --no-index). The version comes from pyproject.toml.

  Output: dist\nianbao\ (the frozen program: nianbao.exe, nianbao-cli.exe, _internal\) and
          dist\nianbao-VERSION-setup.exe (+ .sha256).

.PARAMETER Wheels     Folder of wheels (default: wheels).
.PARAMETER Python     Python 3.11 to create the build environment with (default: "py -3.11" if the launcher exists, else python).
.PARAMETER Makensis   Path of makensis.exe (default: PATH, then Program Files (x86)\NSIS, Program Files\NSIS).
#>
param(
    [string]$Wheels = "wheels",
    [string]$Python = "",
    [string]$Makensis = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Split-Path -Parent $PSScriptRoot
Set-Location $Root

function Invoke-Step([string]$What, [scriptblock]$Block) {
    Write-Host "==> $What" -ForegroundColor Cyan
    & $Block
    if ($LASTEXITCODE -ne 0) { throw "$What failed (exit code $LASTEXITCODE)" }
}

# --- inputs ------------------------------------------------------------------------------------------------
$Wheels = (Resolve-Path $Wheels).Path
if (-not (Get-ChildItem -Path $Wheels -Filter *.whl)) { throw "No wheels in $Wheels (see the download command in this script's help)" }

if (-not $Makensis) {
    $cmd = Get-Command makensis.exe -ErrorAction SilentlyContinue
    if ($cmd) { $Makensis = $cmd.Source }
    else {
        foreach ($c in @("${env:ProgramFiles(x86)}\NSIS\makensis.exe", "$env:ProgramFiles\NSIS\makensis.exe")) {
            if (Test-Path $c) { $Makensis = $c; break }
        }
    }
}
if (-not $Makensis -or -not (Test-Path $Makensis)) { throw "makensis.exe not found: install NSIS 3 or pass -Makensis PATH" }

if (-not $Python) {
    if (Get-Command py.exe -ErrorAction SilentlyContinue) { $PyCmd = @("py.exe", "-3.11") } else { $PyCmd = @("python.exe") }
} else { $PyCmd = $Python -split " " }
$PyExe = $PyCmd[0]; $PyArgs = @($PyCmd | Select-Object -Skip 1)

# --- 1. clean build environment from the pinned wheels, no network ------------------------------------------
$Venv = Join-Path $Root "build\venv-win"
if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
Invoke-Step "create build environment $Venv" { & $PyExe @PyArgs -m venv $Venv }
$Py = Join-Path $Venv "Scripts\python.exe"
Invoke-Step "check Python version" { & $Py -c "import sys, struct; assert sys.version_info[:2] == (3, 11) and struct.calcsize('P') == 8, 'need 64-bit Python 3.11, got ' + sys.version" }
$env:PIP_CONFIG_FILE = "nul"          # = os.devnull: ignore any pip.ini pointing at an index
$env:PIP_DISABLE_PIP_VERSION_CHECK = "1"
Invoke-Step "install pinned wheels (hashes checked, offline)" {
    & $Py -m pip install --no-index --find-links $Wheels --require-hashes -r (Join-Path $Root "installer\requirements-win.txt")
}

# --- 2. version from pyproject.toml ----------------------------------------------------------------------------
$Version = (& $Py -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])").Trim()
if ($LASTEXITCODE -ne 0 -or -not $Version) { throw "cannot read the version from pyproject.toml" }
Write-Host "version $Version"

# --- 3. frozen program ------------------------------------------------------------------------------------------
$Dist = Join-Path $Root "dist"
Invoke-Step "PyInstaller (installer\nianbao.spec)" {
    & $Py -m PyInstaller --noconfirm --clean --distpath $Dist --workpath (Join-Path $Root "build\pyinstaller") (Join-Path $Root "installer\nianbao.spec")
}
$App = Join-Path $Dist "nianbao"

# --- 4. smoke test of the frozen program (no Python on PATH needed) ---------------------------------------
Invoke-Step "frozen program: version" { & (Join-Path $App "nianbao-cli.exe") --version }
& (Join-Path $App "nianbao-cli.exe") check (Join-Path $Root "resources\samples\demo.nianbao")
if ($LASTEXITCODE -gt 1) { throw "frozen program could not read the sample report (exit code $LASTEXITCODE)" }

# --- 5. installer ------------------------------------------------------------------------------------------------
$Setup = Join-Path $Dist "nianbao-$Version-setup.exe"
Invoke-Step "NSIS (installer\nianbao.nsi)" {
    & $Makensis /WX /INPUTCHARSET UTF8 "/DVERSION=$Version" "/DDISTDIR=$App" "/DOUTFILE=$Setup" (Join-Path $Root "installer\nianbao.nsi")
}
$Hash = (Get-FileHash -Algorithm SHA256 $Setup).Hash.ToLower()
"$Hash  nianbao-$Version-setup.exe" | Out-File -Encoding ascii "$Setup.sha256"
Write-Host "done: $Setup" -ForegroundColor Green
Write-Host "sha256 $Hash"
