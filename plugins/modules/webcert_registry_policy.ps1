#!powershell
# Sets and removes a list of registry policy values in one call, for enforce mode, and returns each value's
# before and after. Documentation: webcert_registry_policy.py beside this file. Which values to write is
# decided on the controller (plugins/plugin_utils/enforce/plan.py); each value is only written when it differs.

#AnsibleRequires -CSharpUtil Ansible.Basic

$spec = @{
    options             = @{
        values = @{
            type     = 'list'
            elements = 'dict'
            required = $true
            options  = @{
                control_id = @{ type = 'str' }
                path       = @{ type = 'str'; required = $true }
                name       = @{ type = 'str'; required = $true }
                data       = @{ type = 'raw' }
                type       = @{ type = 'str'; default = 'string'; choices = 'string', 'expandstring', 'dword', 'qword', 'multistring', 'binary' }
                state      = @{ type = 'str'; default = 'present'; choices = 'present', 'absent' }
            }
        }
    }
    supports_check_mode = $true
}
$module = [Ansible.Basic.AnsibleModule]::Create($args, $spec)

# The management-channel guard (plugins/plugin_utils/catalogue/management_channel.py), again on the PC: enforce never
# writes where WinRM, OpenSSH or the accounts that may use them are configured.
$channelKeys = @(
    'HKLM:\SOFTWARE\Policies\Microsoft\Windows\WinRM',
    'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN',
    'HKLM:\SYSTEM\CurrentControlSet\Services\WinRM',
    'HKLM:\SYSTEM\CurrentControlSet\Services\sshd',
    'HKLM:\SOFTWARE\OpenSSH',
    'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon\SpecialAccounts',
    'HKLM:\SAM',
    'HKLM:\SECURITY'
)
# Single values the guard refuses as well: LocalAccountTokenFilterPolicy decides whether a local account (the
# Ansible account on a workgroup PC) gets a full token over the network, that is whether WinRM lets it in.
$channelValues = @(
    , @('HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System', 'LocalAccountTokenFilterPolicy')
)
$kinds = @{
    string = 'String'; expandstring = 'ExpandString'; dword = 'DWord'; qword = 'QWord'
    multistring = 'MultiString'; binary = 'Binary'
}
$catalogueTypes = @{
    String = 'REG_SZ'; ExpandString = 'REG_EXPAND_SZ'; DWord = 'REG_DWORD'; QWord = 'REG_QWORD'
    MultiString = 'REG_MULTI_SZ'; Binary = 'REG_BINARY'
}

function Get-CurrentValue {
    param([string]$Path, [string]$Name)
    if (-not (Test-Path -LiteralPath $Path)) {
        return $null
    }
    $key = Get-Item -LiteralPath $Path
    if ($key.GetValueNames() -notcontains $Name) {
        return $null
    }
    $kind = $key.GetValueKind($Name).ToString()
    return [ordered]@{
        type = $catalogueTypes[$kind]
        data = $key.GetValue($Name, $null, 'DoNotExpandEnvironmentNames')
    }
}

function ConvertTo-RegistryData {
    param($Data, [string]$Type)
    switch ($Type) {
        'dword' { return [BitConverter]::ToInt32([BitConverter]::GetBytes([uint32][int64]$Data), 0) }
        'qword' { return [int64]$Data }
        'multistring' { return [string[]]@($Data) }
        'binary' { return [byte[]]@($Data) }
        default { return [string]$Data }
    }
}

function Test-SameValue {
    param($Current, $Data, [string]$Type)
    if ($null -eq $Current -or $Current.type -ne $catalogueTypes[$kinds[$Type]]) {
        return $false
    }
    if ($Type -in 'multistring', 'binary') {
        return (@($Current.data) -join "`n") -ceq (@($Data) -join "`n")
    }
    return "$($Current.data)" -ceq "$Data"
}

$results = [System.Collections.Generic.List[object]]::new()
$diffBefore = [ordered]@{}
$diffAfter = [ordered]@{}
foreach ($item in $module.Params.values) {
    $path = $item.path
    $name = $item.name
    foreach ($key in $channelKeys) {
        if ($path -eq $key -or $path.StartsWith("$key\", [StringComparison]::OrdinalIgnoreCase)) {
            $module.FailJson("$($item.control_id): refusing to write $path\$name, which configures the management channel (WinRM/SSH) or its accounts")
        }
    }
    foreach ($value in $channelValues) {
        if ($path.TrimEnd('\') -eq $value[0] -and $name -eq $value[1]) {
            $module.FailJson("$($item.control_id): refusing to write $path\$name, which decides whether the Ansible account may log on remotely")
        }
    }
    $before = Get-CurrentValue -Path $path -Name $name
    if ($item.state -eq 'absent') {
        $after = $null
        $changed = $null -ne $before
    }
    else {
        $data = ConvertTo-RegistryData -Data $item.data -Type $item.type
        $after = [ordered]@{ type = $catalogueTypes[$kinds[$item.type]]; data = $data }
        $changed = -not (Test-SameValue -Current $before -Data $data -Type $item.type)
    }
    if ($changed -and -not $module.CheckMode) {
        try {
            if ($item.state -eq 'absent') {
                Remove-ItemProperty -LiteralPath $path -Name $name
            }
            else {
                if (-not (Test-Path -LiteralPath $path)) {
                    New-Item -Path $path -Force | Out-Null
                }
                New-ItemProperty -LiteralPath $path -Name $name -PropertyType $kinds[$item.type] -Value $data -Force | Out-Null
            }
        }
        catch {
            $module.FailJson("$($item.control_id): could not write $path\$name`: $($_.Exception.Message)", $_)
        }
    }
    if ($changed) {
        $module.Result.changed = $true
        $diffBefore["$path\$name"] = $before
        $diffAfter["$path\$name"] = $after
    }
    $results.Add([ordered]@{
            control_id = $item.control_id
            path       = $path
            name       = $name
            changed    = $changed
            before     = $before
            after      = $after
        })
}
$module.Result.values = $results
$module.Diff.before = $diffBefore
$module.Diff.after = $diffAfter
$module.ExitJson()
