"""Waits (already running) until GO appears, then opens files and exits."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402,F401

DIR = sys.argv[1]
open(os.path.join(DIR, "_ready"), "w").close()
while not os.path.exists(os.path.join(DIR, "_GO")):
    time.sleep(0.01)


def after_attach(i):
    with open(os.path.join(DIR, "attached-%d" % i), "w"):
        pass


for i in range(3):
    after_attach(i)
