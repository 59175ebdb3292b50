"""Shared helpers for pytrace's end-to-end tests.

The interpreters under test are listed in interpreters(); a missing one is a
failure, not a skip, so a CI machine without it cannot pass quietly.
"""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTRACE = os.environ.get("PYTRACE_BIN") or os.path.join(ROOT, "build", "pytrace")
TARGETS = os.path.join(ROOT, "tests", "e2e", "targets")


def pyenv_root():
    if shutil.which("pyenv"):
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    return os.path.expanduser("~/.pyenv")


def interpreters():
    """(id, path) of every interpreter the core tests must pass on."""
    return [
        ("debian-3.11", "/usr/bin/python3.11"),
        ("pyenv-3.11.7", os.path.join(pyenv_root(), "versions", "3.11.7", "bin", "python3.11")),
    ]


@pytest.fixture(params=interpreters(), ids=lambda p: p[0])
def python(request):
    ident, path = request.param
    if not os.access(path, os.X_OK):
        pytest.fail("interpreter %s missing at %s (run scripts/install-deps.sh)" % (ident, path))
    return path


def read_jsonl(path):
    recs = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                recs.append(json.loads(line))
    return recs


class Run:
    def __init__(self, rc, stderr, records, truth, text=None):
        self.rc = rc
        self.stderr = stderr
        self.records = records
        self.truth = truth
        self.text = text

    def syscalls(self, name=None):
        return [r for r in self.records
                if r.get("type") == "syscall" and (name is None or r["syscall"] == name)]

    def opens_of(self, path):
        """pytrace's open/openat records whose path argument is `path`."""
        quoted = json.dumps(path)
        out = []
        for r in self.syscalls():
            if r["syscall"] == "openat" and r["args"][1] == quoted:
                out.append(r)
            elif r["syscall"] in ("open", "creat") and r["args"][0] == quoted:
                out.append(r)
        return out


def run_pytrace(tmp_path, pytrace_args, command, env_extra=None, timeout=60):
    """Launches `command` under pytrace with --json; returns a Run."""
    out = tmp_path / "trace.jsonl"
    truth = tmp_path / "truth.jsonl"
    env = dict(os.environ)
    env["PYTRACE_TRUTH"] = str(truth)
    env["PYTRACE_TRUTH_PREFIX"] = str(tmp_path) + "/"
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([PYTRACE, "--json", "-o", str(out)] + pytrace_args + ["--"] + command,
                       env=env, capture_output=True, text=True, timeout=timeout)
    return Run(p.returncode, p.stderr, read_jsonl(str(out)), read_jsonl(str(truth)))


def frames_of(rec):
    return [[f["file"], f["line"], f["func"]] for f in rec["frames"]]


def assert_frames_match(run, min_truth=1):
    """Every open Python recorded must appear in pytrace's output, from the
    same thread, with the same frames (file, line, function), innermost
    first.  Opens of one path by one thread pair up in order."""
    assert len(run.truth) >= min_truth, "target recorded too few opens: %r" % run.stderr
    used = {}
    for t in run.truth:
        key = (t["path"], t["tid"])
        recs = [r for r in run.opens_of(t["path"]) if r["tid"] == t["tid"]]
        k = used.get(key, 0)
        assert len(recs) > k, "no syscall record for %s from tid %d; stderr: %s" % (
            t["path"], t["tid"], run.stderr)
        used[key] = k + 1
        got = frames_of(recs[k])
        assert got == t["frames"], "frames differ for %s\n got:  %s\n want: %s" % (
            t["path"], got, t["frames"])


def wait_for(pred, timeout=10.0, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)
