"""A code object's address means that code object only until it is freed.

The walker sends what it reads of a code object once and then names it by
address.  With the code-free uprobe (the default) it trusts that until the
interpreter frees the object; with --code-check=reread it reads the object
at every call.  Either way a new code object at a freed one's address must
show its own file, function and lines.  The target makes and frees code
objects round after round (most land where the previous one was, which it
checks), in the traced process and in a forked child, whose frees the
parent's uprobe does not see."""
import json
import os
import signal
import subprocess

import pytest

from conftest import PYTRACE, TARGETS, Run, assert_frames_match, read_jsonl, wait_for
from test_lifecycle import progs_held_by, wait_progs_gone
from test_strategies import uprobes

ROUNDS = 60


@pytest.mark.parametrize("fork", [False, True], ids=["same-process", "forked-child"])
@pytest.mark.parametrize("check", ["uprobe", "reread"])
def test_new_code_at_a_freed_address_shows_its_own_names(python, tmp_path, check, fork):
    out, truth = tmp_path / "trace.jsonl", tmp_path / "truth.jsonl"
    env = dict(os.environ, PYTRACE_TRUTH=str(truth), PYTRACE_TRUTH_PREFIX=str(tmp_path) + "/")
    tracer = subprocess.Popen(
        [PYTRACE, "--json", "-o", str(out), "-f", "-e", "openat,open",
         "--code-check=" + check, "--", python, os.path.join(TARGETS, "code_reuse.py"),
         str(tmp_path), str(ROUNDS)] + (["fork"] if fork else []),
        env=env, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: (tmp_path / "_ready").exists(), timeout=30, what="target warmed up")
        if check == "uprobe":       # the rounds must run under it
            wait_for(lambda: uprobes(tracer.pid, "code_freed"), what="the code-free uprobe")
        else:
            assert not uprobes(tracer.pid, "code_freed")
        (tmp_path / "_GO").touch()
        _, stderr = tracer.communicate(timeout=60)
    finally:
        tracer.kill()
    assert tracer.returncode == 0, stderr
    with open(tmp_path / "_reuse.json") as f:
        made = json.load(f)
    # Without reuse this test would prove nothing: an address seen before,
    # and for the per-thread memory of the last stack, the address of the
    # round just before.
    assert made["reused"] >= ROUNDS // 2, made
    assert made["consecutive"] >= ROUNDS // 2, made
    r = Run(0, stderr, read_jsonl(str(out)), read_jsonl(str(truth)))
    assert_frames_match(r, min_truth=ROUNDS)
    assert "code deallocator" not in stderr, stderr


def test_code_free_uprobe_goes_with_pytrace_killed(python, tmp_path):
    """The uprobe is in while pytrace runs and goes, with its program, when
    pytrace is killed with SIGKILL; the target, mid-run, goes on unharmed
    and frees its code objects without it."""
    env = dict(os.environ, PYTRACE_TRUTH=str(tmp_path / "truth.jsonl"),
               PYTRACE_TRUTH_PREFIX=str(tmp_path) + "/")
    tracer = subprocess.Popen([PYTRACE, "-o", os.devnull, "-e", "openat", "--", python,
                               os.path.join(TARGETS, "code_reuse.py"), str(tmp_path),
                               str(ROUNDS)], env=env, stderr=subprocess.DEVNULL)
    target = None
    try:
        wait_for(lambda: (tmp_path / "_ready").exists(), timeout=30, what="target warmed up")
        target = psutil_child(tracer.pid)
        wait_for(lambda: uprobes(tracer.pid, "code_freed"), what="the code-free uprobe")
        progs = progs_held_by(tracer.pid)
        tracer.send_signal(signal.SIGKILL)
        tracer.wait(timeout=10)
        wait_progs_gone(progs)
        (tmp_path / "_GO").touch()
        wait_for(lambda: not os.path.exists("/proc/%d" % target), timeout=60,
                 what="the target to finish")
        with open(tmp_path / "_reuse.json") as f:
            assert json.load(f)["rounds"] == ROUNDS
    finally:
        tracer.kill()
        if target and os.path.exists("/proc/%d" % target):
            os.kill(target, signal.SIGKILL)


def psutil_child(pid):
    """The one child of process pid."""
    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
        kids = f.read().split()
    assert len(kids) == 1, kids
    return int(kids[0])
