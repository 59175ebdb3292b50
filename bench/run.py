#!/usr/bin/python3
"""pytrace's benchmark harness: `make bench` (BENCH_QUICK=1 for a smoke run).

Every workload times its own loop; the configurations of one workload run
interleaved (round-robin, the order rotated each round) and the table gives
the median over the rounds of each run's time divided by the untraced run of
the same round, so that a noisy 2-core machine shifts both sides alike.

Configurations are data: (name, argv template).  In a template, {cmd} is the
workload's command line, {trace} the trace file, {pytrace} the binary and
{pid} the workload's pid; a template with {pid} attaches to a workload that
waits at its start gate.  A configuration that needs a pytrace option runs
only if `pytrace --help` lists it.

The benchmark reports; it never fails (exit status 0 unless it cannot run).
"""
import argparse
import datetime
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# The workloads import wl_common: no __pycache__ in the source tree.
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
ROOT = os.path.dirname(HERE)


class Config:
    def __init__(self, name, template, needs=None):
        self.name = name
        self.template = template.split()
        self.needs = needs  # a pytrace option this configuration requires
        self.attach = "{pid}" in template
        self.tool = self.template[0].strip("{}")  # "cmd", "pytrace", "strace"

    def argv(self, **vals):
        out = []
        for tok in self.template:
            if tok == "{cmd}":
                out.extend(vals["cmd"])
            else:
                out.append(tok.format(**vals))
        return out


LAUNCH_OPENAT = "{pytrace} -o {trace} -e openat -- {cmd}"
ATTACH_OPENAT = "{pytrace} -p {pid} -o {trace} -e openat"

# name, argv template, the pytrace option it needs.  Adding a frame strategy
# to a workload is one line.
CONFIGS = {
    "w1": [
        Config("untraced", "{cmd}"),
        Config("pytrace", LAUNCH_OPENAT),
        Config("pytrace --frames=uprobe",
               "{pytrace} --frames=uprobe -o {trace} -e openat -- {cmd}", "--frames"),
        Config("pytrace --code-check=reread",
               "{pytrace} --code-check=reread -o {trace} -e openat -- {cmd}", "--code-check"),
        Config("pytrace --no-frames", "{pytrace} --no-frames -o {trace} -e openat -- {cmd}"),
        # nothing selected: what the two syscall tracepoints cost by themselves
        Config("pytrace -e none", "{pytrace} -o {trace} -e none -- {cmd}"),
        Config("pytrace -p", ATTACH_OPENAT),
        Config("strace --seccomp-bpf", "strace -f --seccomp-bpf -e trace=openat -o {trace} -- {cmd}"),
        Config("strace -p", "strace -f -p {pid} -e trace=openat -o {trace}"),
        # The floor under any tracer on these hooks (bench/floor/hookcost.c):
        # the two syscall hooks with programs that return at once, then with
        # only the reads and records a 12-frame openat cannot do without.
        Config("floor: empty hooks", "{hookcost} empty -- {cmd}"),
        Config("floor: unavoidable reads", "{hookcost} reads -- {cmd}"),
        Config("floor: the same, exit hook only", "{hookcost} exit-reads -- {cmd}"),
    ],
    "w2": [
        Config("untraced", "{cmd}"),
        Config("pytrace -p", ATTACH_OPENAT),
        Config("pytrace -p --frames=uprobe",
               "{pytrace} --frames=uprobe -p {pid} -o {trace} -e openat", "--frames"),
        Config("pytrace (launch)", LAUNCH_OPENAT),
    ],
    "w3": [
        Config("untraced", "{cmd}"),
        Config("pytrace", "{pytrace} -o {trace} -- {cmd}"),
        Config("pytrace --no-frames", "{pytrace} --no-frames -o {trace} -- {cmd}"),
        # strace -f is left out: it stops all 32 threads at every call and
        # runs 40-120x slower, which alone took minutes.
    ],
    "w5": [
        Config("untraced", "{cmd}"),
        Config("pytrace", LAUNCH_OPENAT),
        Config("pytrace --frames=uprobe",
               "{pytrace} --frames=uprobe -o {trace} -e openat -- {cmd}", "--frames"),
        Config("pytrace, all syscalls", "{pytrace} -o {trace} -- {cmd}"),
    ],
    "w6": [
        Config("untraced", "{cmd}"),
        Config("pytrace", LAUNCH_OPENAT),
        Config("pytrace --code-check=reread",
               "{pytrace} --code-check=reread -o {trace} -e openat -- {cmd}", "--code-check"),
    ],
}

TITLES = {
    "w1": "W1: os.open/os.close loop, 12 frames deep (openat traced)",
    "w2": "W2: CPU-bound Python, no traced syscall (-e openat)",
    "w3": "W3: 32 threads, socket-pair ping-pong, all syscalls traced",
    "w5": "W5: map()/sorted(key=) calling back into Python (-e openat)",
    "w6": "W6: a code object compiled, called (one openat) and freed per round (-e openat)",
}

TARGETS = {
    "w1": "pytrace (full tracebacks) <= 1.25x untraced",
    "w2": "pytrace <= 1.02x untraced",
    "w4": ">= 300k events/s without loss",
    "attach": "attach <= 250 ms",
    "rss": "tracer peak RSS <= 64 MB",
}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---- running one configuration ----------------------------------------------


class RunError(Exception):
    pass


def wait_until(pred, timeout, what, proc=None):
    end = time.monotonic() + timeout
    while not pred():
        if proc is not None and proc.poll() is not None:
            raise RunError("%s: process ended (status %s)" % (what, proc.returncode))
        if time.monotonic() > end:
            raise RunError("timed out waiting for " + what)
        time.sleep(0.002)


def vm_hwm_kb(pid):
    """The peak RSS of pid's current image (0 once it is a zombie).

    wait4's ru_maxrss cannot be used: Linux keeps the largest RSS the
    process ever had, and that includes the harness's own image, which the
    child shares between fork and exec.
    """
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def wait4(proc, timeout, hwm=None):
    """Reaps proc with its rusage; kills it after timeout seconds.

    Meanwhile samples the peak RSS of hwm (a Popen) every 20 ms into
    hwm.peak_kb: the kernel's high-water mark, so only growth in the last
    20 ms of its life can be missed.
    """
    end = time.monotonic() + timeout
    next_sample = 0
    while True:
        if hwm is not None and time.monotonic() >= next_sample:
            hwm.peak_kb = max(getattr(hwm, "peak_kb", 0), vm_hwm_kb(hwm.pid))
            next_sample = time.monotonic() + 0.02
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, ru
        if time.monotonic() > end:
            proc.kill()
            end = time.monotonic() + 10
        time.sleep(0.005)


def file_has(path, needle):
    try:
        with open(path, errors="replace") as f:
            return needle in f.read()
    except FileNotFoundError:
        return False


def read_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


class Runner:
    def __init__(self, opts, tmp):
        self.opts = opts
        self.tmp = tmp
        self.timeout = opts.timeout

    def paths(self):
        return {k: os.path.join(self.tmp, k) for k in
                ("trace", "result", "ready", "tracer.err", "target.err")}

    def clean(self, p):
        for path in p.values():
            if os.path.exists(path):
                os.unlink(path)

    def run(self, cfg, cmd, check=None):
        """One run: the workload's result plus the tracer's cost and output check."""
        p = self.paths()
        self.clean(p)
        cmd = cmd + ["--result", p["result"]]
        vals = {"pytrace": self.opts.pytrace, "hookcost": self.opts.hookcost,
                "trace": p["trace"]}
        if cfg.attach:
            out = self.run_attached(cfg, cmd, p, vals)
        else:
            out = self.run_launched(cfg, cmd, p, vals)
        out["stderr"] = read_text(p["tracer.err"]) + read_text(p["target.err"])
        out["lost"] = parse_losses(out["stderr"])
        if check and cfg.tool not in ("cmd", "hookcost"):
            out.update(check(p["trace"], out["result"], cfg))
        self.clean(p)
        return out

    def run_launched(self, cfg, cmd, p, vals):
        argv = cfg.argv(cmd=cmd, **vals)
        with open(p["tracer.err"], "w") as err:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err)
        rc, ru = wait4(proc, self.timeout, hwm=proc)
        res = self.result(p, argv, rc)
        out = {"result": res, "rc": rc}
        if cfg.tool != "cmd":
            # wait4's rusage includes the reaped workload: take its own off.
            out["tracer_cpu"] = (ru.ru_utime + ru.ru_stime) - (res["utime"] + res["stime"])
            out["tracer_rss_kb"] = proc.peak_kb
        return out

    def run_attached(self, cfg, cmd, p, vals):
        cmd = cmd + ["--gate", "--ready", p["ready"]]
        with open(p["target.err"], "w") as err:
            target = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.DEVNULL, stderr=err)
        tracer = None
        try:
            wait_until(lambda: os.path.exists(p["ready"]), 30, "the workload's gate", target)
            argv = cfg.argv(pid=target.pid, **vals)
            t0 = time.monotonic()
            with open(p["tracer.err"], "w") as err:
                tracer = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=err)
            # pytrace and strace both say "Process N attached".
            wait_until(lambda: file_has(p["tracer.err"], "attached"), 30,
                       "'attached' from " + argv[0], tracer)
            attach_s = time.monotonic() - t0
            os.kill(target.pid, signal.SIGUSR1)
            rc, _ = wait4(target, self.timeout, hwm=tracer)
            trc, ru = wait4(tracer, 30, hwm=tracer)
        except BaseException:
            for proc in (target, tracer):
                if proc is not None and proc.poll() is None:
                    proc.kill()
                    proc.wait()
            raise
        res = self.result(p, cmd, rc)
        return {"result": res, "rc": rc, "tracer_rc": trc, "attach_s": attach_s,
                "tracer_cpu": ru.ru_utime + ru.ru_stime, "tracer_rss_kb": tracer.peak_kb}

    def result(self, p, argv, rc):
        try:
            with open(p["result"]) as f:
                return json.load(f)
        except (FileNotFoundError, ValueError):
            raise RunError("no result from %s (status %s): %s" % (
                " ".join(argv), rc,
                (read_text(p["tracer.err"]) + read_text(p["target.err"]))[-600:]))


# ---- reading traces ---------------------------------------------------------

LOSS_RE = re.compile(r"pytrace: (\d+) records lost \(ring buffer full: (\d+) enter, "
                     r"(\d+) exit, (\d+) code, (\d+) process; in-flight table full: "
                     r"(\d+); probe re-entry: (\d+)\)")


def parse_losses(stderr):
    m = LOSS_RE.search(stderr)
    return int(m.group(1)) if m else 0


PREFIX_RE = re.compile(r"^(?:\[pid +\d+\] |\d+ +)")


def strip_prefix(line):
    return PREFIX_RE.sub("", line, count=1)


def check_w1(path, res, cfg):
    """Each of the loop's openat calls is there once, with its 12 frames."""
    needle = '"%s"' % res["path"]
    calls, bad_stacks = 0, 0
    frames = None  # frames seen after the current matching call
    want_frames = cfg.tool == "pytrace" and "--no-frames" not in cfg.template

    def close():
        nonlocal bad_stacks
        if frames is not None and want_frames and frames != res["depth"]:
            bad_stacks += 1

    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("    "):
                if frames is not None:
                    frames += 1
                continue
            close()
            frames = None
            if needle in line and strip_prefix(line).startswith("openat("):
                calls += 1
                frames = 0
    close()
    expected = 0 if "none" in cfg.template else res["calls"]  # -e none traces nothing
    return {"written": calls, "expected": expected, "bad_stacks": bad_stacks}


W3_CALLS = ("sendto(", "recvfrom(")


def check_w3(path, res, cfg):
    """Every send and recv of the ping-pong is there once (unfinished or not)."""
    calls = 0
    with open(path, errors="replace") as f:
        for line in f:
            if line.startswith("    "):
                continue
            if strip_prefix(line).startswith(W3_CALLS):
                calls += 1
    return {"written": calls, "expected": res["calls"]}


CHECKS = {"w1": check_w1, "w3": check_w3}


# ---- the interleaved workloads ----------------------------------------------


def workload_cmds(opts, tmp):
    py = opts.python
    q = opts.quick
    testfile = os.path.join(tmp, "w1-file")
    with open(testfile, "w") as f:
        f.write("pytrace bench\n")
    w = lambda name: [py, os.path.join(HERE, name)]
    return {
        "w1": w("w1_open.py") + ["--path", testfile, "--n", str(30000 if q else 100000)],
        "w2": w("w2_cpu.py") + ["--n", str(1000000 if q else 5000000)],
        "w3": w("w3_threads.py") + ["--threads", "32", "--rounds", str(300 if q else 1500)],
        "w5": w("w5_callbacks.py") + ["--n", str(40 if q else 150)],
        "w6": w("w6_churn.py") + ["--path", testfile, "--n", str(10000 if q else 30000)],
    }


def shown_cmd(cmd, tmp):
    """The command as the report shows it: paths relative to the tree."""
    out = []
    for a in cmd:
        if a.startswith(tmp):
            a = "$TMPDIR" + a[len(tmp):]
        elif a.startswith(ROOT):
            a = os.path.relpath(a, ROOT)
        out.append(a)
    return " ".join(out)


def interleaved(runner, opts, wl, cmd, configs):
    """rounds x configurations, rotated each round; returns {name: [runs]}."""
    runs = {c.name: [] for c in configs}
    for r in range(opts.rounds):
        k = r % len(configs)
        for cfg in configs[k:] + configs[:k]:
            try:
                out = runner.run(cfg, cmd, CHECKS.get(wl))
            except RunError as e:
                log("  %s %s round %d: %s" % (wl, cfg.name, r + 1, e))
                out = {"error": str(e)}
            out["round"] = r
            runs[cfg.name].append(out)
            if "result" in out:
                log("  %s round %d %-28s %.3f s%s" % (
                    wl, r + 1, cfg.name, out["result"]["loop_s"],
                    "  (%d calls without their %d frames)" % (
                        out["bad_stacks"], out["result"]["depth"])
                    if out.get("bad_stacks") else ""))
    return runs


def summarize(configs, runs):
    """One row per configuration: medians, ratios paired by round."""
    base = {o["round"]: o["result"] for o in runs["untraced"] if "result" in o}
    base_min = min((b["loop_s"] for b in base.values()), default=None)
    rows = []
    for cfg in configs:
        ok = [o for o in runs[cfg.name] if "result" in o]
        row = {"name": cfg.name, "n": len(ok), "errors": len(runs[cfg.name]) - len(ok)}
        if ok:
            row["time"] = statistics.median(o["result"]["loop_s"] for o in ok)
            # Noise on this machine only ever adds time: the fastest run
            # of each, side by side, is the least disturbed comparison.
            if base_min:
                row["ratio_fastest"] = min(o["result"]["loop_s"] for o in ok) / base_min
            paired = [(o["result"], base[o["round"]]) for o in ok if o["round"] in base]
            if paired:
                ratios = [r["loop_s"] / b["loop_s"] for r, b in paired]
                row["ratio"] = statistics.median(ratios)
                row["ratio_min"], row["ratio_max"] = min(ratios), max(ratios)
                row["cpu_ratio"] = statistics.median(
                    r["loop_cpu_s"] / b["loop_cpu_s"] for r, b in paired)
            cpu = [o["tracer_cpu"] for o in ok if "tracer_cpu" in o]
            if cpu:
                row["tracer_cpu"] = statistics.median(cpu)
            rss = [o["tracer_rss_kb"] for o in ok if "tracer_rss_kb" in o]
            if rss:
                row["rss_kb"] = max(rss)
            att = [o["attach_s"] for o in ok if "attach_s" in o]
            if att:
                row["attach"] = statistics.median(att)
            row["lost"] = sum(o["lost"] for o in ok)
            if any("written" in o for o in ok):
                row["written"] = "%d/%d" % (sum(o.get("written", 0) for o in ok),
                                            sum(o.get("expected", 0) for o in ok))
                row["bad_stacks"] = sum(o.get("bad_stacks", 0) for o in ok)
        rows.append(row)
    return rows


def fmt_rows(rows, base_time=None):
    head = ["configuration", "loop s (median)", "x untraced (median, min-max)",
            "x untraced, fastest runs", "x untraced, workload CPU", "tracer CPU s", "tracer peak RSS MB", "events written/made", "lost"]
    out = [head]
    for r in rows:
        if not r["n"]:
            out.append([r["name"], "failed"] + [""] * 7)
            continue
        ratio = ""
        if "ratio" in r:
            ratio = "%.2fx (%.2f-%.2f)" % (r["ratio"], r["ratio_min"], r["ratio_max"])
        if r["name"] == "untraced":
            ratio = "1.00x"
        rss = ""
        if "rss_kb" in r:
            rss = "%.1f" % (r["rss_kb"] / 1024)
        written = r.get("written", "")
        if r.get("bad_stacks"):
            written += " (%d wrong stacks)" % r["bad_stacks"]
        if r["errors"]:
            written += " (%d runs failed)" % r["errors"]
        out.append([r["name"], "%.3f" % r["time"], ratio,
                    "%.2fx" % r["ratio_fastest"] if "ratio_fastest" in r else "",
                    "%.2fx" % r["cpu_ratio"] if "cpu_ratio" in r else "",
                    "%.2f" % r["tracer_cpu"] if "tracer_cpu" in r else "",
                    rss, written, str(r["lost"]) if r["name"] != "untraced" else ""])
    return md_table(out)


def md_table(rows):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(rows[0]), sep] + [line(r) for r in rows[1:]])


# ---- W4: the firehose -----------------------------------------------------


def count_in_file(path, needle):
    n, tail = 0, b""
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 22)
            if not chunk:
                break
            buf = tail + chunk
            n += buf.count(needle)
            tail = buf[-(len(needle) - 1):]
    return n


def last_json_line(path):
    with open(path, "rb") as f:
        f.seek(0, os.SEEK_END)
        f.seek(max(0, f.tell() - 4096))
        lines = f.read().splitlines()
    for line in reversed(lines):
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        if rec.get("type") == "summary":
            return rec
    return None


def w4_run(runner, opts, template, rate, seconds, procs, threads):
    cfg = Config("w4", template)
    cmd = [opts.python, os.path.join(HERE, "w4_firehose.py"), "--procs", str(procs),
           "--threads", str(threads), "--seconds", str(seconds), "--rate", str(rate)]

    def check(path, res, cfg):
        summ = last_json_line(path)
        return {"written": count_in_file(path, b'"syscall":"getppid"'), "summary": summ}

    try:
        out = runner.run(cfg, cmd, check)
    except RunError as e:
        log("  w4 rate %s: %s" % (rate or "max", e))
        return {"rate": rate, "error": str(e)}
    res = out["result"]
    s = out["summary"] or {}
    lost = s.get("lost", {})
    row = {
        "rate": rate, "made": res["calls"], "loop_s": res["loop_s"],
        "achieved": res["calls"] / res["loop_s"], "written": out["written"],
        "records": s.get("events"), "lost": lost, "lost_total": sum(lost.values()),
        "tracer_cpu": out["tracer_cpu"], "rss_kb": out["tracer_rss_kb"],
        "unpaired": s.get("unpaired_exits"),
    }
    log("  w4 rate %-8s made %d (%.0f/s) written %d lost %s" % (
        rate or "max", row["made"], row["achieved"], row["written"], lost))
    return row


def w4(runner, opts):
    seconds = 1.0 if opts.quick else 2.0
    rates = [100000, 300000] if opts.quick else [50000, 100000, 150000, 200000, 300000, 400000]
    full = "{pytrace} -f --json -o {trace} -- {cmd}"
    sweep = []
    for rate in rates + [0]:
        sweep.append(w4_run(runner, opts, full, rate, seconds, 2, 2))
    nof = w4_run(runner, opts, "{pytrace} -f --no-frames --json -o {trace} -- {cmd}",
                 0, seconds, 2, 2)
    # The tracer starved of CPU: on the workload's CPU at nice 19 (the
    # workload put back to nice 0), with the smallest ring buffer.  Only
    # getppid is traced, so every lost enter record is a lost getppid.
    starved_t = ("taskset -c 0 nice -n 19 {pytrace} -f --buffer-size 1 -e getppid --json "
                 "-o {trace} -- nice -n -19 {cmd}")
    starved = w4_run(runner, opts, starved_t, 0, seconds, 2, 2)
    starved_all = w4_run(runner, opts, starved_t.replace("-e getppid ", ""), 0, seconds, 2, 2)
    return {"sweep": sweep, "no_frames": nof, "starved": starved, "starved_all": starved_all,
            "seconds": seconds}


def fmt_lost(lost):
    parts = ["%s %d" % (k, v) for k, v in lost.items() if v]
    return ", ".join(parts) if parts else "0"


def fmt_w4(w):
    head = ["run", "getppid/s asked", "getppid/s made", "calls made", "getppid lines written",
            "records read", "lost records", "tracer CPU s", "records per tracer CPU s"]
    rows = [head]

    def add(name, r):
        if "error" in r:
            rows.append([name, "%d" % r["rate"] if r["rate"] else "flat out", "failed"]
                        + [""] * (len(head) - 3))
            return
        rows.append([name, "%d" % r["rate"] if r["rate"] else "flat out",
                     "%.0f" % r["achieved"], r["made"], r["written"], r["records"],
                     fmt_lost(r["lost"]), "%.2f" % r["tracer_cpu"],
                     "%.0f" % (r["records"] / r["tracer_cpu"]) if r["tracer_cpu"] > 0 else ""])

    for r in w["sweep"]:
        add("all syscalls, frames", r)
    add("all syscalls, --no-frames", w["no_frames"])
    add("starved, -e getppid", w["starved"])
    add("starved, all syscalls", w["starved_all"])
    text = md_table(rows)
    ran = [r for r in w["sweep"] if "error" not in r]
    best = max((r["achieved"] for r in ran if r["lost_total"] == 0), default=0)
    limited = any(r["rate"] == 0 and r["lost_total"] == 0 for r in ran)
    text += "\n\nHighest rate without loss: %.0f getppid calls/s (%.0f records/s; " % (
        best, 2 * best)
    text += ("the workload itself could not go faster under tracing: the limit is "
             "the kernel-side cost paid in the traced threads)" if limited else
             "pytrace lost records beyond that") + "."
    s = w["starved"]
    if "error" in s or "error" in w["starved_all"]:
        return text + "\n\nThe starved-tracer runs failed."
    lost_enter = s["lost"].get("enter", 0)
    ok = s["written"] + lost_enter == s["made"]
    text += ("\n\nStarved tracer, -e getppid: made %d, written %d, enter records lost %d: "
             "written + lost %s made (%d)%s." % (
                 s["made"], s["written"], lost_enter, "==" if ok else "!=",
                 s["written"] + lost_enter,
                 "" if ok else "; other losses: " + fmt_lost(s["lost"])))
    a = w["starved_all"]
    text += ("\nStarved tracer, all syscalls: made %d getppid, written %d, lost %s "
             "(other syscalls share the enter count, so written + lost >= made: %s)." % (
                 a["made"], a["written"], fmt_lost(a["lost"]),
                 "yes" if a["written"] + a["lost"].get("enter", 0) >= a["made"] else "NO"))
    return text


# ---- attach latency ---------------------------------------------------------


def attach_latency(opts, tool):
    """pytrace/strace -p start to the first event line, against a 1 ms ticker."""
    target = subprocess.Popen([opts.python, os.path.join(HERE, "attach_target.py")],
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    samples = []
    try:
        time.sleep(0.3)  # past the interpreter's start-up
        for _ in range(opts.rounds):
            if tool == "pytrace":
                argv = [opts.pytrace, "-p", str(target.pid), "-e", "getppid"]
            else:
                argv = ["strace", "-p", str(target.pid), "-e", "trace=getppid"]
            t0 = time.monotonic()
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            t_attached = t_first = None
            for raw in proc.stderr:
                line = raw.decode(errors="replace")
                if line.startswith(tool + ":"):
                    if "attached" in line and t_attached is None:
                        t_attached = time.monotonic() - t0
                    continue
                t_first = time.monotonic() - t0
                break
            proc.peak_kb = vm_hwm_kb(proc.pid)
            proc.send_signal(signal.SIGTERM)
            proc.stderr.read()
            _, ru = wait4(proc, 10, hwm=proc)
            samples.append({"attached": t_attached, "first": t_first,
                            "cpu": ru.ru_utime + ru.ru_stime, "rss_kb": proc.peak_kb})
            log("  attach %s: first event after %.0f ms" % (tool, 1000 * (t_first or -1)))
            time.sleep(0.2)
    finally:
        target.kill()
        target.wait()
    return samples


def fmt_attach(res):
    head = ["tracer", "'attached' notice ms (median)", "first event ms (median, max)",
            "tracer CPU s", "tracer peak RSS MB"]
    rows = [head]
    for tool, samples in res.items():
        first = [s["first"] for s in samples if s["first"] is not None]
        att = [s["attached"] for s in samples if s["attached"] is not None]
        rows.append([tool,
                     "%.0f" % (1000 * statistics.median(att)) if att else "-",
                     "%.0f (%.0f)" % (1000 * statistics.median(first), 1000 * max(first))
                     if first else "none",
                     "%.2f" % statistics.median(s["cpu"] for s in samples),
                     "%.1f" % (max(s["rss_kb"] for s in samples) / 1024)])
    return md_table(rows)


# ---- the report -------------------------------------------------------------


def sh(argv, cwd=None):
    try:
        return subprocess.run(argv, capture_output=True, text=True, cwd=cwd).stdout.strip()
    except OSError:
        return ""


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def pressure():
    try:
        with open("/proc/pressure/cpu") as f:
            return f.readline().strip()
    except OSError:
        return "n/a"


def environment(opts, argv):
    commit = opts.commit or sh(["git", "rev-parse", "--short", "HEAD"], ROOT)
    # The results file is this run's output, not a change to what it measures.
    if not opts.commit and sh(["git", "status", "--porcelain", "--untracked-files=no", "--",
                              ".", ":!bench/RESULTS.md"], ROOT):
        commit += " (with uncommitted changes)"
    return [
        ("command", " ".join(argv)),
        ("date", datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")),
        ("kernel", platform.release()),
        ("CPU", "%s, %d CPUs" % (cpu_model(), os.cpu_count())),
        ("workload python", "%s (%s)" % (opts.python, sh([opts.python, "-VV"]).replace("\n", " "))),
        ("pytrace", "%s, commit %s" % (opts.pytrace, commit)),
        ("strace", sh(["strace", "-V"]).splitlines()[0] if shutil.which("strace") else "missing"),
        ("rounds", "%d, interleaved%s" % (opts.rounds, ", QUICK" if opts.quick else "")),
    ]


def verdict(ok):
    return "met" if ok else "NOT met"


def targets_section(tables):
    """The issue's targets next to the numbers."""
    lines = []
    w1 = {r["name"]: r for r in tables.get("w1", [])}
    for name in ("pytrace", "pytrace --frames=uprobe", "pytrace -p"):
        if "ratio" in w1.get(name, {}):
            r = w1[name]
            lines.append("- W1 %s, `%s`: %.2fx (fastest runs %.2fx, workload CPU %.2fx), %s%s" % (
                TARGETS["w1"], name, r["ratio"], r["ratio_fastest"], r["cpu_ratio"],
                verdict(r["ratio"] <= 1.25),
                "; %d calls were written without their frames" % r["bad_stacks"]
                if r.get("bad_stacks") else ""))
    floor = [w1[n] for n in ("floor: unavoidable reads", "floor: the same, exit hook only")
             if "ratio" in w1.get(n, {})]
    if floor:
        # the cheaper floor by either measure
        low = min(min(r["ratio"], r["ratio_fastest"]) for r in floor)
        lines.append("- W1 floor (hookcost: only the reads and records a 12-frame openat "
                     "needs, no traceback printed): %s, %s" % (
                         "; ".join("`%s` %.2fx (fastest runs %.2fx)" % (
                             r["name"], r["ratio"], r["ratio_fastest"]) for r in floor),
                         "so no tracer on these hooks meets 1.25x on this machine"
                         if low > 1.25 else "not clearly above 1.25x in this run"))
    w2 = {r["name"]: r for r in tables.get("w2", [])}
    for name in ("pytrace -p", "pytrace -p --frames=uprobe", "pytrace (launch)"):
        if "ratio" in w2.get(name, {}):
            r = w2[name]
            lines.append("- W2 %s, `%s`: %.3fx (workload CPU %.3fx), %s" % (
                TARGETS["w2"], name, r["ratio"], r["cpu_ratio"], verdict(r["ratio"] <= 1.02)))
    w4 = tables.get("w4")
    if w4:
        clean = [r["achieved"] for r in w4["sweep"]
                 if "error" not in r and r["lost_total"] == 0]
        best = max(clean, default=0)
        lines.append("- W4 %s: %.0f syscalls/s (%.0f records/s) without loss, %s "
                     "(counting a syscall as one event)" % (
                         TARGETS["w4"], best, 2 * best, verdict(best >= 300000)))
    att = tables.get("attach", {}).get("pytrace")
    if att:
        first = [s["first"] for s in att if s["first"] is not None]
        if first:
            m = statistics.median(first)
            lines.append("- %s: %.0f ms to the first event (median), %s" % (
                TARGETS["attach"], 1000 * m, verdict(m <= 0.25)))
    peaks = []
    for wl, rows in tables.items():
        if wl in ("w1", "w2", "w3", "w5", "w6"):
            for r in rows:
                if r["name"].startswith("pytrace") and "rss_kb" in r:
                    peaks.append(r["rss_kb"])
    if w4:
        peaks += [r["rss_kb"] for r in w4["sweep"] if "rss_kb" in r]
    if att:
        peaks += [s["rss_kb"] for s in att]
    if peaks:
        lines.append("- %s: %.1f MB at most over all pytrace runs, %s" % (
            TARGETS["rss"], max(peaks) / 1024, verdict(max(peaks) <= 64 * 1024)))
    return "\n".join(lines)


def report(opts, argv, sections, tables, env_before, env_after):
    out = ["# pytrace benchmark results", ""]
    out += ["- %s: %s" % (k, v) for k, v in environment(opts, argv)]
    out += ["- CPU pressure (/proc/pressure/cpu) before: %s; after: %s" % (env_before, env_after),
            "", "Produced by `make bench` (bench/run.py); numbers from one machine, "
            "one run.  Ratios are paired: each run divided by the untraced run of the "
            "same round, then the median over rounds; the workload-CPU ratio does "
            "the same with the CPU time of the workload's loop (time.process_time(), "
            "which includes what the probes cost its threads and moves less than wall "
            "time when other work shares the machine).  Tracer CPU is the tracer's "
            "own user+system time (wait4 rusage, the workload's own rusage taken off "
            "when the tracer launched it); its peak RSS is the kernel's VmHWM "
            "sampled every 20 ms.", "",
            "## Targets (issue 5)", "", targets_section(tables), ""]
    for title, body in sections:
        out += ["## " + title, "", body, ""]
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pytrace", default=os.path.join(ROOT, "build", "pytrace"))
    ap.add_argument("--hookcost", default=os.path.join(ROOT, "build", "hookcost"),
                    help="the W1 floor's program (make build/hookcost); skipped if absent")
    ap.add_argument("--python", default="/usr/bin/python3.11",
                    help="interpreter the workloads run under")
    ap.add_argument("--quick", action="store_true", help="a short smoke run")
    ap.add_argument("--rounds", type=int, help="rounds (default 5, quick 2)")
    ap.add_argument("--only", help="comma-separated subset: w1,w2,w3,w4,w5,w6,attach")
    ap.add_argument("--results", help="write the report here (default: bench/RESULTS.md, "
                    "not written by --quick runs unless given)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per run")
    ap.add_argument("--commit", help="the pytrace commit to report, for a tree without "
                    "git (a `git archive` export); default: git rev-parse HEAD")
    opts = ap.parse_args()
    opts.rounds = opts.rounds or (2 if opts.quick else 5)
    opts.pytrace = os.path.abspath(opts.pytrace)
    opts.hookcost = os.path.abspath(opts.hookcost)
    have_hookcost = os.access(opts.hookcost, os.X_OK)
    if os.geteuid() != 0:
        sys.exit("bench: pytrace needs root")
    for exe in (opts.pytrace, opts.python):
        if not os.access(exe, os.X_OK):
            sys.exit("bench: %s is not executable" % exe)
    have_strace = shutil.which("strace") is not None
    helptext = sh([opts.pytrace, "--help"])
    only = set(opts.only.split(",")) if opts.only else None
    want = lambda name: only is None or name in only

    started = time.monotonic()
    env_before = pressure()
    sections, tables = [], {}
    tmp = tempfile.mkdtemp(prefix="pytrace-bench.")
    try:
        runner = Runner(opts, tmp)
        cmds = workload_cmds(opts, tmp)
        for wl in ("w1", "w2", "w3", "w5", "w6"):
            if not want(wl):
                continue
            configs = [c for c in CONFIGS[wl]
                       if (c.needs is None or c.needs in helptext)
                       and (c.tool != "strace" or have_strace)
                       and (c.tool != "hookcost" or have_hookcost)]
            log("%s: %s" % (wl, ", ".join(c.name for c in configs)))
            runs = interleaved(runner, opts, wl, cmds[wl], configs)
            rows = summarize(configs, runs)
            tables[wl] = rows
            body = "`%s`\n\n%s" % (shown_cmd(cmds[wl], tmp), fmt_rows(rows))
            sections.append((TITLES[wl], body))
            print("\n## %s\n\n%s\n" % (TITLES[wl], body), flush=True)
        if want("w4"):
            log("w4: firehose")
            w = w4(runner, opts)
            tables["w4"] = w
            body = ("`w4_firehose.py`: 2 processes x 2 threads calling os.getppid(), "
                    "traced with `pytrace -f --json -o FILE`, %.0f s per run.\n\n%s"
                    % (w["seconds"], fmt_w4(w)))
            sections.append(("W4: syscall firehose", body))
            print("\n## W4: syscall firehose\n\n%s\n" % body, flush=True)
        if want("attach"):
            log("attach latency")
            res = {"pytrace": attach_latency(opts, "pytrace")}
            if have_strace:
                res["strace"] = attach_latency(opts, "strace")
            tables["attach"] = res
            body = ("`-p PID -e getppid` against a process calling os.getppid() "
                    "every ~1 ms; from the tracer's start to the first syscall line "
                    "read from its stderr.\n\n" + fmt_attach(res))
            sections.append(("Attach latency", body))
            print("\n## Attach latency\n\n%s\n" % body, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print("\n## Targets\n\n%s\n" % targets_section(tables))
    elapsed = time.monotonic() - started
    print("bench: %.0f s" % elapsed)
    dest = opts.results or (None if opts.quick or only else os.path.join(HERE, "RESULTS.md"))
    if dest:
        argv = ["make bench"] if os.environ.get("BENCH_FROM_MAKE") else sys.argv
        with open(dest, "w") as f:
            f.write(report(opts, argv, sections, tables, env_before, pressure()))
        print("bench: wrote %s" % dest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
