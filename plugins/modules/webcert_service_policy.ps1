#!powershell
# Sets the start mode and state of a list of services in one call, for enforce mode, and returns each
# service's before and after. Documentation: webcert_service_policy.py beside this file. What to change is
# decided on the controller (plugins/plugin_utils/enforce/plan.py); a service already as wanted is left alone.

#AnsibleRequires -CSharpUtil Ansible.Basic

$spec = @{
    options             = @{
        services = @{
            type     = 'list'
            elements = 'dict'
            required = $true
            options  = @{
                control_id = @{ type = 'str' }
                name       = @{ type = 'str'; required = $true }
                start_mode = @{ type = 'str'; choices = 'auto', 'manual', 'disabled' }
                state      = @{ type = 'str'; choices = 'started', 'stopped' }
            }
        }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

# The management-channel guard (plugins/plugin_utils/catalogue/management_channel.py), again on the PC.
$channelServices = @('WinRM', 'sshd')
$startTypes = @{ auto = 'Automatic'; manual = 'Manual'; disabled = 'Disabled' }

$results = [System.Collections.Generic.List[object]]::new()
$diffBefore = [ordered]@{}
$diffAfter = [ordered]@{}
foreach ($item in $module.Params.services) {
    if ($channelServices -contains $item.name) {
        $module.FailJson("$($item.control_id): refusing to change service $($item.name), the management channel Ansible uses")
    }
    $service = Get-Service -Name $item.name -ErrorAction SilentlyContinue
    if ($null -eq $service) {
        $results.Add([ordered]@{ control_id = $item.control_id; name = $item.name; exists = $false; changed = $false })
        $module.Warn("$($item.control_id): service $($item.name) does not exist; left to the audit")
        continue
    }
    $before = [ordered]@{ start_mode = $service.StartType.ToString(); state = $service.Status.ToString() }
    $after = [ordered]@{ start_mode = $before.start_mode; state = $before.state }
    if ($item.start_mode -and $before.start_mode -ne $startTypes[$item.start_mode]) {
        $after.start_mode = $startTypes[$item.start_mode]
    }
    if ($item.state -eq 'started' -and $before.state -ne 'Running') {
        $after.state = 'Running'
    }
    elseif ($item.state -eq 'stopped' -and $before.state -ne 'Stopped') {
        $after.state = 'Stopped'
    }
    $changed = ($after.start_mode -ne $before.start_mode) -or ($after.state -ne $before.state)
    if ($changed -and -not $module.CheckMode) {
        try {
            if ($after.start_mode -ne $before.start_mode) {
                Set-Service -Name $item.name -StartupType $after.start_mode
            }
            if ($after.state -eq 'Running' -and $before.state -ne 'Running') {
                Start-Service -Name $item.name
            }
            elseif ($after.state -eq 'Stopped' -and $before.state -ne 'Stopped') {
                Stop-Service -Name $item.name
            }
        }
        catch {
            $module.FailJson("$($item.control_id): could not change service $($item.name): $($_.Exception.Message)", $_)
        }
    }
    if ($changed) {
        $module.Result.changed = $true
        $diffBefore[$item.name] = $before
        $diffAfter[$item.name] = $after
    }
    $results.Add([ordered]@{
            control_id = $item.control_id
            name       = $item.name
            exists     = $true
            changed    = $changed
            before     = $before
            after      = $after
        })
}
$module.Result.services = $results
$module.Diff.before = $diffBefore
$module.Diff.after = $diffAfter
$module.ExitJson()
