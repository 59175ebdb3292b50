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


def test_lines_identical_to_strace(python, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    cmd = [python, os.path.join(TARGETS, "parity.py"), str(data)]
    s_out, p_out = tmp_path / "strace.txt", tmp_path / "pytrace.txt"
    s = subprocess.run(["strace", "-f", "-qq", "-s", "32", "-e", "trace=" + CALLS,
                        "-o", str(s_out)] + cmd, capture_output=True)
    assert s.returncode == 0, s.stderr
    p = subprocess.run([PYTRACE, "-f", "-q", "--no-frames", "-s", "32", "-e", "trace=" + CALLS,
                        "-o", str(p_out), "--"] + cmd, capture_output=True)
    assert p.returncode == 0, p.stderr
    want, got = per_process(str(s_out)), per_process(str(p_out))
    assert sorted(want) == sorted(got), "different number of processes"
    total = same = 0
    for k in want:
        w, g = want[k], got[k]
        total += len(w)
        same += sum(1 for a, b in zip(w, g) if a == b)
        assert g == w, "process %d differs at line %d:\n strace:  %s\n pytrace: %s" % (
            k, next(i for i, (a, b) in enumerate(zip(w + [""], g + [""])) if a != b),
            next((a for a, b in zip(w + [""], g + [""]) if a != b), ""),
            next((b for a, b in zip(w + [""], g + [""]) if a != b), ""))
    assert total > 300 and same == total
