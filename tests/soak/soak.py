#!/usr/bin/python3
"""Soak test: hundreds of Python threads making system calls for a while
under pytrace with full tracebacks, written as JSON Lines to a file.

Every second it samples pytrace's memory (VmRSS, VmHWM) and CPU time from
/proc.  At the end it checks that nothing was lost silently: the getppid
calls the target counted itself must all be in the trace, or be counted by
pytrace as lost (its JSON summary).  Prints a short table; exits 1 when
calls are unaccounted for, or when pytrace failed.

    /usr/bin/python3 tests/soak/soak.py [--threads 300] [--seconds 30]
        [--pytrace build/pytrace] [--python /usr/bin/python3.11]
        [--pause-ms 5] [--all-syscalls] [--buffer-size MiB] [--keep]

With --all-syscalls pytrace traces every syscall (more load); the check is
then that the calls missing are at most the records lost, as a lost record
may have been any syscall.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Each thread calls os.getppid() (a syscall each time: glibc does not cache
# it) a few frames deep, sleeps, and counts its calls.  The count is written
# once every thread has stopped.
TARGET = r"""
import os, sys, threading, time

threads, seconds, pause = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]) / 1000
counts = [0] * threads
start = threading.Barrier(threads + 1)

def leaf(i):
    os.getppid()
    counts[i] += 1

def middle(i):
    leaf(i)

def worker(i):
    start.wait()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        middle(i)
        if pause:
            time.sleep(pause)

ts = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
for t in ts:
    t.start()
start.wait()
for t in ts:
    t.join()
with open(sys.argv[4], "w") as f:
    f.write("%d\n" % sum(counts))
"""


def proc_sample(pid):
    """(VmRSS KiB, VmHWM KiB, its own user+sys CPU seconds, name, RssAnon
    KiB), or None if gone.
    A zombie has no memory figures any more (0)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            st = dict(l.split(":", 1) for l in f if ":" in l)
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks	# utime, stime
    kib = lambda key: int(st[key].split()[0]) if key in st else 0
    return kib("VmRSS"), kib("VmHWM"), cpu, st["Name"].strip(), kib("RssAnon")


def count_trace(path):
    """getppid records, those with frames ending in leaf(), and the summary."""
    calls = framed = 0
    summary = None
    with open(path, encoding="utf-8", errors="surrogateescape") as f:
        for line in f:
            if '"syscall":"getppid"' in line:
                calls += 1
                rec = json.loads(line)
                fr = rec["frames"]
                if fr and fr[0]["func"] == "leaf" and len(fr) >= 3:
                    framed += 1
            elif '"type":"summary"' in line:
                summary = json.loads(line)
    return calls, framed, summary


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=300)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--pause-ms", type=float, default=5,
                    help="sleep between two calls of a thread (0: none)")
    ap.add_argument("--pytrace", default=os.environ.get("PYTRACE_BIN") or
                    os.path.join(ROOT, "build", "pytrace"))
    ap.add_argument("--python", default="/usr/bin/python3.11")
    ap.add_argument("--all-syscalls", action="store_true")
    ap.add_argument("--buffer-size", type=int, help="pytrace --buffer-size (MiB)")
    ap.add_argument("--keep", action="store_true", help="keep the trace file")
    a = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="pytrace-soak.")
    trace, count_file = os.path.join(tmp, "trace.jsonl"), os.path.join(tmp, "count")
    cmd = [a.pytrace, "--json", "-o", trace]
    if not a.all_syscalls:
        cmd += ["-e", "getppid"]
    if a.buffer_size:
        cmd += ["--buffer-size", str(a.buffer_size)]
    cmd += ["--", a.python, "-c", TARGET, str(a.threads), str(a.seconds), str(a.pause_ms),
            count_file]
    t0 = time.monotonic()
    # stderr goes to a file: nothing to drain while sampling.
    err_file = open(os.path.join(tmp, "stderr"), "w+")
    tracer = subprocess.Popen(cmd, stderr=err_file)
    samples = []
    time.sleep(1)
    while True:
        # Once it has exited, pytrace is left a zombie until reaped: its
        # final CPU time is still in /proc (wait4's would include the
        # target's, which pytrace reaped).
        done = os.waitid(os.P_PID, tracer.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        s = proc_sample(tracer.pid)
        if s and not done and s[3] == os.path.basename(a.pytrace)[:15]:
            samples.append(s)	# after the exec only
        if done:
            cpu = s[2] if s else samples[-1][2]
            break
        time.sleep(1)
    wall = time.monotonic() - t0
    rc = tracer.wait()
    err_file.seek(0)
    err = err_file.read()
    if rc != 0 or not os.path.exists(count_file) or not samples:
        print("soak: pytrace exited %d (files in %s)\n%s" % (rc, tmp, err), file=sys.stderr)
        return 1
    with open(count_file) as f:
        made = int(f.read())
    calls, framed, summary = count_trace(trace)
    size = os.path.getsize(trace)
    if a.keep:
        print("trace kept in", trace)
    else:
        shutil.rmtree(tmp)
    if summary is None:
        print("soak: no summary record in the trace\n" + err, file=sys.stderr)
        return 1

    lost = summary["lost"]
    lost_total = sum(lost.values())
    missing = made - calls
    if a.all_syscalls:
        ok = 0 <= missing <= lost_total
    else:
        # Only getppid is traced: a call missing from the trace is a lost
        # enter record (or a probe that could not run), nothing else.
        ok = 0 <= missing <= lost["enter"] + lost["recursion"] + lost["no_memory"]
    rss = [s[0] for s in samples]
    anon = [s[4] for s in samples]
    mib = lambda kib: "%.1f" % (kib / 1024)
    rows = [
        ("threads x seconds", "%d x %g s (pause %g ms), %s" % (a.threads, a.seconds,
                                                             a.pause_ms, a.python)),
        ("traced", "all syscalls" if a.all_syscalls else "getppid"),
        # The first sample is taken at 1 s, once set up.  Most of the RSS
        # is the ring buffer's mapping; RssAnon is the heap, where a leak
        # would show.
        ("pytrace RSS MiB", "at 1 s %s, peak %s (VmHWM), at the end %s" % (
            mib(rss[0]), mib(samples[-1][1]), mib(rss[-1]))),
        ("pytrace RssAnon MiB", "at 1 s %s, max %s, at the end %s" % (
            mib(anon[0]), mib(max(anon)), mib(anon[-1]))),
        ("pytrace CPU", "%.1f s in %.1f s wall (%.0f%% of one core)" % (cpu, wall,
                                                                       100 * cpu / wall)),
        ("calls made (target)", "%d (%.0f/s)" % (made, made / a.seconds)),
        ("calls in trace", "%d, %d with the full traceback (%.1f%%)" % (
            calls, framed, 100.0 * framed / calls if calls else 0)),
        ("trace size", "%.1f MiB, %d events" % (size / 2**20, summary["events"])),
        ("lost (summary)", ", ".join("%s %d" % kv for kv in lost.items())),
        ("missing from trace", "%d -> %s" % (missing, "accounted for" if ok else
                                              "NOT ACCOUNTED FOR")),
    ]
    for k, v in rows:
        print("%-22s %s" % (k, v))
    if err.strip():
        print("pytrace stderr:", err.strip().replace("\n", "\n    "))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
