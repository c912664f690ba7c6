# Collects the evidence of one clinic workstation for webcert-fleet (schemas/evidence.schema.json).
#
# Used by the Ansible module webcert_evidence (over WinRM/PSRP) and by the standalone script
# scripts/Collect-WebcertEvidence.ps1 (no Ansible, no WinRM). Read-only: it only reads the registry,
# services, uninstall entries, certificate stores, optional features, PnP devices, the site list file,
# and opens TCP/TLS connections. What it reads comes from the collection plan (the Python
# checks.collection_plan built from the catalogue), so a new control of an existing check type needs no
# change here. Windows PowerShell 5.1 compatible. docs/collector.md describes the plan and every section.

$script:CollectorName = 'webcert_evidence'
$script:CollectorVersion = '1.1.0'
$script:SmartCardReaderClassGuid = '{50DD5230-BA8A-11D1-BF5D-0000F805F530}'
$script:SiteListMaxBytes = 1048576
$script:NetworkTimeoutMs = 5000
# TLS 1.2, plus TLS 1.3 where .NET defines it. Before .NET Framework 4.8 the enums have no Tls13 member and
# PowerShell 5.1 refuses to convert the number 12288, so the module would not import; ask for the member first,
# as ansible.windows' WebRequest module_util does ([Net.SecurityProtocolType].GetMember("Tls13")).
$script:TlsProtocols = [Security.Authentication.SslProtocols]::Tls12
if ([Security.Authentication.SslProtocols].GetMember('Tls13').Count -gt 0) {
    $script:TlsProtocols = [Security.Authentication.SslProtocols]'Tls12, Tls13'
}
$script:TlsFallbackProtocols = [Security.Authentication.SslProtocols]::Tls12
# The same for Invoke-WebRequest, which takes its protocols from ServicePointManager: a WinRM/PSRP process on
# .NET 4.x without SchUseStrongCrypto offers only SSL 3 and TLS 1.0, which a region's https server refuses.
$script:WebProtocols = [Net.SecurityProtocolType]::Tls12
if ([Net.SecurityProtocolType].GetMember('Tls13').Count -gt 0) {
    $script:WebProtocols = [Net.SecurityProtocolType]'Tls12, Tls13'
}

# Plan keys this collector understands, each with the evidence section it fills, in the order they are read.
# The clock comes first: the controller compares it with its time before and after the whole call, and the
# network tests (up to 15 s per endpoint) would otherwise widen that window.
$script:PlanSections = [ordered]@{
    clock              = 'clock'
    os                 = 'os'
    registry_keys      = 'registry'
    services           = 'services'
    product_patterns   = 'products'
    certificate_stores = 'certificates'
    optional_features  = 'optional_features'
    site_lists         = 'site_lists'
    card_readers       = 'card_readers'
    endpoints          = 'network'
    user_certificates  = 'user_certificates'
}

function Get-WebcertPlanKey {
    <# The plan keys this collector reads (the static tests compare them with the Python side). #>
    return @($script:PlanSections.Keys)
}

function Get-PlanField {
    <# A field of a plan entry, whether it came from Ansible (a dictionary) or from JSON (a PSCustomObject). #>
    param($Object, [string]$Name)
    if ($null -eq $Object) { return $null }
    if ($Object -is [System.Collections.IDictionary]) {
        if ($Object.Contains($Name)) { return $Object[$Name] }
        return $null
    }
    $property = $Object.PSObject.Properties[$Name]
    if ($null -eq $property) { return $null }
    return $property.Value
}

function ConvertTo-IsoUtc {
    param($Date)
    if ($null -eq $Date) { return $null }
    return ([DateTime]$Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [Globalization.CultureInfo]::InvariantCulture)
}

function Get-ErrorText {
    param($ErrorRecord)
    $exception = $ErrorRecord.Exception
    while ($exception.InnerException -and ($exception -is [System.AggregateException] -or
            $exception -is [System.Management.Automation.MethodInvocationException])) {
        $exception = $exception.InnerException
    }
    return $exception.Message
}

# --- sections ---------------------------------------------------------------------------------------

function Get-OsSection {
    $key = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion' -ErrorAction Stop
    $caption = $null
    try { $caption = (Get-CimInstance -ClassName Win32_OperatingSystem -ErrorAction Stop).Caption } catch { $caption = $null }
    $ubr = $null
    if ($null -ne $key.UBR) { $ubr = [int]$key.UBR }
    return [ordered]@{
        current_build   = [string]$key.CurrentBuild
        ubr             = $ubr
        display_version = $key.DisplayVersion
        edition_id      = $key.EditionID
        product_name    = $key.ProductName
        caption         = $caption
    }
}

function ConvertTo-RegistryEntry {
    <# One registry value as {type, data}; DWORDs unsigned, binary as hex text. $null for kinds the schema lacks. #>
    param([Microsoft.Win32.RegistryKey]$Key, [string]$Name)
    $kind = $Key.GetValueKind($Name)
    $data = $Key.GetValue($Name, $null, [Microsoft.Win32.RegistryValueOptions]::DoNotExpandEnvironmentNames)
    switch ($kind) {
        'String' { return [ordered]@{ type = 'REG_SZ'; data = [string]$data } }
        'ExpandString' { return [ordered]@{ type = 'REG_EXPAND_SZ'; data = [string]$data } }
        'DWord' { return [ordered]@{ type = 'REG_DWORD'; data = [BitConverter]::ToUInt32([BitConverter]::GetBytes([int32]$data), 0) } }
        'QWord' { return [ordered]@{ type = 'REG_QWORD'; data = [BitConverter]::ToUInt64([BitConverter]::GetBytes([int64]$data), 0) } }
        'MultiString' { return [ordered]@{ type = 'REG_MULTI_SZ'; data = @($data) } }
        'Binary' { return [ordered]@{ type = 'REG_BINARY'; data = (($data | ForEach-Object { $_.ToString('x2') }) -join '') } }
    }
    return $null
}

function Get-RegistrySection {
    param([object[]]$Paths, [bool]$UserContext)
    $section = [ordered]@{}
    foreach ($path in @($Paths | ForEach-Object { [string]$_ })) {
        # HKCU of a WinRM or SYSTEM session is not a clinician's: read it only in a user's own session.
        if ($path -like 'HKCU:*' -and -not $UserContext) { continue }
        if (-not (Test-Path -LiteralPath $path)) {
            $section[$path] = [ordered]@{ exists = $false }
            continue
        }
        $item = Get-Item -LiteralPath $path -ErrorAction Stop
        $values = [ordered]@{}
        foreach ($name in $item.GetValueNames()) {
            $entry = ConvertTo-RegistryEntry -Key $item -Name $name
            if ($null -ne $entry) {
                if ($name -eq '') { $name = '(default)' }
                $values[$name] = $entry
            }
        }
        $section[$path] = [ordered]@{ exists = $true; values = $values }
    }
    return $section
}

function Get-ServiceSection {
    param([object[]]$Names)
    $all = @{}
    foreach ($service in (Get-Service -ErrorAction Stop)) { $all[$service.Name] = $service }
    $modes = @{ Automatic = 'Automatic'; Manual = 'Manual'; Disabled = 'Disabled'; Boot = 'Boot'; System = 'System' }
    $section = [ordered]@{}
    foreach ($name in $Names) {
        $service = $all[[string]$name]
        if ($null -eq $service) {
            $section[[string]$name] = [ordered]@{ exists = $false; start_mode = $null; state = $null }
            continue
        }
        $section[[string]$name] = [ordered]@{
            exists     = $true
            start_mode = $modes[[string]$service.StartType]
            state      = [string]$service.Status
        }
    }
    return $section
}

function Get-ProductSection {
    param([object[]]$Patterns, [bool]$UserContext)
    $uninstall = 'SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall'
    # Both registry views are opened explicitly: in a 32-bit powershell.exe the provider path
    # HKLM:\SOFTWARE\... is redirected to WOW6432Node, which would hide every 64-bit product.
    $views = @()
    if ([Environment]::Is64BitOperatingSystem) {
        $views += @{ Hive = 'LocalMachine'; View = 'Registry64'; Architecture = 'x64'; Label = 'HKLM:\' + $uninstall }
        $views += @{ Hive = 'LocalMachine'; View = 'Registry32'; Architecture = 'x86'
            Label = 'HKLM:\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall' }
    }
    else {
        $views += @{ Hive = 'LocalMachine'; View = 'Registry32'; Architecture = 'x86'; Label = 'HKLM:\' + $uninstall }
    }
    if ($UserContext) {
        $views += @{ Hive = 'CurrentUser'; View = 'Default'; Architecture = $null; Label = 'HKCU:\' + $uninstall }
    }
    $products = New-Object System.Collections.Generic.List[object]
    foreach ($view in $views) {
        $base = [Microsoft.Win32.RegistryKey]::OpenBaseKey([Microsoft.Win32.RegistryHive]$view.Hive, [Microsoft.Win32.RegistryView]$view.View)
        try {
            $root = $base.OpenSubKey($uninstall)
            if ($null -eq $root) { continue }
            try {
                foreach ($subKeyName in $root.GetSubKeyNames()) {
                    $key = $root.OpenSubKey($subKeyName)
                    if ($null -eq $key) { continue }
                    try {
                        $name = $key.GetValue('DisplayName')
                        if (-not $name) { continue }
                        $wanted = $false
                        foreach ($pattern in $Patterns) {
                            if ([regex]::IsMatch([string]$name, [string]$pattern, 'IgnoreCase')) { $wanted = $true; break }
                        }
                        if (-not $wanted) { continue }
                        $products.Add([ordered]@{
                                name         = [string]$name
                                version      = $key.GetValue('DisplayVersion')
                                publisher    = $key.GetValue('Publisher')
                                architecture = $view.Architecture
                                key          = ($view.Label + '\' + $subKeyName)
                            })
                    }
                    finally { $key.Close() }
                }
            }
            finally { $root.Close() }
        }
        finally { $base.Close() }
    }
    return , $products.ToArray()
}

function Get-CertificateSection {
    param([object[]]$Stores)
    $section = [ordered]@{}
    foreach ($store in $Stores) {
        if ([string]$store -notmatch '^LocalMachine\\[A-Za-z]+$') { throw "certificate store '$store' is not a LocalMachine store" }
        $list = New-Object System.Collections.Generic.List[object]
        foreach ($certificate in (Get-ChildItem -LiteralPath ('Cert:\' + $store) -ErrorAction Stop)) {
            $list.Add([ordered]@{
                    thumbprint = $certificate.Thumbprint
                    subject    = $certificate.Subject
                    issuer     = $certificate.Issuer
                    not_after  = ConvertTo-IsoUtc $certificate.NotAfter
                })
        }
        $section[[string]$store] = $list.ToArray()
    }
    return $section
}

function Get-OptionalFeatureSection {
    param([object[]]$Names)
    $states = @{ 1 = 'Enabled'; 2 = 'Disabled'; 3 = 'Absent'; 4 = 'Unknown' }
    $section = [ordered]@{}
    foreach ($name in $Names) {
        if ([string]$name -notmatch '^[A-Za-z0-9._-]+$') { throw "optional feature name '$name' has characters WQL cannot take" }
        $feature = Get-CimInstance -ClassName Win32_OptionalFeature -Filter ("Name='{0}'" -f $name) -ErrorAction Stop
        $state = $null
        if ($null -ne $feature) {
            $state = $states[[int]$feature.InstallState]
            if ($null -eq $state) { $state = 'Unknown' }
        }
        $section[[string]$name] = [ordered]@{ state = $state }
    }
    return $section
}

function Read-SiteList {
    <# The site list at a URL, UNC or file path, as text, at most SiteListMaxBytes. #>
    param([string]$Location)
    $result = [ordered]@{ location = $Location; content = $null; error = $null; truncated = $false }
    try {
        if ($Location -match '^https?://') {
            # Our protocols for this request only; the signed-in user's proxy (system settings) with default
            # credentials for the proxy and for an intranet server that asks for Windows authentication.
            # Over WinRM those credentials reach another host only with become (docs/winrm.md, double hop).
            $savedProtocols = [Net.ServicePointManager]::SecurityProtocol
            [Net.ServicePointManager]::SecurityProtocol = $script:WebProtocols
            try {
                $request = @{ Uri = $Location; UseBasicParsing = $true; TimeoutSec = 20; UseDefaultCredentials = $true }
                $proxy = [Net.WebRequest]::GetSystemWebProxy()
                if (-not $proxy.IsBypassed([Uri]$Location)) {
                    $request.Proxy = $proxy.GetProxy([Uri]$Location)
                    $request.ProxyUseDefaultCredentials = $true
                }
                $response = Invoke-WebRequest @request -ErrorAction Stop
            }
            finally {
                [Net.ServicePointManager]::SecurityProtocol = $savedProtocols
            }
            # PowerShell 5.1 returns bytes when the server does not say the list is text.
            if ($response.Content -is [byte[]]) { $text = [Text.Encoding]::UTF8.GetString($response.Content) }
            else { $text = [string]$response.Content }
        }
        else {
            $path = $Location
            if ($Location -match '^file:') { $path = ([Uri]$Location).LocalPath }
            $path = [Environment]::ExpandEnvironmentVariables($path)
            if ((Get-Item -LiteralPath $path -ErrorAction Stop).Length -gt $script:SiteListMaxBytes) {
                $result.truncated = $true
                return $result
            }
            $text = [IO.File]::ReadAllText($path)
        }
        if ($text.Length -gt $script:SiteListMaxBytes) {
            $result.truncated = $true
            $text = $text.Substring(0, $script:SiteListMaxBytes)
        }
        $result.content = $text
    }
    catch {
        $result.error = Get-ErrorText $_
    }
    return $result
}

function Get-SiteListSection {
    param([object[]]$Policies, [bool]$UserContext)
    $section = [ordered]@{}
    foreach ($policy in $Policies) {
        $path = [string](Get-PlanField $policy 'path')
        $name = [string](Get-PlanField $policy 'name')
        if ($path -like 'HKCU:*' -and -not $UserContext) { continue }
        $location = $null
        if (Test-Path -LiteralPath $path) {
            $location = (Get-Item -LiteralPath $path -ErrorAction Stop).GetValue($name)
        }
        if (-not $location) {
            $section[$path + '\' + $name] = [ordered]@{ location = $null; content = $null; error = 'the policy value is not set' }
            continue
        }
        $section[$path + '\' + $name] = Read-SiteList -Location ([string]$location)
    }
    return $section
}

function Get-CardReaderSection {
    $filter = "ClassGuid='{0}'" -f $script:SmartCardReaderClassGuid
    $drivers = @{}
    foreach ($driver in @(Get-CimInstance -ClassName Win32_PnPSignedDriver -Filter $filter -ErrorAction Stop)) {
        if ($driver.DeviceID) { $drivers[[string]$driver.DeviceID] = $driver }
    }
    $readers = New-Object System.Collections.Generic.List[object]
    foreach ($device in @(Get-CimInstance -ClassName Win32_PnPEntity -Filter $filter -ErrorAction Stop)) {
        $driver = $drivers[[string]$device.PNPDeviceID]
        $driverFacts = $null
        if ($null -ne $driver) {
            $date = $null
            if ($driver.DriverDate) { $date = ([DateTime]$driver.DriverDate).ToString('yyyy-MM-dd', [Globalization.CultureInfo]::InvariantCulture) }
            $signed = $null
            if ($null -ne $driver.IsSigned) { $signed = [bool]$driver.IsSigned }
            $driverFacts = [ordered]@{
                inf_name     = $driver.InfName
                provider     = $driver.DriverProviderName
                version      = $driver.DriverVersion
                date         = $date
                signed       = $signed
                signer       = $driver.Signer
                manufacturer = $driver.Manufacturer
            }
        }
        $present = $true
        if ($null -ne $device.Present) { $present = [bool]$device.Present }
        $code = $null
        if ($null -ne $device.ConfigManagerErrorCode) { $code = [int]$device.ConfigManagerErrorCode }
        $readers.Add([ordered]@{
                name                      = $device.Name
                instance_id               = [string]$device.PNPDeviceID
                present                   = $present
                status                    = $device.Status
                config_manager_error_code = $code
                service                   = $device.Service
                driver                    = $driverFacts
            })
    }
    return , $readers.ToArray()
}

function Connect-TcpEndpoint {
    <# A connected TcpClient, or an error after NetworkTimeoutMs. #>
    param([string]$HostName, [int]$Port)
    $client = New-Object System.Net.Sockets.TcpClient
    try {
        $connect = $client.ConnectAsync($HostName, $Port)
        if (-not $connect.Wait($script:NetworkTimeoutMs)) { throw "no TCP answer within $($script:NetworkTimeoutMs) ms" }
    }
    catch {
        $client.Dispose()
        throw
    }
    return $client
}

function Get-TlsHandshake {
    <# TLS handshake on a connected client, validated by this workstation's trust store: @{protocol; subject}. #>
    param($Client, [string]$HostName, [Security.Authentication.SslProtocols]$Protocols)
    $stream = New-Object System.Net.Security.SslStream($Client.GetStream(), $false)
    try {
        # No revocation check: it fails on clinic networks without CRL access and is not what this control is about.
        $handshake = $stream.AuthenticateAsClientAsync($HostName, $null, $Protocols, $false)
        if (-not $handshake.Wait($script:NetworkTimeoutMs * 2)) { throw "no TLS handshake within $($script:NetworkTimeoutMs * 2) ms" }
        $subject = $null
        if ($stream.RemoteCertificate) { $subject = $stream.RemoteCertificate.Subject }
        return @{ protocol = [string]$stream.SslProtocol; subject = $subject }
    }
    finally {
        $stream.Dispose()
    }
}

function Test-TlsNotSupported {
    <# Did the handshake fail because this .NET/Schannel cannot offer the protocols asked for? #>
    param($ErrorRecord)
    $exception = $ErrorRecord.Exception
    while ($null -ne $exception) {
        if ($exception -is [ArgumentException] -or $exception -is [NotSupportedException]) { return $true }
        $exception = $exception.InnerException
    }
    return $false
}

function Test-Endpoint {
    <# TCP connect, then a TLS handshake validated against this workstation's own trust store. #>
    param([string]$HostName, [int]$Port, [bool]$Tls)
    $result = [ordered]@{ host = $HostName; port = $Port; tcp = $false; tls = $null; tls_protocol = $null
        certificate_subject = $null; error = $null; elapsed_ms = $null }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $client = $null
    try {
        $client = Connect-TcpEndpoint -HostName $HostName -Port $Port
        $result.tcp = $true
        if ($Tls) {
            $result.tls = $false
            # Explicit protocols, never SslProtocols None ("system default"), which in Windows PowerShell 5.1
            # depends on the .NET version and AppContext switches. TLS 1.2 or 1.3 where this .NET knows TLS 1.3.
            try {
                $handshake = Get-TlsHandshake -Client $client -HostName $HostName -Protocols $script:TlsProtocols
            }
            catch {
                if (-not (Test-TlsNotSupported $_)) { throw }
                # TLS 1.3 unknown here (.NET before 4.8, or Schannel without it): a new connection, TLS 1.2 only.
                $client.Dispose()
                $client = Connect-TcpEndpoint -HostName $HostName -Port $Port
                $handshake = Get-TlsHandshake -Client $client -HostName $HostName -Protocols $script:TlsFallbackProtocols
            }
            $result.tls = $true
            $result.tls_protocol = $handshake.protocol
            $result.certificate_subject = $handshake.subject
        }
    }
    catch {
        $result.error = Get-ErrorText $_
    }
    finally {
        if ($null -ne $client) { $client.Dispose() }
        $result.elapsed_ms = [int]$watch.ElapsedMilliseconds
    }
    return $result
}

function Get-NetworkSection {
    param([object[]]$Endpoints)
    $measured = New-Object System.Collections.Generic.List[object]
    foreach ($endpoint in $Endpoints) {
        $measured.Add((Test-Endpoint -HostName ([string](Get-PlanField $endpoint 'host')) -Port ([int](Get-PlanField $endpoint 'port')) `
                    -Tls ([bool](Get-PlanField $endpoint 'tls'))))
    }
    return [ordered]@{ endpoints = $measured.ToArray() }
}

function Get-ClockSection {
    param([Diagnostics.Stopwatch]$SinceStart)
    return [ordered]@{
        utc_now       = [DateTime]::UtcNow.ToString('yyyy-MM-ddTHH:mm:ss.fffZ', [Globalization.CultureInfo]::InvariantCulture)
        read_after_ms = [int]$SinceStart.ElapsedMilliseconds
        time_zone     = [TimeZoneInfo]::Local.Id
    }
}

function Get-UserCertificateSection {
    $list = New-Object System.Collections.Generic.List[object]
    foreach ($certificate in (Get-ChildItem -LiteralPath 'Cert:\CurrentUser\My' -ErrorAction Stop)) {
        $usage = @()
        $enhanced = @()
        foreach ($extension in $certificate.Extensions) {
            if ($extension -is [Security.Cryptography.X509Certificates.X509KeyUsageExtension]) {
                $usage = @(([string]$extension.KeyUsages) -split ',\s*' | Where-Object { $_ -and $_ -ne 'None' })
            }
            elseif ($extension -is [Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]) {
                $enhanced = @($extension.EnhancedKeyUsages | ForEach-Object { $_.Value })
            }
        }
        $list.Add([ordered]@{
                thumbprint         = $certificate.Thumbprint
                subject            = $certificate.Subject
                issuer             = $certificate.Issuer
                not_before         = ConvertTo-IsoUtc $certificate.NotBefore
                not_after          = ConvertTo-IsoUtc $certificate.NotAfter
                key_usage          = $usage
                enhanced_key_usage = $enhanced
                has_private_key    = [bool]$certificate.HasPrivateKey
            })
    }
    return [ordered]@{ store = 'CurrentUser\My'; certificates = $list.ToArray() }
}

# --- the whole document ------------------------------------------------------------------------------

function Get-DnsHostName {
    <# host.domain from the local TCP/IP settings (no DNS query); $null when unknown. %COMPUTERNAME% is cut to 15. #>
    try {
        $properties = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
        if (-not $properties.HostName) { return $null }
        if ($properties.DomainName) { return ('{0}.{1}' -f $properties.HostName, $properties.DomainName) }
        return $properties.HostName
    }
    catch {
        return $null
    }
}

function Get-WebcertUserContext {
    <# DOMAIN\user for a signed-in user's own session; $null for SYSTEM and service accounts. #>
    $identity = [Security.Principal.WindowsIdentity]::GetCurrent()
    if ($identity.IsSystem -or $identity.User.Value -in @('S-1-5-18', 'S-1-5-19', 'S-1-5-20')) { return $null }
    return $identity.Name
}

function Get-WebcertEvidence {
    <#
    .SYNOPSIS
    Reads everything the plan asks for and returns the evidence document (an ordered dictionary).
    A section that fails is left out and named in section_errors with the reason; the rest is kept.
    #>
    param(
        [Parameter(Mandatory = $true)] $Plan,
        [ValidateSet('ansible', 'standalone')] [string]$Mode = 'standalone',
        # Untyped on purpose: a [string] parameter turns $null into '' and the evidence would say "" instead of null.
        $UserContext = $null
    )
    $sinceStart = [Diagnostics.Stopwatch]::StartNew()
    if ([string]::IsNullOrEmpty([string]$UserContext)) { $UserContext = $null } else { $UserContext = [string]$UserContext }
    $hasUser = [bool]$UserContext
    $evidence = [ordered]@{
        schema_version = 1
        host           = $env:COMPUTERNAME
        dns_host_name  = Get-DnsHostName
        collected_at   = [DateTime]::Now.ToString('yyyy-MM-ddTHH:mm:sszzz', [Globalization.CultureInfo]::InvariantCulture)
        collector      = [ordered]@{ name = $script:CollectorName; version = $script:CollectorVersion; mode = $Mode; user_context = $UserContext }
    }
    $errors = [ordered]@{}
    foreach ($key in $script:PlanSections.Keys) {
        $wanted = Get-PlanField $Plan $key
        if ($null -eq $wanted -or $wanted -eq $false) { continue }
        # Without a signed-in user the personal store is not a clinician's: leave the section out.
        if ($key -eq 'user_certificates' -and -not $hasUser) { continue }
        $sectionName = $script:PlanSections[$key]
        $items = @($wanted)
        $value = $null
        try {
            switch ($key) {
                'os' { $value = Get-OsSection }
                'registry_keys' { $value = Get-RegistrySection -Paths $items -UserContext $hasUser }
                'services' { $value = Get-ServiceSection -Names $items }
                'product_patterns' { $value = Get-ProductSection -Patterns $items -UserContext $hasUser }
                'certificate_stores' { $value = Get-CertificateSection -Stores $items }
                'optional_features' { $value = Get-OptionalFeatureSection -Names $items }
                'site_lists' { $value = Get-SiteListSection -Policies $items -UserContext $hasUser }
                'card_readers' { $value = Get-CardReaderSection }
                'endpoints' { $value = Get-NetworkSection -Endpoints $items }
                'clock' { $value = Get-ClockSection -SinceStart $sinceStart }
                'user_certificates' { $value = Get-UserCertificateSection }
            }
            $evidence[$sectionName] = $value
            # products holds only entries matching these: the judge must know what was searched for.
            if ($key -eq 'product_patterns') { $evidence['product_patterns'] = @($items | ForEach-Object { [string]$_ }) }
        }
        catch {
            $errors[$sectionName] = Get-ErrorText $_
        }
    }
    if ($errors.Count -gt 0) { $evidence['section_errors'] = $errors }
    return $evidence
}

Export-ModuleMember -Function @('Get-WebcertEvidence', 'Get-WebcertPlanKey', 'Get-WebcertUserContext')
