#!powershell
# Collects all evidence of a clinic workstation for the webcert-fleet audit in one read-only call.
# Documentation: webcert_evidence.py beside this file. The collection code is shared with the standalone
# script scripts/Collect-WebcertEvidence.ps1 (plugins/module_utils/WebcertEvidence.psm1).

#AnsibleRequires -CSharpUtil Ansible.Basic
#AnsibleRequires -PowerShell ansible_collections.webcert.fleet.plugins.module_utils.WebcertEvidence

$spec = @{
    options             = @{
        plan = @{ type = 'dict'; required = $true }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

$plan = $module.Params.plan
$known = Get-WebcertPlanKey
foreach ($key in $plan.Keys) {
    if ($known -notcontains $key) {
        # A newer controller may ask for more: the controls needing it become not_reviewed, the rest is judged.
        $module.Warn("plan key '$key' is not known to this collector version; it was not collected")
    }
}

# Over WinRM the session is the audit account's, never a clinician's: no user context.
$module.Result.evidence = Get-WebcertEvidence -Plan $plan -Mode ansible -UserContext $null
$module.Result.changed = $false
$module.ExitJson()
