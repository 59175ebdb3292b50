"""Stacks of an exact total depth, and deep stacks that pass through C at
every level or live in another thread.

Usage: shape_deep.py DIR WHAT...   WHAT: depth-N (the open's stack is N
frames deep in all), c-N (N levels of sorted(key=...)), thread-N (N levels
in a new thread)
"""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
sys.setrecursionlimit(10000)


def stack_depth():
    """Frames of the caller's stack, the caller included."""
    n, f = 0, sys._getframe(1)
    while f is not None:
        n += 1
        f = f.f_back
    return n


def recurse(n, name):
    if n <= 1:
        open(truth.traced(os.path.join(DIR, name)), "w").close()
        return
    recurse(n - 1, name)


def exact_depth(total):
    # this frame and the recursion make up `total`
    recurse(total - stack_depth(), "depth-%d" % total)


def through_c(n, name):
    if n <= 1:
        open(truth.traced(os.path.join(DIR, name)), "w").close()
        return 0
    return sorted([n], key=lambda x: through_c(n - 1, name))


def in_thread(n):
    t = threading.Thread(target=recurse, args=(n, "thread-%d" % n))
    t.start()
    t.join()


for what in sys.argv[2:]:
    kind, n = what.rsplit("-", 1)
    if kind == "depth":
        exact_depth(int(n))
    elif kind == "c":
        through_c(int(n), "c-%s" % n)
    elif kind == "thread":
        in_thread(int(n))
