"""W4: a system call firehose: os.getppid() in tight loops on several threads.

Each thread counts its own calls, so the harness can check the trace against
what was really made.  With --rate the threads together aim at that many calls
a second (a thread catches up in batches, then sleeps 0.5 ms); without it they
run flat out.  --seconds bounds the loop.  --procs forks that many processes
(each with --threads threads), for more calls than one GIL lets through;
trace them with -f.
"""
import os
import sys
import threading
import time

import wl_common

BATCH = 64


def paced(per_thread_rate, seconds, start, out, idx):
    start.wait()
    t0 = time.perf_counter()
    n = 0
    while True:
        now = time.perf_counter() - t0
        if now >= seconds:
            break
        due = int(per_thread_rate * now)
        if n >= due:
            time.sleep(0.0005)
            continue
        for _ in range(min(due - n, BATCH)):
            os.getppid()
            n += 1
    out[idx] = n


def flat_out(seconds, start, out, idx):
    start.wait()
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        for _ in range(BATCH):
            os.getppid()
        n += BATCH
    out[idx] = n


def run_threads(args, start):
    """Starts the threads, lets them go when start is set; returns the count."""
    counts = [0] * args.threads
    threads = []
    rate = args.rate / (args.threads * args.procs)
    for i in range(args.threads):
        if args.rate > 0:
            target, targs = paced, (rate, args.seconds, start, counts, i)
        else:
            target, targs = flat_out, (args.seconds, start, counts, i)
        threads.append(threading.Thread(target=target, args=targs))
    for t in threads:
        t.start()
    return threads, counts


def fork_children(args):
    """Children wait for a byte on the go pipe and report their count on done."""
    go_r, go_w = os.pipe()
    done_r, done_w = os.pipe()
    pids = []
    for _ in range(args.procs - 1):
        pid = os.fork()
        if pid == 0:
            os.close(go_w)
            os.close(done_r)
            start = threading.Event()
            threads, counts = run_threads(args, start)
            os.read(go_r, 1)
            start.set()
            for t in threads:
                t.join()
            os.write(done_w, b"%d\n" % sum(counts))
            sys.stdout.flush()
            os._exit(0)
        pids.append(pid)
    os.close(go_r)
    os.close(done_w)
    return pids, go_w, done_r


def main():
    p = wl_common.parser(__doc__)
    p.add_argument("--threads", type=int, default=4, help="threads per process")
    p.add_argument("--procs", type=int, default=1, help="processes")
    p.add_argument("--rate", type=float, default=0, help="calls/s, all threads (0: flat out)")
    p.add_argument("--seconds", type=float, default=2.0)
    args = p.parse_args()
    pids, go_w, done_r = fork_children(args)
    start = threading.Event()
    threads, counts = run_threads(args, start)
    wl_common.gate(args)
    with wl_common.LoopTimer() as timer:  # its CPU time is this process's only
        os.write(go_w, b"g" * len(pids))
        start.set()
        for t in threads:
            t.join()
        with os.fdopen(done_r) as f:
            child_calls = sum(int(line) for line in f)
        for pid in pids:
            os.waitpid(pid, 0)
    wl_common.finish(args, timer, calls=sum(counts) + child_calls,
                     threads=args.threads * args.procs, procs=args.procs)


main()
