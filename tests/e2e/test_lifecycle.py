"""Attaching and detaching: later threads, children, signals, no leftovers."""
import json
import os
import shutil
import signal
import subprocess
import time

from conftest import (PYTRACE, TARGETS, Run, assert_frames_match, read_jsonl,
                      run_pytrace, wait_for)


def loaded_progs():
    """Ids of every BPF program loaded in the kernel (bpftool)."""
    bpftool = shutil.which("bpftool") or "/usr/sbin/bpftool"
    out = subprocess.run([bpftool, "-j", "prog", "show"], capture_output=True, text=True).stdout
    return {p["id"]: p.get("name") for p in json.loads(out or "[]")}


def progs_held_by(pid):
    """Ids of the BPF programs process pid holds through its file
    descriptors (the kernel's fdinfo of its link and program fds), so that
    other pytrace runs on the machine do not count."""
    ids = set()
    fdinfo = "/proc/%d/fdinfo" % pid
    for fd in os.listdir(fdinfo):
        try:
            with open(os.path.join(fdinfo, fd)) as f:
                for line in f:
                    if line.startswith("prog_id:"):
                        ids.add(int(line.split()[1]))
        except OSError:
            pass
    return ids


def wait_progs_gone(ids):
    wait_for(lambda: not (set(loaded_progs()) & ids), what="BPF programs to go")


def start_attached(python, tmp_path, target, extra=()):
    truth = tmp_path / "truth.jsonl"
    env = dict(os.environ, PYTRACE_TRUTH=str(truth), PYTRACE_TRUTH_PREFIX=str(tmp_path) + "/")
    proc = subprocess.Popen([python, os.path.join(TARGETS, target), str(tmp_path)], env=env)
    wait_for(lambda: (tmp_path / "_ready").exists(), what="target ready")
    out = tmp_path / "trace.jsonl"
    tracer = subprocess.Popen([PYTRACE, "--json", "-o", str(out), "-p", str(proc.pid)] + list(extra),
                              stderr=subprocess.PIPE, text=True)
    line = tracer.stderr.readline()
    assert "attached" in line, line
    return proc, tracer, out, truth


def test_threads_started_after_attach(python, tmp_path):
    proc, tracer, out, truth = start_attached(python, tmp_path, "later_threads.py", ["-e", "openat"])
    try:
        (tmp_path / "_GO").touch()
        assert proc.wait(timeout=30) == 0
        assert tracer.wait(timeout=30) == 0
    finally:
        proc.kill()
        tracer.kill()
    r = Run(0, "", read_jsonl(str(out)), read_jsonl(str(truth)))
    assert_frames_match(r, min_truth=3)
    assert len({x["tid"] for t in r.truth for x in r.opens_of(t["path"])}) == 3


def test_follow_forks(python, tmp_path):
    r = run_pytrace(tmp_path, ["-f", "-e", "openat,execve"],
                    [python, os.path.join(TARGETS, "forker.py"), str(tmp_path)])
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=1)
    child = r.opens_of(str(tmp_path / "from-child"))
    assert child and child[0]["pid"] != r.syscalls()[0]["pid"]
    # the non-Python grandchild (cat) is traced too, without frames
    cats = [x for x in r.syscalls("openat") if x["args"][1] == '"%s"' % (tmp_path / "from-child")
            and not x["frames"]]
    assert cats, "cat's openat was not traced"
    assert any(x["syscall"] == "execve" and "cat" in x["args"][0] for x in r.syscalls())


def attached_and_signalled(python, tmp_path, sig):
    """Attaches to a waiting target, checks pytrace's programs are held,
    sends sig, and waits until they are gone; returns (target, trace)."""
    proc, tracer, out, truth = start_attached(python, tmp_path, "attach.py", ["-e", "openat"])
    try:
        ours = progs_held_by(tracer.pid)
        names = loaded_progs()
        # five attached programs and the code-free uprobe's (attached per
        # process, once it makes enough calls); the iterator for calls
        # blocked since before the attach is loaded only when one is found
        assert sorted(names[i] for i in ours) == [
            "code_freed", "sched_exec", "sched_exit", "sched_fork", "sys_enter",
            "sys_exit"]
        tracer.send_signal(sig)
        rc = tracer.wait(timeout=10)
        wait_progs_gone(ours)
    except BaseException:
        proc.kill()
        raise
    finally:
        tracer.kill()
    return proc, rc, read_jsonl(str(out))


def test_sigkill_leaves_no_probe(python, tmp_path):
    proc, rc, _ = attached_and_signalled(python, tmp_path, signal.SIGKILL)
    try:
        assert rc == -signal.SIGKILL
        (tmp_path / "_GO").touch()     # the target runs on, unharmed
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()


def test_sigterm_detaches_cleanly(python, tmp_path):
    proc, rc, recs = attached_and_signalled(python, tmp_path, signal.SIGTERM)
    try:
        assert rc == 0
        assert recs and recs[-1]["type"] == "summary"
        (tmp_path / "_GO").touch()
        assert proc.wait(timeout=30) == 0
    finally:
        proc.kill()
