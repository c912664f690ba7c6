"""Shared by the bench scripts: run a command and measure its wall time and memory, time Ansible's tasks,
and the floor of reading and writing a report.json once.

Memory of a whole ansible-playbook run is two figures: the largest single process (what /usr/bin/time -v
calls maximum resident set size) and the peak of the proportional set size (PSS) summed over the
process and all its children, sampled every 0.1 s. PSS counts a page shared by forked workers once, so
the sum is what the run really holds.
"""

import json
import os
import re
import subprocess
import sys
import threading
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.path.dirname(sys.executable)


def ansible_env(**extra):
    """The repository's Ansible set-up, with profile_tasks for per-task times; no WEBCERT_* from the shell."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WEBCERT_")}
    env.update(ANSIBLE_HOME=os.path.join(REPO, ".ansible"), ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               ANSIBLE_NOCOLOR="1", PYTHONPATH=os.path.join(REPO, ".collections"),
               ANSIBLE_CALLBACKS_ENABLED="webcert.fleet.webcert_summary,ansible.posix.profile_tasks")
    env.update(extra)
    return env


def _children(pid):
    found, frontier = [pid], [pid]
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name, encoding="ascii", errors="replace") as handle:
                    parents.setdefault(int(handle.read().rsplit(") ", 1)[1].split()[1]), []).append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    while frontier:
        frontier = [child for parent in frontier for child in parents.get(parent, [])]
        found.extend(frontier)
    return found


def _pss_kib(pid):
    try:
        with open("/proc/%d/smaps_rollup" % pid, encoding="ascii") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(command, env=None, cwd=REPO):
    """(seconds, stdout, stderr, largest process MiB, peak tree PSS MiB); exits on failure."""
    started = time.perf_counter()
    command = ["/usr/bin/time", "-f", "maximum resident KiB %M"] + list(command)
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.wait(0.1):
            peak[0] = max(peak[0], sum(_pss_kib(pid) for pid in _children(process.pid)))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    done.set()
    sampler.join()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit("%s failed (%d):\n%s\n%s" % (" ".join(command[3:6]), process.returncode, out[-3000:], err[-3000:]))
    largest = int(re.findall(r"maximum resident KiB (\d+)", err)[-1])
    return elapsed, out, err, largest / 1024, peak[0] / 1024


def task_times(stdout):
    """profile_tasks' recap: task name -> seconds."""
    return {name.strip(): float(seconds)
            for name, seconds in re.findall(r"^(.+?) -{2,} (\d+\.\d+)s$", stdout, re.MULTILINE)}


def floor_seconds(path):
    """Read report.json with the json module and write it back once (the same indent): the least any
    report stage that reads its input and writes its output could cost."""
    started = time.perf_counter()
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    with open(path + ".floor", "w", encoding="utf-8") as handle:
        handle.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    elapsed = time.perf_counter() - started
    os.unlink(path + ".floor")
    return elapsed


def outputs(run_dir):
    """Per format (report.json, inspec/, ...): bytes on disk and number of files."""
    sizes = {}
    for name in sorted(os.listdir(run_dir)):
        path = os.path.join(run_dir, name)
        files = [os.path.join(root, f) for root, _dirs, names in os.walk(path) for f in names] if os.path.isdir(path) \
            else [path]
        sizes[name + ("/" if os.path.isdir(path) else "")] = (sum(os.path.getsize(f) for f in files), len(files))
    return sizes


def load():
    """The machine's load average, for the record (other work on the same cores skews absolute times)."""
    return "load average %.1f %.1f %.1f on %d cores" % (*os.getloadavg(), os.cpu_count())
