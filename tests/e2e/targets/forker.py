"""Forks a child that opens a file from a known call chain, and runs a
non-Python child; used with -f."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]


def in_child():
    with open(truth.traced(os.path.join(DIR, "from-child")), "w"):
        pass


pid = os.fork()
if pid == 0:
    in_child()
    os._exit(0)
os.waitpid(pid, 0)
subprocess.run(["cat", os.path.join(DIR, "from-child")], check=True)
