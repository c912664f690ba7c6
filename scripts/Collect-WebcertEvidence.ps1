<#
.SYNOPSIS
Collects the webcert-fleet evidence of this workstation and writes it to a JSON file (no Ansible, no WinRM).

.DESCRIPTION
Runs the same read-only collection as the Ansible module webcert_evidence (module_utils
WebcertEvidence.psm1) and writes the evidence document (schemas/evidence.schema.json)
to -OutFile. The controller audits it through the host variable webcert_evidence_file.

Run it at logon (user context: the user's SITHS certificates and HKCU policies are collected too) or as a
scheduled task as SYSTEM (machine only). docs/collector.md shows both deployments.

.PARAMETER PlanFile
The collection plan (JSON), as printed by scripts/collection-plan. Default: webcert-collection-plan.json
beside this script (every profile's needs, default settings).

.PARAMETER OutDirectory
The folder to write the evidence to, as <COMPUTERNAME>.json for a machine run (SYSTEM, -NoUserContext) and
<COMPUTERNAME>.user.<user SID>.json for a run in a signed-in user's context, so the daily SYSTEM run and the
logon run never overwrite each other, and each user replaces only a file of their own (a drop folder where
users may create files but not delete other users' files lets every user's run succeed; docs/collector.md).
The controller takes the newest user file of a PC. Default: %ProgramData%\webcert-fleet\evidence.

.PARAMETER OutFile
Where to write the evidence instead (a full file name; overrides -OutDirectory).
The file is written to a temporary name first and then renamed, so a reader never sees half a file.

.PARAMETER NoUserContext
Collect as a machine, even when run in a user's session (no user certificates, no HKCU policies).

.EXAMPLE
powershell.exe -NoProfile -ExecutionPolicy Bypass -File Collect-WebcertEvidence.ps1 -OutDirectory \\exk-fs01\evidence$
#>
[CmdletBinding()]
param(
    [string]$PlanFile = (Join-Path $PSScriptRoot 'webcert-collection-plan.json'),
    [string]$OutDirectory = (Join-Path $env:ProgramData 'webcert-fleet\evidence'),
    [string]$OutFile = '',
    [switch]$NoUserContext
)
$ErrorActionPreference = 'Stop'

# Deployed: the module sits beside this script. In the repository: under plugins/module_utils.
$moduleName = 'WebcertEvidence.psm1'
$modulePath = Join-Path $PSScriptRoot $moduleName
if (-not (Test-Path -LiteralPath $modulePath)) {
    $modulePath = Join-Path $PSScriptRoot (Join-Path '..\plugins\module_utils' $moduleName)
}
Import-Module -Name $modulePath -Force

if (-not (Test-Path -LiteralPath $PlanFile)) { throw "collection plan '$PlanFile' not found (make one with scripts/collection-plan)" }
$plan = Get-Content -LiteralPath $PlanFile -Raw -Encoding UTF8 | ConvertFrom-Json

$userContext = $null
if (-not $NoUserContext) { $userContext = Get-WebcertUserContext }

if (-not $OutFile) {
    # The user-context run has its own file: the daily SYSTEM run must not erase the user's evidence.
    $fileName = '{0}.json' -f $env:COMPUTERNAME
    # One file per user (by SID: stable, no characters a file name cannot hold): replacing a file needs DELETE
    # on it, which the drop folder grants its owner only, so the next user could not replace a shared name.
    if ($userContext) {
        $fileName = '{0}.user.{1}.json' -f $env:COMPUTERNAME, [Security.Principal.WindowsIdentity]::GetCurrent().User.Value
    }
    $OutFile = Join-Path $OutDirectory $fileName
}

$evidence = Get-WebcertEvidence -Plan $plan -Mode standalone -UserContext $userContext
$json = $evidence | ConvertTo-Json -Depth 12

$directory = Split-Path -Parent $OutFile
if ($directory -and -not (Test-Path -LiteralPath $directory)) { New-Item -ItemType Directory -Path $directory -Force | Out-Null }
$temporary = '{0}.{1}.tmp' -f $OutFile, $PID
[IO.File]::WriteAllText($temporary, $json, (New-Object System.Text.UTF8Encoding($false)))
Move-Item -LiteralPath $temporary -Destination $OutFile -Force
Write-Output ("webcert-fleet evidence written to {0}" -f $OutFile)
