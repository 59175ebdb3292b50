"""W2: CPU-bound Python that makes no system call in its timed loop.

Arithmetic, small function calls, a dict and a list: what a busy service does
between its I/O.  A tracer asked for openat should cost it nothing.
"""
import wl_common


def mix(i, acc):
    return (acc * 31 + i) & 0xFFFFFFFF


def work(n):
    acc = 0
    table = {}
    items = []
    for i in range(n):
        acc = mix(i, acc)
        table[i & 4095] = acc
        if i & 255 == 0:
            items.append(acc % 97)
            if len(items) > 1024:
                items.clear()
    return acc + len(table)


def main():
    p = wl_common.parser(__doc__)
    p.add_argument("--n", type=int, default=5000000, help="iterations")
    args = p.parse_args()
    wl_common.gate(args)
    with wl_common.LoopTimer() as timer:
        work(args.n)
    wl_common.finish(args, timer, calls=0)


main()
