# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only stand-in of ansible.windows.win_certificate_store (NOT Windows): imports the certificate file
(copied to the simulated PC before) into the store named, as the evidence collector would then list it."""

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ansible.windows.plugins.module_utils.contract_standin import load_state, record, save_state

STORE_NAMES = {"CertificateAuthority": "CA", "Root": "Root", "My": "My"}


def main():
    module = AnsibleModule(dict(path=dict(type="path"), state=dict(default="present", choices=["present", "absent",
                                                                                               "exported"]),
                                store_location=dict(default="LocalMachine", choices=["CurrentUser", "LocalMachine"]),
                                store_name=dict(default="My"), thumbprint=dict(type="str"),
                                file_type=dict(default="der", choices=["der", "pem", "pkcs12"])),
                           supports_check_mode=True)
    record("ansible.windows.win_certificate_store", module.params, module.check_mode)
    state = load_state()
    data = state["files"].get(module.params["path"])
    if data is None:
        module.fail_json(msg="File at '%s' either does not exist or is not a file" % module.params["path"])
    raw = data.encode("latin-1")
    cert = x509.load_pem_x509_certificate(raw) if b"-----BEGIN" in raw else x509.load_der_x509_certificate(raw)
    thumbprint = cert.fingerprint(hashes.SHA1()).hex().upper()  # nosec - Windows names certificates by SHA-1
    name = module.params["store_name"]
    store = "%s\\%s" % (module.params["store_location"], STORE_NAMES.get(name, name))
    certificates = state["evidence"].setdefault("certificates", {}).setdefault(store, [])
    present = any(c["thumbprint"].upper() == thumbprint for c in certificates)
    if not present and not module.check_mode:
        # Windows writes subjects most-specific first, as "CN=..., O=..., C=SE".
        certificates.append({"thumbprint": thumbprint, "subject": cert.subject.rfc4514_string(),
                             "issuer": cert.issuer.rfc4514_string(),
                             "not_after": cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")})
        save_state(state)
    module.exit_json(changed=not present, thumbprints=[thumbprint])


if __name__ == "__main__":
    main()
