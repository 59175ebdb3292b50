"""Threads that exit one by one, then a non-leader thread that execs.

join() returns once a thread's Python state is gone, which can be before its
exit syscall; a thread still on its way out when the exec comes is killed
without making one.  So each thread is waited for until the kernel no longer
lists it: all five exit(0) calls are then made.
"""
import os
import sys
import threading
import time

for _ in range(5):
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()
    while os.path.exists("/proc/self/task/%d" % t.native_id):
        time.sleep(0.001)


def run():
    os.execv(sys.executable, [sys.executable, "-c", "pass"])


threading.Thread(target=run).start()
threading.Event().wait(30)
