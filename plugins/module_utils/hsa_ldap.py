# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading HSA (Katalogtjänst HSA) over LDAP with ldap3: connection options, failover, paged searches.

This is THE place for the HSA attribute and object class names: ATTRIBUTES and OBJECT_CLASSES map the
toolkit's logical names to LDAP names; a region overrides them with the catalogue setting
`hsa_attribute_names` (controls/directory.yml). Everything after the read uses logical names only.

A whole care provider is read with a small, bounded number of paged subtree searches
(ProviderReader), never one search per person. Every value that goes into a filter is escaped, and
HSA-ids are checked for format before they get anywhere near one.
"""

import datetime
import socket
import ssl

try:
    from ldap3 import NONE, SUBTREE, Connection, Server, Tls
    from ldap3.core.exceptions import LDAPInvalidCredentialsResult, LDAPNoSuchObjectResult
    from ldap3.core.exceptions import LDAPOperationResult
    from ldap3.utils.conv import escape_filter_chars
    HAS_LDAP3 = True
except ImportError:  # reported by the module with a clear message
    HAS_LDAP3 = False

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_dn import dn_key
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_options import connection_argument_spec
from ansible_collections.webcert.fleet.plugins.module_utils.hsa_rules import DEFAULT_HSA_ID_PATTERN, commission_member_id, hsa_id_problem

# Logical name -> LDAP attribute name (../shared/reference/hsa.md sections 3a-3c).
ATTRIBUTES = {
    "hsa_id": "hsaIdentity",
    "organisation_name": "o",
    "unit_name": "ou",
    "common_name": "cn",
    "given_name": "givenName",
    "surname": "sn",
    "org_no": "orgNo",
    "responsible_provider": "hsaResponsibleHealthCareProvider",
    "unit_members": "hsaHealthCareUnitMember",
    "workplace_code": "unitPrescriptionCode",
    "mail": "mail",
    "start_date": "startDate",
    "end_date": "endDate",
    "commission_purpose": "hsaCommissionPurpose",
    "commission_member": "hsaCommissionMember",
    "licensed_profession": "hsaTitle",
    "speciality": "hsaSosTitleCodeSpeciality",
    "prescriber_code": "personalPrescriptionCode",
    "group_prescriber_code": "hsaGroupPrescriptionCode",
    "title_code": "paTitleCode",
    "title_name": "paTitleName",
    "object_class": "objectClass",
}
# Logical name -> object class name. Only the verified HSA markers decide what an entry is; the
# structural classes (organizationalUnit, person, ...) are standard LDAP.
OBJECT_CLASSES = {
    "provider": "hsaHealthCareProvider",
    "care_unit": "hsaHealthCareUnit",
    "commission": "hsaCommission",
    "unit": "organizationalUnit",
    "organisation": "organization",
    "person": "person",
}

# The connection options of the webcert_hsa_provider module (Ansible argument_spec form): the shared
# HSA options (hsa_options.py, also the doc fragment and the directory action's) plus the server URIs and
# the attribute renames, which only the module takes in this form.
CONNECTION_ARGUMENT_SPEC = dict(
    connection_argument_spec(),
    uri=dict(type="list", elements="str", required=True),
    attribute_names=dict(type="dict", default={}),
)
# The phases of ProviderReader; data['errors'] is keyed by them.
SCOPES = ("provider", "units", "persons")
# How many HSA-ids go into one (|(hsaIdentity=a)(hsaIdentity=b)...) lookup.
LOOKUP_CHUNK = 100
# Care units outside the provider's subtree that point at it are read with one subtree search each;
# real HSA keeps units under their provider, so more than this is an error, not an unbounded loop.
MAX_EXTERNAL_UNITS = 20


class DirectoryError(Exception):
    """The directory could not be read. `kind` is down, slow, bind_refused, tls, malformed or config."""

    def __init__(self, kind, message):
        super().__init__(message)
        self.kind = kind


def attribute_map(overrides=None):
    """ATTRIBUTES with a region's overrides; an unknown logical name is an error naming it."""
    names = dict(ATTRIBUTES, **{"class_" + k: v for k, v in OBJECT_CLASSES.items()})
    for logical, ldap_name in (overrides or {}).items():
        if logical not in names:
            raise DirectoryError("config", "hsa_attribute_names: unknown name %r (known: %s)"
                                 % (logical, ", ".join(sorted(names))))
        if not isinstance(ldap_name, str) or not ldap_name.replace("-", "").isalnum():
            raise DirectoryError("config", "hsa_attribute_names: %s: %r is not an LDAP attribute name"
                                 % (logical, ldap_name))
        names[logical] = ldap_name
    return names


def equals_filter(attribute, value):
    """(attribute=value) with the value escaped (RFC 4515): a value can never change the filter."""
    return "(%s=%s)" % (attribute, escape_filter_chars(value))


def any_of(filters):
    return filters[0] if len(filters) == 1 else "(|%s)" % "".join(filters)


def _chunks(items, size):
    items = list(items)
    return [items[i:i + size] for i in range(0, len(items), size)]


class HsaDirectory:
    """A read-only connection to one of several HSA servers (failover in the given order).

    options: the CONNECTION_ARGUMENT_SPEC values. The bind password is kept only for binding and is
    scrubbed from every message this class produces.
    """

    def __init__(self, options):
        if not HAS_LDAP3:
            raise DirectoryError("config", "the Python package ldap3 is not installed on the controller")
        self.options = options
        self.uris = [u.strip() for u in options.get("uri") or [] if u and u.strip()]
        if not self.uris:
            raise DirectoryError("config", "no HSA server URI given (webcert_hsa_uri)")
        for uri in self.uris:
            if not uri.lower().startswith(("ldap://", "ldaps://")):
                raise DirectoryError("config", "HSA server URI %r must start with ldap:// or ldaps://" % uri)
        ca_file = options.get("ca_file")
        if ca_file:
            try:
                with open(ca_file, "rb"):
                    pass
            except OSError as exc:
                raise DirectoryError("config", "CA file %s (webcert_hsa_ca_file): %s" % (ca_file, exc.strerror))
        self.names = attribute_map(options.get("attribute_names"))
        self.connection = None
        self.uri = None
        self.requests = 0  # search requests sent, pages included (what the bound is about)
        self.failover_log = []

    # --- connecting ---------------------------------------------------------------------------

    def _tls(self):
        validate = ssl.CERT_REQUIRED if self.options.get("validate_certs", True) else ssl.CERT_NONE
        return Tls(validate=validate, ca_certs_file=self.options.get("ca_file") or None)

    def _open(self, uri):
        server = Server(uri, get_info=NONE, tls=self._tls(),
                        connect_timeout=self.options.get("connect_timeout") or 5)
        connection = Connection(server, user=self.options.get("bind_dn") or None,
                                password=self.options.get("bind_password") or None,
                                receive_timeout=self.options.get("search_timeout") or 30,
                                raise_exceptions=True, read_only=True, auto_referrals=False)
        try:
            connection.open()
            if self.options.get("start_tls") and uri.lower().startswith("ldap://"):
                connection.start_tls()
            connection.bind()
        except LDAPInvalidCredentialsResult:
            _close(connection)
            raise DirectoryError("bind_refused", "%s refused the bind as %s: invalid credentials"
                                 % (uri, self.options.get("bind_dn") or "anonymous"))
        except LDAPOperationResult as exc:
            _close(connection)
            raise DirectoryError("bind_refused", "%s refused the bind as %s: %s"
                                 % (uri, self.options.get("bind_dn") or "anonymous", self._scrub(exc)))
        except Exception as exc:  # ldap3 raises many kinds for a dead, slow or wrong server
            _close(connection)
            raise DirectoryError(*self._classify(uri, exc))
        return connection

    def connect(self, skip=()):
        """Bind to the first URI that answers. A refused bind stops at once: the next replica has the
        same accounts, and trying again only risks locking the account."""
        problems = []
        for uri in self.uris:
            if uri in skip:
                continue
            try:
                self.connection = self._open(uri)
                self.uri = uri
                return self
            except DirectoryError as exc:
                if exc.kind in ("bind_refused", "config"):
                    raise
                problems.append(exc)
                self.failover_log.append(str(exc))
        kinds = {p.kind for p in problems}
        kind = kinds.pop() if len(kinds) == 1 else "down"
        raise DirectoryError(kind, "no HSA server answered: " + "; ".join(str(p) for p in problems))

    def close(self):
        _close(self.connection)
        self.connection = None

    def _classify(self, uri, exc):
        text = self._scrub(exc)
        lowered = text.lower()
        # A frozen server also times out the TLS handshake: slowness first, then TLS.
        if isinstance(exc, socket.timeout) or "timed out" in lowered or "timeout" in lowered:
            return "slow", "%s: no answer within the timeout: %s" % (uri, text)
        if isinstance(exc, ssl.SSLError) or "certificate" in lowered or "tls" in lowered or "ssl" in lowered:
            return "tls", "%s: TLS failed (certificate not trusted or name mismatch?): %s" % (uri, text)
        if any(word in lowered for word in ("decode", "asn1", "invalid server", "unexpected", "malformed")):
            return "malformed", "%s: the answer is not valid LDAP: %s: %s" % (uri, type(exc).__name__, text)
        return "down", "%s: cannot talk to the server: %s: %s" % (uri, type(exc).__name__, text)

    def _scrub(self, value):
        text = _text(value)
        password = self.options.get("bind_password")
        return text.replace(password, "********") if password else text

    # --- searching ----------------------------------------------------------------------------

    def search(self, base, search_filter):
        """All entries of a paged search as {dn, classes, attributes, problems} with logical names.

        A server that dies during the search makes us fail over to the next URI and search again
        (paging cookies belong to one connection); when none is left, DirectoryError.
        """
        tried = set()
        while True:
            if self.connection is None:
                self.connect(skip=tried)
            try:
                return self._paged(base, search_filter)
            except LDAPNoSuchObjectResult:
                raise DirectoryError("config", "search base %r does not exist on %s" % (base, self.uri))
            except LDAPOperationResult as exc:
                raise DirectoryError("malformed", "%s refused the search %s under %s: %s"
                                     % (self.uri, search_filter, base, self._scrub(exc)))
            except DirectoryError:
                raise
            except Exception as exc:  # a dead, slow or garbled server mid-search
                kind, message = self._classify(self.uri, exc)
                tried.add(self.uri)
                self.failover_log.append(message)
                self.close()
                if all(uri in tried for uri in self.uris):
                    raise DirectoryError(kind, message)

    def _paged(self, base, search_filter):
        attributes = sorted(set(v for k, v in self.names.items() if not k.startswith("class_")))
        cookie, found = None, []
        page_size = self.options.get("page_size") or 500
        while True:
            self.requests += 1
            self.connection.search(base, search_filter, search_scope=SUBTREE,
                                   attributes=attributes, paged_size=page_size, paged_cookie=cookie,
                                   time_limit=self.options.get("search_timeout") or 30)
            for response in self.connection.response or []:
                if response.get("type") == "searchResEntry":
                    found.append(self._entry(response))
            controls = (self.connection.result or {}).get("controls") or {}
            cookie = controls.get("1.2.840.113556.1.4.319", {}).get("value", {}).get("cookie")
            if not cookie:
                return found

    def _entry(self, response):
        """An entry with logical attribute names; undecodable values are listed as problems."""
        raw = {name.split(";")[0].casefold(): values for name, values in (response.get("raw_attributes") or {}).items()}
        attributes, problems, truncated = {}, [], []
        cap = self.options.get("max_attribute_values")
        for logical, ldap_name in self.names.items():
            if logical.startswith("class_"):
                continue
            values, found = [], raw.get(ldap_name.casefold(), [])
            if cap and len(found) > cap:
                # Kept and judged no further: the subjects this entry concerns are errors naming it.
                truncated.append("attribute %s has %d values, more than hsa_max_attribute_values (%d)"
                                 % (ldap_name, len(found), cap))
                found = found[:cap]
            for value in found:
                try:
                    values.append(value.decode("utf-8") if isinstance(value, bytes) else str(value))
                except UnicodeDecodeError:
                    problems.append("%s has a value that is not UTF-8 text" % ldap_name)
            if values:
                attributes[logical] = values
        classes = [c.casefold() for c in attributes.pop("object_class", [])]
        # What the entry is, by logical class name: judges never see LDAP class names.
        markers = [k[len("class_"):] for k, v in self.names.items() if k.startswith("class_") and v.casefold() in classes]
        entry = {"dn": response.get("dn") or "", "classes": classes, "markers": markers, "attributes": attributes,
                 "problems": problems}
        if truncated:
            entry["truncated"] = truncated
        return entry

    @staticmethod
    def has_class(entry, logical_class):
        return logical_class in entry["markers"]


def _text(value):
    """ldap3 nests the reason in args of args; show the innermost text, not a tuple repr."""
    while isinstance(value, BaseException) and value.args:
        value = value.args[0]
    while isinstance(value, tuple) and value:
        value = value[0]
    return str(value)


def _close(connection):
    if connection is None:
        return
    try:
        connection.unbind()
    except Exception:  # closing a dead socket must not hide the real error
        pass


class ProviderReader:
    """Reads one care provider (vårdgivare) with its care units, commissions and persons.

    Phases (each a bounded number of searches; their errors are kept per scope, so a failure late in
    the read does not lose what was already read):
      provider  1 search: (hsaIdentity=<provider>) under the base DN
      units     paged subtree search of the provider's entry; 1 search for care units elsewhere that
                point at the provider or that the inventory names; 1 subtree search per such unit
                (at most MAX_EXTERNAL_UNITS); lookups of referenced units by HSA-id in chunks
      persons   lookups of commission members and expected staff not already read, in chunks
    """

    def __init__(self, directory, provider_hsa_id, care_unit_hsa_ids=(), person_hsa_ids=(),
                 hsa_id_pattern=DEFAULT_HSA_ID_PATTERN):
        self.directory = directory
        self.pattern = hsa_id_pattern
        self.provider_hsa_id = provider_hsa_id
        self.care_unit_hsa_ids = list(care_unit_hsa_ids)
        self.person_hsa_ids = list(person_hsa_ids)
        self.data = _nothing_read(provider_hsa_id)
        self._seen = set()

    # --- helpers ------------------------------------------------------------------------------

    def _valid(self, hsa_id):
        return hsa_id_problem(hsa_id, self.pattern) is None

    def _hsa_id(self, entry):
        values = entry["attributes"].get("hsa_id") or []
        return values[0] if values else None

    def _known_ids(self, kinds):
        return {(self._hsa_id(e) or "").casefold() for kind in kinds for e in self.data[kind]} - {""}

    def _add(self, entry):
        """File an entry by what it is; an entry read twice (tree + lookup) is kept once."""
        key = dn_key(entry["dn"])
        if key in self._seen:
            return
        self._seen.add(key)
        directory = self.directory
        if directory.has_class(entry, "commission"):
            self.data["commissions"].append(entry)
        elif any(directory.has_class(entry, c) for c in ("care_unit", "unit", "organisation", "provider")):
            self.data["units"].append(entry)
        elif self._hsa_id(entry):
            # Anything else with an HSA-id is a person, whatever its structural class: a person entry
            # that lacks `sn` (a defect) may not be an inetOrgPerson at all.
            self.data["persons"].append(entry)
        else:
            self.data["others"].append(entry)

    def _lookup(self, hsa_ids):
        """Entries for HSA-ids, LOOKUP_CHUNK ids per search; only well-formed ids get into a filter."""
        ids = sorted({i for i in hsa_ids if self._valid(i)}, key=str.casefold)
        attribute = self.directory.names["hsa_id"]
        for chunk in _chunks(ids, LOOKUP_CHUNK):
            for entry in self.directory.search(self.directory.options.get("base_dn") or "c=SE",
                                               any_of([equals_filter(attribute, i) for i in chunk])):
                self._add(entry)

    def _tree_filter(self):
        names = self.directory.names
        return any_of(["(%s=*)" % names["hsa_id"], equals_filter(names["object_class"], names["class_care_unit"]),
                       equals_filter(names["object_class"], names["class_commission"])])

    # --- phases -------------------------------------------------------------------------------

    def read(self):
        """Run every phase; returns the data dict (errors per scope under 'errors')."""
        for scope, phase in (("provider", self.read_provider), ("units", self.read_units),
                             ("persons", self.read_persons)):
            if self.data["errors"]:
                # A scope builds on the ones before it: without units, no commissions for persons.
                first_scope = next(iter(self.data["errors"]))
                self.data["errors"].setdefault(scope, "not read: %s" % self.data["errors"][first_scope])
                self.data["error_kinds"].setdefault(scope, self.data["error_kinds"][first_scope])
                continue
            self.run_phase(scope, phase)
        self.finish()
        return self.data

    def run_phase(self, scope, phase):
        try:
            phase()
        except DirectoryError as exc:
            self.data["errors"][scope] = str(exc)
            self.data["error_kinds"][scope] = exc.kind
        except Exception as exc:  # pylint: disable=broad-except  # a bug or odd data: keep what was read
            self.data["errors"][scope] = "reading the directory failed: %s: %s" % (
                type(exc).__name__, self.directory._scrub(exc))  # pylint: disable=protected-access
            self.data["error_kinds"][scope] = "malformed"

    def finish(self):
        self.data["searches"] = self.directory.requests
        self.data["server"] = self.directory.uri
        self.data["failover"] = list(self.directory.failover_log)
        self.data["read_at"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")

    def read_provider(self):
        if not self._valid(self.provider_hsa_id):
            return  # judged as a malformed HSA-id; never looked up
        names = self.directory.names
        found = self.directory.search(self.directory.options.get("base_dn") or "c=SE",
                                      equals_filter(names["hsa_id"], self.provider_hsa_id))
        if len(found) > 1:
            raise DirectoryError("malformed", "HSA-id %s is on %d entries: %s" % (
                self.provider_hsa_id, len(found), "; ".join(e["dn"] for e in found)))
        if found:
            self.data["provider"] = found[0]
            self._seen.add(dn_key(found[0]["dn"]))

    def read_units(self):
        names = self.directory.names
        base = self.directory.options.get("base_dn") or "c=SE"
        provider = self.data["provider"]
        if provider is not None:
            for entry in self.directory.search(provider["dn"], self._tree_filter()):
                self._add(entry)
        # Care units elsewhere that point at the provider, and inventory units not in its tree.
        wanted = [i for i in self.care_unit_hsa_ids if self._valid(i)
                  and i.casefold() not in self._known_ids(["units"])]
        filters = [equals_filter(names["hsa_id"], i) for i in wanted]
        if self._valid(self.provider_hsa_id):
            filters.append("(&%s%s)" % (equals_filter(names["object_class"], names["class_care_unit"]),
                                        equals_filter(names["responsible_provider"], self.provider_hsa_id)))
        outside = []
        for chunk in _chunks(filters, LOOKUP_CHUNK):
            for entry in self.directory.search(base, any_of(chunk)):
                if dn_key(entry["dn"]) not in self._seen:
                    outside.append(entry)
                self._add(entry)
        care_units_outside = [e for e in outside if self.directory.has_class(e, "care_unit")]
        if len(care_units_outside) > MAX_EXTERNAL_UNITS:
            raise DirectoryError("malformed", "%d care units outside the provider's subtree point at it (at most %d "
                                 "are read)" % (len(care_units_outside), MAX_EXTERNAL_UNITS))
        for unit in care_units_outside:
            for entry in self.directory.search(unit["dn"], self._tree_filter()):
                self._add(entry)
        # Sub-units the care units list as members, and providers the units point at, by HSA-id.
        referenced = set()
        for unit in self.data["units"]:
            referenced.update(unit["attributes"].get("unit_members", []))
            referenced.update(unit["attributes"].get("responsible_provider", []))
        known = self._known_ids(["units", "others"]) | {self.provider_hsa_id.casefold()}
        self._lookup(i for i in referenced if i.casefold() not in known)

    def read_persons(self):
        wanted = set(self.person_hsa_ids)
        for commission in self.data["commissions"]:
            for member in commission["attributes"].get("commission_member", []):
                wanted.add(commission_member_id(member))
        known = self._known_ids(["persons"])
        self._lookup(i for i in wanted if i.casefold() not in known)


def _nothing_read(provider_hsa_id):
    return {"provider_hsa_id": provider_hsa_id, "provider": None, "units": [], "commissions": [], "persons": [],
            "others": [], "errors": {}, "error_kinds": {}, "searches": 0, "server": None, "failover": [],
            "read_at": None}


def read_provider(options, provider_hsa_id, care_unit_hsa_ids=(), person_hsa_ids=(),
                  hsa_id_pattern=DEFAULT_HSA_ID_PATTERN):
    """Connect, read one provider, close. Connection problems land in data['errors'], never raise."""
    try:
        directory = HsaDirectory(options)
    except DirectoryError as exc:
        return dict(_nothing_read(provider_hsa_id), errors={scope: str(exc) for scope in SCOPES},
                    error_kinds={scope: exc.kind for scope in SCOPES})
    reader = ProviderReader(directory, provider_hsa_id, care_unit_hsa_ids, person_hsa_ids, hsa_id_pattern)
    try:
        return reader.read()
    finally:
        directory.close()
