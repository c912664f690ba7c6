# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one way a name (host name, HSA-id, rollout id) becomes part of a file name.

Names come from clinic PCs and the HSA directory: they may be long (a 250-character commission), hold
any character, or equal one of the tool's own file names (a PC called `index`). A stem from
subject_stem() is readable (the name itself where it is safe), bounded (any file system takes it, with
room for the tool's prefixes and suffixes such as `.tmp-` and `.json`), and never one of RESERVED_STEMS.
"""

import hashlib
import re

# File systems allow 255 bytes per name; the stem stays far below so that `.tmp-<stem>~12.json` fits.
MAX_STEM_LENGTH = 120
HASH_LENGTH = 10
# The tool's own files beside subject files (fault-reports/index.txt, a README, reports/latest), compared
# without case as Windows shares do. Temporary files start with '.', which no stem does.
RESERVED_STEMS = frozenset(("index", "readme", "latest"))
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def short_hash(text):
    return hashlib.sha256(str(text).encode("utf-8", "surrogatepass")).hexdigest()[:HASH_LENGTH]


def subject_stem(text, max_length=MAX_STEM_LENGTH):
    """A file stem for `text`: its safe characters ('_' for others, no leading '.'), cut to `max_length`
    with '-' and a short hash of the whole name when longer, and with the hash too when it would be one
    of the tool's own names (RESERVED_STEMS)."""
    name = _UNSAFE.sub("_", str(text)).lstrip(".") or "_"
    if len(name) <= max_length and name.lower().split(".")[0] not in RESERVED_STEMS:
        return name
    suffix = "-" + short_hash(text)
    return name[:max_length - len(suffix)] + suffix
