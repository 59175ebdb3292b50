"""W6: code objects made and freed all the time (generated code, eval).

Each round compiles a small function, calls it (it opens and closes a file:
one traced openat, with its traceback) and drops it, so its code object is
freed.  With the default --code-check=uprobe every free is a uprobe hit in
the target; with --code-check=reread every frame's code object is read at
every call instead.
"""
import os

import wl_common

SOURCE = """
def opener(path):
    fd = os.open(path, os.O_RDONLY)
    os.close(fd)
"""


def loop(args):
    path, n = args.path, args.n
    env = {"os": os}
    with wl_common.LoopTimer() as timer:
        for _ in range(n):
            ns = dict(env)
            exec(compile(SOURCE, "<churn>", "exec"), ns)
            ns.pop("opener")(path)
    return timer


def main():
    p = wl_common.parser(__doc__)
    p.add_argument("--n", type=int, default=30000, help="rounds")
    p.add_argument("--path", required=True, help="the file to open")
    args = p.parse_args()
    wl_common.gate(args)
    timer = loop(args)
    wl_common.finish(args, timer, calls=args.n)


main()
