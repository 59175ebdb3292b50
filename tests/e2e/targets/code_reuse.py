"""Code objects freed and made again, most at an address a freed one had,
each with its own file name, function name and line numbers, each opening a
file from inside.  Every round's path names the round.

Usage: code_reuse.py DIR ROUNDS [fork]
With "fork" a forked child makes the rounds.  The process making them first
opens a file WARM_UP times (pytrace puts its code-free uprobe in after a few
hundred calls with frames), then creates DIR/_ready and waits for DIR/_GO.
At the end it writes DIR/_reuse.json: how many rounds met an address seen
before, and how many the address of the round just before (a thread's walk
remembers the code objects of its last stack, place by place: only a new
object at the same address and the same place can fool that memory).
Whether consecutive rounds get the same address depends on the version's
allocator use, and on code objects made in between: the first rounds try
each body size of PADS with each count of code objects per round of MADE (all
but the last only called with None, which opens nothing) and the rest use
what did best.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
ROUNDS = int(sys.argv[2])

# Same length every round, so every code object is the same size and the
# allocator hands back the address it just got back.  The lines under
# "if p is None" set the code object's size.
SOURCE = """{blank}
def {name}(p):
    if p is None:
{pad}        return
{inner}    with open(p, "w"):
        pass
"""
PADS = (0, 8, 30, 100)
MADE = (1, 2)
TRIAL = 5       # rounds per combination tried


def make(i, pad):
    name = "f_%04d" % i
    src = SOURCE.format(blank="\n" * (i % 3), name=name, inner="\n" * (i % 5),
                        pad="".join("        v%d = p\n" % k for k in range(pad)))
    code = compile(src, "gen_%04d.py" % i, "exec")
    ns = {}
    exec(code, ns)
    del code
    func = ns.pop(name)         # no cycle through the globals: freed at once
    del ns
    return func


def one_round(i, pad=0, made=1):
    for j in range(made - 1):
        make(100000 + i * 10 + j, pad)(None)
    func = make(i, pad)
    func(truth.traced(os.path.join(DIR, "reuse-%04d" % i)))
    return id(func.__code__)


def repeats(addrs):
    return sum(a == b for a, b in zip(addrs, addrs[1:]))


WARM_UP = 400


def rounds():
    for _ in range(WARM_UP):
        open(os.path.join(DIR, "_warm"), "w").close()
    truth.ready_then_wait(DIR)
    i, best = 0, (-1, 0, 1)
    for pad in PADS:
        for made in MADE:
            addrs = []
            for _ in range(TRIAL):
                addrs.append(one_round(i, pad, made))
                i += 1
            best = max(best, (repeats(addrs), pad, made))
    addrs = []
    for _ in range(ROUNDS):
        addrs.append(one_round(i, best[1], best[2]))
        i += 1
    reused = sum(a in addrs[:k] for k, a in enumerate(addrs))
    with open(os.path.join(DIR, "_reuse.json"), "w") as f:
        json.dump({"rounds": ROUNDS, "reused": reused, "consecutive": repeats(addrs),
                   "pad": best[1], "made": best[2]}, f)


if len(sys.argv) > 3 and sys.argv[3] == "fork":
    one_round(9999)             # the parent knows some code before it forks
    pid = os.fork()
    if pid == 0:
        rounds()
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
rounds()
