"""A process hung in a syscall since before pytrace attached: at detach,
the call is printed with the traceback of the thread blocked in it, walked
from outside the thread.  The truth is the frame chain the target wrote
down on the very line of the call, for the main thread and for a second
thread blocked the same way."""
import json
import os
import signal
import subprocess

from conftest import PYTRACE, read_jsonl, wait_for

TARGET = r'''
import json, os, sys, threading

def chain(f):
    out = []
    while f is not None:
        out.append([f.f_code.co_filename, f.f_lineno,
                    getattr(f.f_code, "co_qualname", f.f_code.co_name)])
        f = f.f_back
    return out

d = sys.argv[1]
r, w = os.pipe()
truth = {}

def save():
    with open(os.path.join(d, "truth.json"), "w") as f:
        json.dump(truth, f)

def block(who):
    truth[who] = chain(sys._getframe()); who == "main" and save(); os.read(r, 1)

class Worker:
    def run(self):
        block("thread")

def main():
    t = threading.Thread(target=Worker().run)
    t.start()
    while "thread" not in truth:
        pass
    block("main")

main()
'''


def test_blocked_since_before_attach_has_its_traceback(python, tmp_path):
    script = tmp_path / "hung.py"
    script.write_text(TARGET)
    target = subprocess.Popen([python, str(script), str(tmp_path)])
    try:
        wait_for(lambda: (tmp_path / "truth.json").exists(), what="target ready")
        tids = [int(t) for t in os.listdir("/proc/%d/task" % target.pid)]

        def all_blocked():
            calls = []
            for tid in tids:
                with open("/proc/%d/task/%d/syscall" % (target.pid, tid)) as f:
                    calls.append(f.read().split()[0])
            return calls.count("0") == 2        # both in read(2)
        wait_for(all_blocked, what="both threads blocked in read")
        out = tmp_path / "trace.jsonl"
        tracer = subprocess.Popen([PYTRACE, "--json", "-e", "read", "-o", str(out),
                                   "-p", str(target.pid)], stderr=subprocess.PIPE, text=True)
        assert "attached" in tracer.stderr.readline()
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=20) == 0, tracer.stderr.read()
    finally:
        target.kill()
        target.wait()
    truth = json.loads((tmp_path / "truth.json").read_text())
    recs = [r for r in read_jsonl(str(out)) if r.get("type") == "syscall"]
    assert len(recs) == 2, recs
    assert all(r["syscall"] == "read" and r.get("unfinished") for r in recs)
    got = sorted([[f["file"], f["line"], f["func"]] for f in r["frames"]] for r in recs)
    want = sorted([truth["main"], truth["thread"]])
    assert got == want
