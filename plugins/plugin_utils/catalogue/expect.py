# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Comparisons used in the catalogue's `expect` blocks. None always means 'absent'."""

import re


def parse_version(text):
    """'6.7.2.15' -> (6, 7, 2, 15). Non-numeric parts end the version ('6.8 beta' -> (6, 8))."""
    if text is None:
        return None
    parts = []
    for piece in re.split(r"[.\-_ ]", str(text).strip()):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts) if parts else None


def pattern_found(pattern, text):
    """Case-insensitive regular-expression search in `text` (None = ''); no pattern (None) is found in anything.
    Names from Windows (products, publishers, issuers, drivers) are matched this way."""
    return pattern is None or re.search(pattern, text or "", re.IGNORECASE) is not None


def version_at_least(actual, minimum):
    """Versions compared as versions, not strings: 6.10 > 6.7. Missing trailing parts count as 0."""
    have, want = parse_version(actual), parse_version(minimum)
    if have is None or want is None:
        return False
    width = max(len(have), len(want))
    return have + (0,) * (width - len(have)) >= want + (0,) * (width - len(want))


def _same(actual, wanted):
    if isinstance(actual, str) and isinstance(wanted, str):
        return actual.casefold() == wanted.casefold()
    if isinstance(actual, bool) or isinstance(wanted, bool):
        return actual is wanted
    if isinstance(wanted, (int, float)) and isinstance(actual, str) and actual.strip().lstrip("-").isdigit():
        return int(actual) == wanted
    return actual == wanted


def describe(expect):
    """Human text of an expectation, used as 'expected' in results."""
    (op, wanted), = expect.items()
    if op == "in" and None in wanted:
        others = [w for w in wanted if w is not None]
        return "absent or one of %s" % others if len(others) != 1 else "absent or %r" % others[0]
    texts = {
        "equals": lambda: "%r" % (wanted,),
        "in": lambda: "one of %s" % (wanted,),
        "not_in": lambda: "not %s" % (" or ".join(map(repr, wanted)),),
        "present": lambda: "present" if wanted else "absent",
        "matches": lambda: "matching /%s/" % (wanted,),
        "version_at_least": lambda: "version %s or later" % (wanted,),
        "at_least": lambda: "at least %s" % (wanted,),
        "at_most": lambda: "at most %s" % (wanted,),
    }
    return texts[op]()


def matches(expect, actual):
    """True when `actual` (None = absent) satisfies the one-key expectation."""
    (op, wanted), = expect.items()
    if op == "present":
        return (actual is not None) is wanted
    if op == "in":
        return any(_same(actual, w) if w is not None else actual is None for w in wanted)
    if op == "not_in":
        return not any(_same(actual, w) for w in wanted if w is not None) and not (
            actual is None and None in wanted)
    if actual is None:
        return False
    if op == "equals":
        return _same(actual, wanted)
    if op == "matches":
        return re.search(wanted, str(actual)) is not None
    if op == "version_at_least":
        return version_at_least(actual, wanted)
    if op in ("at_least", "at_most"):
        try:
            number = float(actual)
        except (TypeError, ValueError):
            return False
        return number >= wanted if op == "at_least" else number <= wanted
    raise ValueError("unknown expectation %r" % op)
