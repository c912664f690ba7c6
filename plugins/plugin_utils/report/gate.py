# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Gating: decide whether a run's results cross a threshold, so CI and scheduled runs can fail on them.

The setting comes from the inventory variable `webcert_gate` (a mapping) or the environment variable
WEBCERT_GATE (the same rules as text, "failed_impact=high,max_error=0"); the environment wins, so a CI
job can tighten the gate without editing the inventory. Rules (all optional, any crossed rule fails):

  failed_impact: high     an open failure (failed, not waived) of this impact or higher
  max_failed: 0           more open failures than this in total
  max_error: 0            more `error` results than this (hosts unreachable, evidence unreadable)
  max_not_reviewed: 0     more `not_reviewed` results than this (could not be determined)
  new_failures: true      any new failure, regression or expired waiver against the previous run (a failure
                          whose control was not judged before, drift "not_judged_before", does not count)

Waived results never cross a gate. A malformed setting is an error naming the setting and the rule.
"""

from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import WebcertError, kind_of
from ansible_collections.webcert.fleet.plugins.plugin_utils.report.common import IMPACT_ORDER, impact_at_least, is_open_failure
from ansible_collections.webcert.fleet.plugins.plugin_utils.results.model import count_statuses

RULES = ("failed_impact", "max_failed", "max_error", "max_not_reviewed", "new_failures")
ENV_VAR = "WEBCERT_GATE"


class GateError(WebcertError):
    """The gate setting is malformed."""


def parse_gate(setting, source="webcert_gate"):
    """A gate dict from a mapping or from 'rule=value,...' text; None, "" or {} means no gate, text without
    any rule (" , ") is an error."""
    if setting is None or setting == "" or setting == {}:
        return {}
    if isinstance(setting, str):
        rules = {}
        for part in (p.strip() for p in setting.split(",")):
            if not part:
                continue
            if "=" not in part:
                raise GateError("%s: %r is not rule=value (rules: %s)" % (source, part, ", ".join(RULES)))
            name, value = (x.strip() for x in part.split("=", 1))
            if name in rules:
                raise GateError("%s: rule %r is given twice" % (source, name))
            rules[name] = value
        if not rules:
            # " , " or "  ": someone meant to set a gate; reading it as "no gate" would pass every run.
            raise GateError("%s: %r has no rules; give rule=value,... (rules: %s) or leave it unset"
                            % (source, setting, ", ".join(RULES)))
        setting = rules
    if not isinstance(setting, dict):
        raise GateError("%s: must be a mapping of rules or 'rule=value,...' text, not %s"
                        % (source, kind_of(setting)))
    gate = {}
    for name, value in setting.items():
        if name not in RULES:
            raise GateError("%s: unknown rule %r (rules: %s)" % (source, name, ", ".join(RULES)))
        gate[name] = _value(source, name, value)
    return gate


def _value(source, name, value):
    if name == "failed_impact":
        if value not in IMPACT_ORDER:
            raise GateError("%s: rule 'failed_impact': %r is not one of %s" % (source, value, ", ".join(IMPACT_ORDER)))
        return value
    if name == "new_failures":
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "yes", "1"):
            return True
        if str(value).lower() in ("false", "no", "0"):
            return False
        raise GateError("%s: rule 'new_failures': %r is not true or false" % (source, value))
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if isinstance(value, bool) or number < 0 or str(number) != str(value).strip():
        raise GateError("%s: rule %r: %r is not a whole number >= 0" % (source, name, value))
    return number


def select_gate(inventory_setting, environ):
    """The environment variable wins over the inventory variable."""
    if environ.get(ENV_VAR, "") != "":
        return parse_gate(environ[ENV_VAR], ENV_VAR), ENV_VAR
    return parse_gate(inventory_setting), "webcert_gate" if inventory_setting else None


def gate_outcome(setting, report, environ):
    """evaluate() with the gate select_gate() picks. A bad gate does not stop the run: the reports are still
    written (nothing gathered is lost), and the gate counts as failed, naming the error."""
    try:
        rules, source = select_gate(setting, environ)
    except GateError as exc:
        return {"enabled": True, "source": None, "rules": {}, "passed": False, "reasons": [str(exc)], "error": str(exc)}
    return evaluate(rules, report, source)


def evaluate(gate, report, source=None):
    """{'enabled', 'source', 'rules', 'passed', 'reasons'}; reasons name the rule and the figures."""
    results = [(s, r) for s in report["subjects"] for r in s["results"]]
    reasons = []
    if "failed_impact" in gate:
        hits = [(s, r) for s, r in results if is_open_failure(r) and impact_at_least(r["impact"], gate["failed_impact"])]
        if hits:
            examples = ", ".join("%s %s" % (s["id"], r["control_id"]) for s, r in hits[:5])
            reasons.append("failed_impact=%s: %d open failure(s) of impact %s or higher (%s%s)"
                           % (gate["failed_impact"], len(hits), gate["failed_impact"], examples,
                              ", ..." if len(hits) > 5 else ""))
    counts = count_statuses(r for _unused, r in results)
    for rule, status in (("max_failed", "failed"), ("max_error", "error"), ("max_not_reviewed", "not_reviewed")):
        if rule in gate and counts[status] > gate[rule]:
            reasons.append("%s=%s: %s result(s)" % (rule, gate[rule], counts[status]))
    if gate.get("new_failures"):
        drift = report.get("drift") or {}
        if drift.get("status") == "computed":
            changed = sum(drift["counts"][k] for k in ("new_failures", "regressed", "waiver_expired"))
            if changed:
                reasons.append("new_failures=true: %d new failure(s), regression(s) or expired waiver(s) since run %s"
                               % (changed, drift["previous_run_id"]))
    return {"enabled": bool(gate), "source": source, "rules": gate, "passed": not reasons, "reasons": reasons}
