"""Code objects freed and made again, most at an address a freed one had,
each with its own file name, function name and line numbers, each opening a
file from inside.  Every round's path names the round.

Usage: code_reuse.py DIR ROUNDS [fork]
With "fork" a forked child makes the rounds.  The process making them first
opens a file WARM_UP times (pytrace puts its code-free uprobe in after a few
hundred calls with frames), then creates DIR/_ready and waits for DIR/_GO.
At the end it writes DIR/_reuse.json: how many rounds met an address seen
before.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
ROUNDS = int(sys.argv[2])

# Same length every round, so every code object is the same size and the
# allocator hands back the address it just got back.
SOURCE = """{blank}
def {name}(p):
{inner}    with open(p, "w"):
        pass
"""


def one_round(i):
    name = "f_%04d" % i
    src = SOURCE.format(blank="\n" * (i % 3), name=name, inner="\n" * (i % 5))
    code = compile(src, "gen_%04d.py" % i, "exec")
    ns = {}
    exec(code, ns)
    func = ns.pop(name)         # no cycle through the globals: freed at once
    func(truth.traced(os.path.join(DIR, "reuse-%04d" % i)))
    return id(func.__code__)


WARM_UP = 400


def rounds():
    for _ in range(WARM_UP):
        open(os.path.join(DIR, "_warm"), "w").close()
    truth.ready_then_wait(DIR)
    seen = set()
    reused = 0
    for i in range(ROUNDS):
        addr = one_round(i)
        reused += addr in seen
        seen.add(addr)
    with open(os.path.join(DIR, "_reuse.json"), "w") as f:
        json.dump({"rounds": ROUNDS, "reused": reused}, f)


if len(sys.argv) > 3 and sys.argv[3] == "fork":
    one_round(ROUNDS)           # the parent knows some code before it forks
    pid = os.fork()
    if pid == 0:
        rounds()
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
rounds()
