"""What every benchmark workload shares: its options, the start gate and the result file.

A workload times only its own loop (time.perf_counter() around it), so the
interpreter's start-up and the tracer's attach are not in the number.  With
--gate it first writes --ready and then waits for SIGUSR1, which the harness
sends once a tracer has attached; the signal is blocked from the very start so
that it cannot arrive before the wait.
"""
import argparse
import json
import os
import resource
import signal
import time

# Block before anything else runs: threads started later inherit the mask.
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})


def parser(doc):
    p = argparse.ArgumentParser(description=doc)
    p.add_argument("--result", required=True, help="write the JSON result here")
    p.add_argument("--gate", action="store_true",
                   help="write --ready, then wait for SIGUSR1 before the timed loop")
    p.add_argument("--ready", help="file created when the workload waits at the gate")
    return p


def gate(args):
    if not args.gate:
        return
    with open(args.ready + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.rename(args.ready + ".tmp", args.ready)
    signal.sigwait({signal.SIGUSR1})


class LoopTimer:
    """Wall time and this process's CPU time (all its threads) of a block.

    The CPU time includes what in-kernel probes cost the traced threads, and
    it moves less than the wall time when other work shares the machine.
    """

    def __enter__(self):
        self.c0 = time.process_time()
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.t0
        self.cpu = time.process_time() - self.c0


def finish(args, timer, **extra):
    """Write the loop's times and the whole process's CPU time.

    The harness subtracts the latter from a launching tracer's rusage (which
    includes its reaped child) to get the tracer's own.
    """
    ru = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # W4's forked workers
    res = {"loop_s": timer.wall, "loop_cpu_s": timer.cpu,
           "utime": ru.ru_utime + kids.ru_utime, "stime": ru.ru_stime + kids.ru_stime}
    res.update(extra)
    with open(args.result + ".tmp", "w") as f:
        json.dump(res, f)
    os.rename(args.result + ".tmp", args.result)
