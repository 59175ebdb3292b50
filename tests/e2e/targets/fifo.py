"""One thread blocks in openat() on a FIFO (GIL released) while the main
thread opens other files; then the main thread opens the FIFO's write end."""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
FIFO = os.path.join(DIR, "fifo")
os.mkfifo(FIFO)


def blocked_reader():
    with open(truth.traced(FIFO), "rb") as f:      # blocks until a writer opens the FIFO
        f.read()


def busy_main(n):
    for i in range(n):
        with open(truth.traced(os.path.join(DIR, "while-blocked-%d" % i)), "w"):
            pass


t = threading.Thread(target=blocked_reader, name="reader")
t.start()
# Give the reader time to enter openat() and block there.
import time  # noqa: E402
time.sleep(0.3)
busy_main(5)
with open(truth.traced(FIFO), "wb") as w:
    w.write(b"x")
t.join()
