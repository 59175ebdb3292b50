"""Waits (already running) for GO, then starts new threads that open files."""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
truth.ready_then_wait(DIR)


def late_worker(k):
    with open(truth.traced(os.path.join(DIR, "late-%d" % k)), "w"):
        pass


threads = [threading.Thread(target=late_worker, args=(k,)) for k in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
