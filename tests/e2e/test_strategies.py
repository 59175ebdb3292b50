"""--frames=uprobe: the thread state comes from a uprobe on the eval loop
instead of a walk of the interpreter's thread list.  The frames must be the
same ground truth as with the default walk; before 3.9 (no thread-state
argument) pytrace says so and walks instead.  Killing pytrace must take the
uprobes with it."""
import json
import os
import shutil
import signal
import subprocess

import pytest

from conftest import (TARGETS, Run, assert_frames_match, read_jsonl, run_pytrace,
                      version_of, wait_for)
from test_lifecycle import loaded_progs, progs_held_by, start_attached, wait_progs_gone


def bpftool(*args):
    tool = shutil.which("bpftool") or "/usr/sbin/bpftool"
    out = subprocess.run([tool, "-j"] + list(args), capture_output=True, text=True).stdout
    return json.loads(out or "[]")


def uprobes(pid, prog):
    """uprobes that process pid holds, running the BPF program named prog
    (bpftool perf)."""
    names = loaded_progs()
    return [p for p in bpftool("perf", "show")
            if p.get("pid") == pid and p.get("fd_type") == "uprobe"
            and names.get(p.get("prog_id")) == prog]


def eval_probes(pid):
    return uprobes(pid, "eval_entry")


@pytest.mark.parametrize("shape,min_truth", [("nested", 1), ("method", 1),
                                             ("generator", 3), ("threads", 20)])
def test_uprobe_frames_match(python, tmp_path, shape, min_truth):
    r = run_pytrace(tmp_path, ["--frames=uprobe", "-e", "openat,open,close"],
                    [python, os.path.join(TARGETS, "shapes.py"), str(tmp_path), shape])
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=min_truth)
    fallback = "--frames=uprobe walks it instead" in r.stderr
    assert fallback == (version_of(python) < (3, 9)), r.stderr


def test_uprobe_attach_then_sigkill(python, tmp_path):
    """Attached to a running process: frames for calls made after attach
    match; the uprobe is in place while pytrace runs and gone, with its
    program, once pytrace is killed with SIGKILL."""
    if version_of(python) < (3, 9):
        pytest.skip("no thread-state argument before 3.9: walked instead")
    proc, tracer, out, truth = start_attached(python, tmp_path, "attach.py",
                                              ["--frames=uprobe", "-e", "openat"])
    try:
        wait_for(lambda: eval_probes(tracer.pid), what="the eval-loop uprobe")
        (tmp_path / "_GO").touch()
        assert proc.wait(timeout=30) == 0
        assert tracer.wait(timeout=30) == 0
        r = Run(0, "", read_jsonl(str(out)), read_jsonl(str(truth)))
        assert_frames_match(r, min_truth=3)
    finally:
        proc.kill()
        tracer.kill()

    ready = tmp_path / "again"
    ready.mkdir()
    proc, tracer, out, truth = start_attached(python, ready, "attach.py",
                                              ["--frames=uprobe", "-e", "openat"])
    try:
        wait_for(lambda: eval_probes(tracer.pid), what="the eval-loop uprobe")
        names = loaded_progs()
        progs = progs_held_by(tracer.pid)
        assert "eval_entry" in {names.get(i) for i in progs}
        tracer.send_signal(signal.SIGKILL)
        tracer.wait(timeout=10)
        wait_progs_gone(progs)
        assert not eval_probes(tracer.pid)
        (ready / "_GO").touch()              # the target runs on, unharmed
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
        tracer.kill()
