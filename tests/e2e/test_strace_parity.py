"""pytrace's syscall lines must read exactly as strace's.

The same program runs under Debian's strace and under pytrace --no-frames
with the same -e and -s; each process's sequence of lines must be equal
after removing pid prefixes and alignment spaces, joining strace's
unfinished/resumed halves, and masking pointer values (they differ from run
to run).
"""
import os
import re
import subprocess

from conftest import PYTRACE, TARGETS

CALLS = "openat,open,close,read,write,newfstatat,stat,lstat,fstat,statx,connect,execve"
RAW_CALLS = ("open,creat,close,read,pread64,write,stat,lstat,fstat,lseek,access,readlink,"
             "symlink,unlink")
PID = re.compile(r"^(?:\[pid +(\d+)\] |(\d+) +)")
RESUMED = re.compile(r"^<\.\.\. (\w+) resumed>(.*)$")


def per_process(path):
    """{process index: [normalized lines]} in order of first appearance."""
    procs, order, open_calls = {}, {}, {}
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        lines = f.read().splitlines()
    first_pid = None
    for line in lines:
        m = PID.match(line)
        pid = int(m.group(1) or m.group(2)) if m else None
        body = line[m.end():] if m else line
        if pid is None:
            pid = first_pid if first_pid is not None else 0
        if first_pid is None:
            first_pid = pid
        if body.startswith("--- SIG") or body.startswith("+++"):
            continue
        key = order.setdefault(pid, len(order))
        if body.endswith(" <unfinished ...>"):
            open_calls[pid] = body[: -len(" <unfinished ...>")]
            continue
        r = RESUMED.match(body)
        if r and pid in open_calls:
            body = open_calls.pop(pid) + r.group(2)
        body = re.sub(r"0x[0-9a-f]{6,}", "0xADDR", body)
        body = re.sub(r"\) +=", ") =", body)
        body = re.sub(r"(, +|\( *)$", "", body)
        procs.setdefault(key, []).append(re.sub(r" +$", "", body))
    return procs


def compare_with_strace(tmp_path, cmd, calls):
    s_out, p_out = tmp_path / "strace.txt", tmp_path / "pytrace.txt"
    s = subprocess.run(["strace", "-f", "-qq", "-s", "32", "-e", "trace=" + calls,
                        "-o", str(s_out)] + cmd, capture_output=True)
    assert s.returncode == 0, s.stderr
    p = subprocess.run([PYTRACE, "-f", "-q", "--no-frames", "-s", "32", "-e", "trace=" + calls,
                        "-o", str(p_out), "--"] + cmd, capture_output=True)
    assert p.returncode == 0, p.stderr
    want, got = per_process(str(s_out)), per_process(str(p_out))
    assert sorted(want) == sorted(got), "different number of processes"
    total = 0
    for k in want:
        w, g = want[k], got[k]
        total += len(w)
        for i, (a, b) in enumerate(zip(w + [""], g + [""])):
            assert a == b, "process %d differs at line %d:\n strace:  %s\n pytrace: %s" % (
                k, i, a, b)
    return total


def test_lines_identical_to_strace(python, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    total = compare_with_strace(tmp_path, [python, os.path.join(TARGETS, "parity.py"),
                                           str(data)], CALLS)
    assert total > 300


def test_legacy_syscalls_identical_to_strace(tmp_path):
    exe = tmp_path / "rawcalls"
    subprocess.run(["cc", "-O1", "-o", str(exe), os.path.join(TARGETS, "rawcalls.c")], check=True)
    data = tmp_path / "data"
    data.mkdir()
    total = compare_with_strace(tmp_path, [str(exe), str(data)], RAW_CALLS)
    assert total >= 18
