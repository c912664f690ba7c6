# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The certificates family: the issuing SITHS CAs imported from the region's CA files (tasks/certificates.yml)."""

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError
from ansible_collections.webcert.fleet.plugins.plugin_utils.enforce.base import Enforcement, op, register
from ansible_collections.webcert.fleet.plugins.plugin_utils.evidence.documents import NotCollected, lookup, section
from ansible_collections.webcert.fleet.plugins.plugin_utils.judges.certificates import named, unexpired
from ansible_collections.webcert.fleet.plugins.module_utils.swedish_time import parse_timestamp

# Catalogue certificate stores -> ansible.windows.win_certificate_store (store_location, store_name).
CERTIFICATE_STORES = {"LocalMachine\\Root": ("LocalMachine", "Root"),
                      "LocalMachine\\CA": ("LocalMachine", "CertificateAuthority"),
                      "LocalMachine\\My": ("LocalMachine", "My")}


def certificate_info(path):
    """{thumbprint (SHA-1, upper-case hex), subject, issuer, subject_cn, issuer_cn, not_after} of a PEM or DER
    certificate file, as the collector reports a certificate."""
    from cryptography import x509  # pylint: disable=import-outside-toplevel  # controller only, with ansible-core
    from cryptography.hazmat.primitives import hashes  # pylint: disable=import-outside-toplevel
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        certificate = x509.load_pem_x509_certificate(data) if b"-----BEGIN CERTIFICATE-----" in data \
            else x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise WebcertError("%s: not a readable certificate (PEM or DER): %s" % (path, exc)) from None

    def common_name(name):
        found = name.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(found[0].value) if found else None
    return {"thumbprint": certificate.fingerprint(hashes.SHA1()).hex().upper(),  # nosec - a thumbprint, as Windows shows it
            "subject": certificate.subject.rfc4514_string(), "issuer": certificate.issuer.rfc4514_string(),
            "subject_cn": common_name(certificate.subject), "issuer_cn": common_name(certificate.issuer),
            "not_after": certificate.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ")}


def _certificate_files(inputs, control):
    """{thumbprint: info + path} of every file the region gives, each checked against the thumbprint it is under."""
    files = {}
    for thumbprint, path in inputs.certificate_files.items():
        path = inputs.path(path)
        try:
            info = certificate_info(path)
        except OSError as exc:
            raise WebcertError("webcert_workstation_certificate_files: %s: %s: %s" % (thumbprint, path, exc.strerror)) \
                from None
        if info["thumbprint"] != thumbprint:
            raise WebcertError("webcert_workstation_certificate_files: %s: %s has thumbprint %s, not the one it is "
                               "listed under (control %s)" % (thumbprint, path, info["thumbprint"], control["id"]))
        files[thumbprint] = dict(info, path=path)
    return files


def build_certificate(control, inputs):
    check = control["check"]
    location, name = CERTIFICATE_STORES[check["store"]]
    item = {"control_id": control["id"], "store": check["store"], "store_location": location, "store_name": name,
            "files": _certificate_files(inputs, control)}
    if "subject_common_names" in check:
        # CAs named by subject CN (their thumbprints are not published): the region's files say which is which.
        item.update(names=list(check["subject_common_names"]), issuer_cn=check.get("issuer_common_name"))
    else:
        item["thumbprints"] = [t.upper() for t in (check["thumbprints"] if "thumbprints" in check
                                                   else [check["thumbprint"]])]
    return item


def _import(changes, item, info):
    changes.add("certificates", op(item, thumbprint=info["thumbprint"], file=info["path"], subject=info["subject"],
                                   issuer=info["issuer"], not_after=info["not_after"],
                                   store_location=item["store_location"], store_name=item["store_name"]))


def change_certificate(item, evidence, changes):
    store = lookup(section(evidence, "certificates"), item["store"])
    if store is None:
        raise NotCollected("certificate store %s was not collected" % item["store"])
    present = {c["thumbprint"].upper() for c in store}
    for thumbprint in item.get("thumbprints", []):
        if thumbprint in present:
            continue
        if thumbprint not in item["files"]:
            changes.note(item["control_id"], "no file for %s in webcert_workstation_certificate_files: left to the "
                         "audit" % thumbprint)
            continue
        _import(changes, item, item["files"][thumbprint])
    collected = parse_timestamp(evidence["collected_at"])
    for name in item.get("names", []):
        if unexpired(named(store, name, item["issuer_cn"]), collected):
            continue
        files = [f for f in item["files"].values() if (f["subject_cn"] or "").casefold() == name.casefold()
                 and (not item["issuer_cn"] or (f["issuer_cn"] or "").casefold() == item["issuer_cn"].casefold())]
        if not files:
            changes.note(item["control_id"], "no file for %s in webcert_workstation_certificate_files: left to the "
                         "audit" % name)
            continue
        _import(changes, item, max(files, key=lambda f: f["not_after"]))


register("certificate", Enforcement("certificates", build_certificate, change_certificate))
