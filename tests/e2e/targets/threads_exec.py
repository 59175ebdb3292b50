"""Threads that exit one by one, then a non-leader thread that execs."""
import os
import sys
import threading

for _ in range(5):
    t = threading.Thread(target=lambda: None)
    t.start()
    t.join()


def run():
    os.execv(sys.executable, [sys.executable, "-c", "pass"])


threading.Thread(target=run).start()
threading.Event().wait(30)
