"""W1: open and close a file in a loop, 12 Python frames deep.

Each os.open() is one openat; the traced configurations write one line and a
12-frame traceback for each.  The stack is a chain of distinct functions, as in
a real application, not one recursive function.
"""
import os
import traceback

import wl_common

DEPTH = 12  # frames at the os.open() call, <module> included


def loop(args):
    # Checked once, outside the timed loop: the traces are compared to this.
    depth = len(traceback.extract_stack())
    if depth != DEPTH:
        raise SystemExit("w1: stack depth %d, expected %d" % (depth, DEPTH))
    path, n = args.path, args.n
    with wl_common.LoopTimer() as timer:
        for _ in range(n):
            fd = os.open(path, os.O_RDONLY)
            os.close(fd)
    return timer


def f9(args):
    return loop(args)


def f8(args):
    return f9(args)


def f7(args):
    return f8(args)


def f6(args):
    return f7(args)


def f5(args):
    return f6(args)


def f4(args):
    return f5(args)


def f3(args):
    return f4(args)


def f2(args):
    return f3(args)


def f1(args):
    return f2(args)


def main():
    p = wl_common.parser(__doc__)
    p.add_argument("--n", type=int, default=150000, help="iterations")
    p.add_argument("--path", required=True, help="the file to open")
    args = p.parse_args()
    wl_common.gate(args)
    timer = f1(args)
    wl_common.finish(args, timer, calls=args.n, depth=DEPTH, path=args.path)


main()
