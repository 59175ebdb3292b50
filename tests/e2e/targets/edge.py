"""Edge shapes: code freed right after the call (and new code at the same
addresses), deep recursion, non-ASCII names, exit right after a call."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]


def exec_loop(n):
    # Each round compiles a new function and frees it after one call: the
    # allocator hands the next round the same addresses.
    for i in range(n):
        src = "def fn_%d(path):\n    open(path, 'w').close()\n" % i
        ns = {}
        exec(compile(src, "<generated-%d>" % i, "exec"), ns)
        ns["fn_%d" % i](truth.traced(os.path.join(DIR, "gen-%d" % i)))
        del ns


def exec_same_names(n):
    # Same file name, same code name, a line table that differs only in
    # its first entry: the cache must not answer with the previous one.
    for i in range(n):
        src = "\n" * i + "open(PATH, 'w').close()\n"
        exec(compile(src, "<same>", "exec"),
             {"PATH": truth.traced(os.path.join(DIR, "same-%d" % i))})


def recurse(n):
    if n == 0:
        open(truth.traced(os.path.join(DIR, "deep")), "w").close()
        return
    recurse(n - 1)


def функция_ünïcode():
    open(truth.traced(os.path.join(DIR, "unicode")), "w").close()


class Ω:
    def 方法(self):
        open(truth.traced(os.path.join(DIR, "unicode-method")), "w").close()


for what in sys.argv[2:]:
    if what == "exec":
        exec_loop(100)
    elif what == "same-names":
        exec_same_names(30)
    elif what == "deep":
        recurse(300)
    elif what == "unicode":
        функция_ünïcode()
        Ω().方法()
    elif what == "exit":
        open(truth.traced(os.path.join(DIR, "last")), "w").close()
        os._exit(3)
