"""Hundreds of threads, each opening its own path through a call chain of
its own depth.

Usage: shape_threads.py DIR MODE N
  before: start N threads, say _ready, wait for _GO, then let them open
  after:  say _ready, wait for _GO, then start N threads
  launch: start N threads that open at once
"""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR, MODE, N = sys.argv[1], sys.argv[2], int(sys.argv[3])
go = threading.Event()


def chain(k, levels):
    if levels == 0:
        with open(truth.traced(os.path.join(DIR, "%s-thread-%d" % (MODE, k))), "w"):
            pass
        return
    chain(k, levels - 1)


def worker(k):
    go.wait()
    chain(k, k % 7)


threads = [threading.Thread(target=worker, args=(k,), name="w%d" % k) for k in range(N)]
if MODE == "before":
    for t in threads:
        t.start()
    truth.ready_then_wait(DIR)
elif MODE == "after":
    truth.ready_then_wait(DIR)
    for t in threads:
        t.start()
else:
    for t in threads:
        t.start()
go.set()
for t in threads:
    t.join()
