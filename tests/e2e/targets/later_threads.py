"""Runs until STOP appears; after GO, starts new threads that open files."""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402,F401

DIR = sys.argv[1]
open(os.path.join(DIR, "_ready"), "w").close()
while not os.path.exists(os.path.join(DIR, "_GO")):
    time.sleep(0.01)


def late_worker(k):
    with open(os.path.join(DIR, "late-%d" % k), "w"):
        pass


threads = [threading.Thread(target=late_worker, args=(k,)) for k in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
