"""Waits (already running) until GO appears, then opens files and exits."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
truth.ready_then_wait(DIR)


def after_attach(i):
    with open(truth.traced(os.path.join(DIR, "attached-%d" % i)), "w"):
        pass


for i in range(3):
    after_attach(i)
