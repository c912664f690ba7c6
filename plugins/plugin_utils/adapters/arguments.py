# Copyright: (c) 2026, webcert-fleet maintainers
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugins validate their arguments with Ansible's argument-spec validation, against a spec derived
from their ansible-doc documentation (the stub in plugins/modules/<name>.py and its doc fragments), so what
is documented is what is accepted, by type: `hosts: abc` is one host, a mapping where a list belongs is an
error naming the argument.
"""

import importlib
import re

import yaml

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.webcert.fleet.plugins.module_utils.hsa_options import CONNECTION_OPTIONS
from ansible_collections.webcert.fleet.plugins.plugin_utils.base.errors import TYPE_WORDS, kind_of, plain

FRAGMENTS = "ansible_collections.webcert.fleet.plugins.doc_fragments."
# Keys of a documented option that are also argument-spec keys.
SPEC_KEYS = ("type", "elements", "default", "required", "choices", "aliases")
# Options whose value must never appear in a message (the doc format has no no_log key; the secret HSA
# options say so where they are declared).
NO_LOG = tuple(name for name, option in CONNECTION_OPTIONS.items() if option.get("no_log"))


def documented_options(documentation):
    """name -> documented option, the plugin's own over those of its webcert.fleet doc fragments."""
    doc = yaml.safe_load(documentation)
    options = {}
    for fragment in doc.get("extends_documentation_fragment") or []:
        if fragment.startswith("ansible.builtin."):
            continue  # attributes only, no options
        module = importlib.import_module(FRAGMENTS + fragment.split(".")[-1])
        options.update(yaml.safe_load(module.ModuleDocFragment.DOCUMENTATION).get("options") or {})
    options.update(doc.get("options") or {})
    return options


def argument_spec(documentation):
    """An argument spec for ArgumentSpecValidator from a DOCUMENTATION string."""
    spec = {}
    for name, option in documented_options(documentation).items():
        entry = {key: option[key] for key in SPEC_KEYS if key in option}
        entry.setdefault("type", "str")
        if name in NO_LOG:
            entry["no_log"] = True
        spec[name] = entry
    return spec


_PYTHON_TYPE = re.compile(r"<class '(?:[\w.]+\.)?_?(?:Ansible)?(?:Tagged)?(\w+)'>")


def _words(message):
    """Ansible's validation messages name Python classes (<class 'dict'>); say 'a mapping' instead."""
    return _PYTHON_TYPE.sub(lambda m: TYPE_WORDS.get(m.group(1), m.group(1)), message)


def validate_args(action, spec):
    """The task's arguments validated and converted by `spec`, defaults filled in; AnsibleActionFail
    naming the task's action and each bad argument otherwise. A list or mapping where text belongs is
    an error (Ansible would quietly make text of it)."""
    args = dict(action._task.args)  # pylint: disable=protected-access  # the task of this action
    validated, problems = check_args(args, spec)
    if problems:
        raise AnsibleActionFail("%s: %s" % (action._task.action, "; ".join(problems)))  # pylint: disable=protected-access
    return validated


def check_args(args, spec):
    """(validated and converted arguments, [problem]) of `args` against `spec`: validate_args without a task,
    for an action that validates on behalf of many hosts (webcert_audit_evidence_files)."""
    args = plain(args)
    problems = ["argument %r: %s where text belongs" % (name, kind_of(args[name]))
                for name, entry in spec.items() if entry["type"] == "str" and isinstance(args.get(name), (list, dict))]
    result = ArgumentSpecValidator(spec).validate(args)
    problems += [_words(str(error)) for error in result.errors]
    return result.validated_parameters, problems
