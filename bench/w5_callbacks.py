"""W5: C code calling back into Python: map() and sorted(key=...).

Every callback enters the interpreter's evaluation loop from C, so this is the
worst case for a tracer that probes function entry in the interpreter.  The
loop makes (almost) no system calls.
"""
import wl_common


def key(x):
    return (x * 2654435761) & 0xFFFF


def square(x):
    return x * x


def work(n, size):
    data = list(range(size))
    total = 0
    for _ in range(n):
        total += sum(map(square, data))
        total += sorted(data, key=key)[0]
        total += len(list(filter(lambda x: x & 1, data)))
    return total


def main():
    p = wl_common.parser(__doc__)
    p.add_argument("--n", type=int, default=400, help="rounds")
    p.add_argument("--size", type=int, default=10000, help="list size")
    args = p.parse_args()
    wl_common.gate(args)
    with wl_common.LoopTimer() as timer:
        work(args.n, args.size)
    wl_common.finish(args, timer, calls=0)


main()
