"""Starts Python children through subprocess (fork then exec), each opening
a file from a known function; used with -f."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402,F401

DIR, CHILD_PY = sys.argv[1], sys.argv[2]
CHILD = ("import sys; sys.path.insert(0, %r); import truth\n"
         "def child_opens(p):\n"
         "    open(p, 'w').close()\n"
         "child_opens(sys.argv[1])\n") % os.path.dirname(os.path.abspath(__file__))
for i in range(12):
    subprocess.run([CHILD_PY, "-c", CHILD, os.path.join(DIR, "child-%d" % i)], check=True)
