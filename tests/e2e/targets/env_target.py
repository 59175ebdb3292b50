"""Opens files from a known call chain in the main thread and in a second
thread.  With --wait, both wait (the second thread already started) until
the test creates _GO, so that pytrace can attach first.  Used by
test_environments.py, also from inside a zipapp."""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
WAIT = "--wait" in sys.argv[2:]


def write_marker(name):
    with open(os.path.join(DIR, name), "w"):
        pass


def inner(name):
    write_marker(name)


def outer(name):
    inner(name)


def worker():
    while WAIT and not os.path.exists(os.path.join(DIR, "_GO")):
        time.sleep(0.01)
    outer("from-thread")


t = threading.Thread(target=worker)
t.start()
if WAIT:
    truth.ready_then_wait(DIR)
outer("from-main")
t.join()
