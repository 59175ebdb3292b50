"""strace's options in pytrace: -e trace=/status=, -z/-Z, -P, -y/-yy, -r, -c/-C,
-ff, detach, --help and the man page.

Where strace has the option, the same program runs under strace 6.1 and
under pytrace with the same options, and the lines (or the part of them the
option is about) must be equal after the normalization of
test_strace_parity.  The summary's call counts must equal strace -c's, and
its Python call sites what an audit hook inside the program reports.
"""
import collections
import json
import os
import re
import signal
import subprocess
import time

import pytest

from conftest import PYTRACE, ROOT, TARGETS, read_jsonl, wait_for
from test_strace_parity import per_process

PY = "/usr/bin/python3.11"

# A deterministic Python program: files, a failing stat, a pipe, a thread.
WORKLOAD = r'''
import os, sys, threading, time
d = sys.argv[1]
p = os.path.join(d, "f.txt")
with open(p, "w") as f:
    f.write("x" * 10)
for i in range(3):
    fd = os.open(p, os.O_RDONLY)
    os.read(fd, 4)
    os.close(fd)
for i in range(2):
    try:
        os.stat(os.path.join(d, "missing"))
    except OSError:
        pass
r, w = os.pipe()
os.write(w, b"abc")
os.read(r, 3)
time.sleep(0.2)     # pytrace reads /proc/PID/fd a little after the fact
os.close(r); os.close(w)
os.lstat(p)
'''


def write_script(tmp_path, name, text):
    """In a directory of its own: Python lists the script's directory, which
    must not change between the two runs."""
    (tmp_path / "prog").mkdir(exist_ok=True)
    path = tmp_path / "prog" / name
    path.write_text(text)
    return str(path)


def run_both(tmp_path, strace_opts, pytrace_opts, cmd, pytrace_extra=()):
    """Runs cmd under strace and under pytrace (text, no frames)."""
    s_out, p_out = tmp_path / "strace.txt", tmp_path / "pytrace.txt"
    s = subprocess.run(["strace", "-qq", "-o", str(s_out)] + strace_opts + cmd,
                       capture_output=True, text=True, timeout=60)
    assert s.returncode == 0, s.stderr
    p = subprocess.run([PYTRACE, "-q", "--no-frames", "-o", str(p_out)] + list(pytrace_extra)
                       + pytrace_opts + ["--"] + cmd, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return str(s_out), str(p_out)


NAME_RET = re.compile(r"^(?:<\.\.\. )?(\w+)[( ].*= (-?\d+|0x[0-9a-fA-DR]+|\?)(?: |$)")
# Calls that return a process or thread id, which differs from run to run.
RETURNS_PID = {"gettid", "getpid", "getppid", "set_tid_address", "clone", "clone3", "fork",
               "vfork", "wait4", "waitid"}


def names_and_returns(path):
    """{process: [(syscall, return value)]}: what a filter selects, without
    depending on how each argument is decoded.  Addresses are masked."""
    out = {}
    for k, lines in per_process(path).items():
        seq = []
        for line in lines:
            m = NAME_RET.match(line)
            assert m, line
            ret = m.group(2)
            if ret == "0xADDR":         # masked by per_process
                ret = "ADDR"
            elif ret.startswith("0x"):  # strace's 0x1 (flags FD_CLOEXEC) is 1
                ret = "ADDR" if int(ret, 16) >= 0x10000 else str(int(ret, 16))
            if m.group(1) in RETURNS_PID and ret.isdigit():
                ret = "PID"
            seq.append((m.group(1), ret))
        out[k] = seq
    return out


def assert_same(want, got):
    assert sorted(want) == sorted(got), "different processes"
    for k in want:
        w, g = want[k] + [None], got[k] + [None]
        i = next((i for i, (a, b) in enumerate(zip(w, g)) if a != b), None)
        assert i is None, "process %d, entry %d:\n strace:  %s\n pytrace: %s" % (
            k, i, w[max(0, i - 2):i + 3], g[max(0, i - 2):i + 3])


INODE = re.compile(r"\b(pipe|socket|UNIX-STREAM|anon_inode):\[\d+")


def assert_lines_equal(s_out, p_out):
    """Line by line; inode numbers of pipes and sockets differ per run."""
    want, got = per_process(s_out), per_process(p_out)
    for procs in (want, got):
        for k in procs:
            procs[k] = [INODE.sub(r"\1:[INODE", l) for l in procs[k]]
    assert_same(want, got)
    return sum(len(v) for v in want.values())


# ---- -e trace= and -e status= ---------------------------------------------------

@pytest.mark.parametrize("expr", [
    "%file", "%desc", "%%stat", "%process", "%memory", "%signal", "%pure",
    "!%memory", "/^(open|clos|read)", "!%file,%desc,/^rt_", "?nosuchcall,close,%creds",
])
def test_trace_sets_select_like_strace(tmp_path, expr):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "w.py", WORKLOAD)
    s_out, p_out = run_both(tmp_path, ["-f", "-e", "trace=" + expr], ["-f", "-e", "trace=" + expr],
                            [PY, script, str(d)])
    want, got = names_and_returns(s_out), names_and_returns(p_out)
    assert_same(want, got)
    assert sum(len(v) for v in want.values()) > 0


@pytest.mark.parametrize("strace_opts", [["-z"], ["-Z"], ["-e", "status=failed"],
                                         ["-e", "status=!successful"],
                                         ["-e", "status=successful,failed"]])
def test_status_filters_like_strace(tmp_path, strace_opts):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "w.py", WORKLOAD)
    sel = ["-e", "trace=openat,newfstatat,read,close,lstat"]
    s_out, p_out = run_both(tmp_path, sel + strace_opts, sel + strace_opts, [PY, script, str(d)])
    n = assert_lines_equal(s_out, p_out)
    assert n > 0


# ---- -P ---------------------------------------------------------------------------

def test_trace_path_like_strace(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "w.py", WORKLOAD)
    target = str(d / "f.txt")
    s_out, p_out = run_both(tmp_path, ["-P", target], ["-P", target], [PY, script, str(d)])
    want, got = names_and_returns(s_out), names_and_returns(p_out)
    assert_same(want, got)
    # opens by name, then reads and closes through the fd
    calls = [c for c, _ in want[0]]
    assert calls.count("read") >= 3 and calls.count("close") >= 3


# ---- -y, -yy ------------------------------------------------------------------------

def test_decode_fds_paths_like_strace(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "w.py", WORKLOAD)
    sel = ["-y", "-e", "trace=openat,read,write,close,newfstatat"]
    s_out, p_out = run_both(tmp_path, sel, sel, [PY, script, str(d)])
    n = assert_lines_equal(s_out, p_out)
    text = open(p_out).read()
    assert '3<%s/f.txt>' % d in text and "<pipe:[" in text
    assert n > 20


def test_decode_fds_in_json(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "w.py", WORKLOAD)
    out = tmp_path / "p.jsonl"
    p = subprocess.run([PYTRACE, "-q", "-y", "--json", "-e", "trace=openat,read,close",
                        "-o", str(out), "--", PY, script, str(d)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    recs = [r for r in read_jsonl(str(out)) if r["type"] == "syscall"]
    path = str(d / "f.txt")
    opens = [r for r in recs if r["syscall"] == "openat" and r["args"][1] == json.dumps(path)]
    assert len(opens) == 4
    for o in opens:
        fd = o["ret"]
        assert o["retstr"] == "%d<%s>" % (fd, path)
        assert o["args"][0] == "AT_FDCWD<%s>" % os.getcwd()
        later = recs[recs.index(o) + 1:]
        close = next(r for r in later if r["syscall"] == "close"
                     and r["args"][0].startswith("%d<" % fd))
        assert close["args"][0] == "%d<%s>" % (fd, path)


SOCKETS = r'''
import socket, time
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
c = socket.create_connection(srv.getsockname())
a, _ = srv.accept()
c.send(b"x"); a.recv(1)
srv6 = socket.socket(socket.AF_INET6); srv6.bind(("::1", 0)); srv6.listen()
c6 = socket.create_connection(srv6.getsockname()[:2])
a6, _ = srv6.accept()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
time.sleep(0.3)     # connections that live a little, as real ones do
for s in (c, a, srv, c6, a6, srv6, u):
    s.close()
'''


def test_decode_fds_sockets_like_strace(tmp_path):
    script = write_script(tmp_path, "s.py", SOCKETS)
    s_out, p_out = run_both(tmp_path, ["-yy", "-e", "trace=close"], ["-yy", "-e", "trace=close"],
                            [PY, script])

    def sockets(path):
        """The TCP lines, ports renamed in order of appearance (they are
        chosen by the kernel, per run)."""
        ports = {}
        lines = [re.sub(r" +=", " =", l) for l in open(path).read().splitlines()
                 if re.search(r"<(TCP|TCPv6|UDP):\[", l)]
        return [re.sub(r"(?<=:)(\d+)(?=[-\]])",
                       lambda m: "P%d" % ports.setdefault(m.group(1), len(ports)), l)
                for l in lines]

    want, got = sockets(s_out), sockets(p_out)
    assert len(want) == 7 and "->" in want[0] and "TCPv6:[[" in want[3]
    assert want == got


# ---- -r ----------------------------------------------------------------------------

REL = re.compile(r"^ *(\d+)\.(\d{6}) ")


def test_relative_timestamps_like_strace(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "w.py", WORKLOAD)
    sel = ["-r", "-e", "trace=openat,read,close"]
    t0 = time.time()
    s_out, p_out = run_both(tmp_path, sel, sel, [PY, script, str(d)])
    elapsed = time.time() - t0
    plain = {}
    for which, path in (("strace", s_out), ("pytrace", p_out)):
        lines = open(path).read().splitlines()
        stamps = []
        for l in lines:
            m = REL.match(l)
            assert m and len(l[:m.end()]) == 14, "%s: %r" % (which, l)  # "%6d.%06d "
            stamps.append(int(m.group(1)) + int(m.group(2)) / 1e6)
        assert stamps[0] == 0.0
        assert 0 < sum(stamps) < elapsed
        stripped = tmp_path / (which + ".norel")
        stripped.write_text("".join(REL.sub("", l) + "\n" for l in lines))
        plain[which] = str(stripped)
    assert_lines_equal(plain["strace"], plain["pytrace"])


# ---- -c, -C -----------------------------------------------------------------------

SUMMARY_ROW = re.compile(r"^ *([\d.]+) +([\d.]+) +(\d+) +(\d+) +(\d+)? +(\S+)$")


def summary_counts(text):
    """{syscall: (calls, errors)} from strace's -c table layout."""
    rows, lines = {}, text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("% time"))
    assert lines[start + 1].startswith("------ ")
    for l in lines[start + 2:]:
        if l.startswith("------"):
            break
        m = SUMMARY_ROW.match(l)
        assert m, l
        rows[m.group(6)] = (int(m.group(4)), int(m.group(5) or 0))
    return rows


def table_shape(text):
    """Where the columns of the -c table end (right-aligned numbers) and where
    the name starts, for every row: the layout, not the values."""
    lines = text.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("% time"))
    shape = set()
    for l in lines[start + 2:]:
        if l.startswith("------"):
            continue
        toks = list(re.finditer(r"\S+", l))
        shape.update(("end", m.end()) for m in toks[:-1])
        shape.add(("name", toks[-1].start()))
        if toks[-1].group() == "total":
            break
    return shape


@pytest.mark.parametrize("flag", ["-c", "-C"])
def test_summary_counts_equal_strace(tmp_path, flag):
    exe = tmp_path / "rawcalls"
    subprocess.run(["cc", "-O1", "-o", str(exe), os.path.join(TARGETS, "rawcalls.c")], check=True)
    d = tmp_path / "d"
    d.mkdir()
    s = subprocess.run(["strace", "-c", str(exe), str(d)], capture_output=True, text=True)
    assert s.returncode == 0, s.stderr
    out = tmp_path / "p.txt"
    p = subprocess.run([PYTRACE, "-q", flag, "-o", str(out), "--", str(exe), str(d)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    text = out.read_text()
    want, got = summary_counts(s.stderr), summary_counts(text)
    assert want == got
    # The same header, rules and column widths as strace's table.
    assert text.count("% time     seconds  usecs/call     calls    errors syscall\n") == 1
    assert table_shape(text) == table_shape(s.stderr)
    if flag == "-C":
        assert re.search(r"^openat\(", text, re.M)   # -C: the trace too
    else:
        assert not re.search(r"^openat\(", text, re.M)


def test_summary_python_program_equals_strace(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "w.py", WORKLOAD)
    s = subprocess.run(["strace", "-f", "-c", PY, script, str(d)], capture_output=True, text=True)
    out = tmp_path / "p.txt"
    p = subprocess.run([PYTRACE, "-q", "-f", "-c", "-o", str(out), "--", PY, script, str(d)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    want, got = summary_counts(s.stderr), summary_counts(out.read_text())
    assert want == got


SITES = r'''
import os, sys
sys.path.insert(0, %(targets)r)
import truth  # noqa: E402  (the audit hook records each open with its stack)
d = sys.argv[1]

def opener(name, n):
    for i in range(n):
        open(os.path.join(d, name), "w").close()

def outer():
    opener("a", 3)
    opener("b", 2)

outer()
opener("c", 4)
open(os.path.join(d, "e"), "w").close()
'''


def test_summary_python_call_sites_match_audit_hook(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "sites.py", SITES % {"targets": TARGETS})
    out, truth = tmp_path / "p.jsonl", tmp_path / "truth.jsonl"
    env = dict(os.environ, PYTRACE_TRUTH=str(truth), PYTRACE_TRUTH_PREFIX=str(d) + "/")
    p = subprocess.run([PYTRACE, "-q", "--json", "-c", "-e", "trace=openat", "-o", str(out),
                        "--", PY, script, str(d)], env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    want = collections.Counter()
    for r in read_jsonl(str(truth)):
        want[tuple(tuple(f) for f in r["frames"][:2])] += 1
    assert sum(want.values()) == 3 + 2 + 4 + 1
    recs = read_jsonl(str(out))
    summ = [r for r in recs if r["type"] == "syscall_summary"]
    assert len(summ) == 1 and not [r for r in recs if r["type"] == "syscall"]
    got = collections.Counter()
    for site in summ[0]["sites"]:
        frames = tuple((f["file"], f["line"], f["func"]) for f in site["frames"])
        if frames and frames[0][0] == script:
            got[frames] = site["calls"]
    assert got == want
    openat = [s for s in summ[0]["syscalls"] if s["syscall"] == "openat"][0]
    assert openat["calls"] == sum(s["calls"] for s in summ[0]["sites"])


def test_summary_text_call_site_table(tmp_path):
    d = tmp_path / "d"
    d.mkdir()
    script = write_script(tmp_path, "sites.py", SITES % {"targets": TARGETS})
    out = tmp_path / "p.txt"
    p = subprocess.run([PYTRACE, "-q", "-c", "-e", "trace=openat", "-o", str(out),
                        "--", PY, script, str(d)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    text = out.read_text()
    most_calls = text.split("python call site, most calls")[1].split("\n\n")[0]
    most_time = text.split("python call site, most time")[1]
    # opener's open line: 3 + 2 + 4 calls in all, from three different callers
    rows = [l for l in most_calls.splitlines() if "%s:9 opener" % script in l.split(" <- ")[0]]
    assert sorted(int(l.split()[3]) for l in rows) == [2, 3, 4]
    assert any(l.endswith("<- %s:16 <module>" % script) for l in rows)
    data = re.compile(r"^ *\d+\.\d\d ")
    calls = [int(l.split()[3]) for l in most_calls.splitlines() if data.match(l)]
    secs = [float(l.split()[1]) for l in most_time.splitlines() if data.match(l)]
    assert calls == sorted(calls, reverse=True) and 4 <= len(calls) <= 15
    assert secs == sorted(secs, reverse=True) and len(secs) == len(calls)
    if "more call sites" in most_calls:
        assert len(calls) == 15


# ---- -ff ----------------------------------------------------------------------------

FORKS = r'''
import os, threading
def f():
    os.close(os.open("/dev/null", os.O_RDONLY))
t = threading.Thread(target=f); t.start(); t.join()
pid = os.fork()
if pid == 0:
    os.close(os.open("/etc/hostname", os.O_RDONLY))
    os._exit(3)
os.waitpid(pid, 0)
os.close(os.open("/etc/hosts", os.O_RDONLY))
'''


def test_output_separately_like_strace(tmp_path):
    script = write_script(tmp_path, "forks.py", FORKS)
    results = {}
    for tool in ("strace", "pytrace"):
        d = tmp_path / tool
        d.mkdir()
        prefix = str(d / "tr")
        if tool == "strace":
            cmd = ["strace", "-qq", "-ff", "-o", prefix, "-e", "trace=openat,close", PY, script]
        else:
            cmd = [PYTRACE, "-q", "--no-frames", "-ff", "-o", prefix, "-e", "trace=openat,close",
                   "--", PY, script]
        r = subprocess.run(cmd, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        files = sorted(os.listdir(str(d)), key=lambda n: int(n.split(".")[1]))
        assert all(re.match(r"tr\.\d+$", n) for n in files)
        results[tool] = [per_process(str(d / n)).get(0, []) for n in files]
    assert len(results["strace"]) == 3      # main, its thread, the child
    assert results["strace"] == results["pytrace"]


# ---- blocked calls at detach ---------------------------------------------------------

BLOCKED = r'''
import os, sys, time
d = sys.argv[1]
r, w = os.pipe()
open(os.path.join(d, "_ready"), "w").close()
while not os.path.exists(os.path.join(d, "_go")):
    time.sleep(0.01)

def wait_for_data():
    return os.read(r, 1)

wait_for_data()
'''


def test_blocked_call_shown_with_traceback_at_detach(tmp_path):
    script = write_script(tmp_path, "blocked.py", BLOCKED)
    target = subprocess.Popen([PY, script, str(tmp_path)])
    try:
        wait_for(lambda: (tmp_path / "_ready").exists(), what="target ready")
        out = tmp_path / "p.txt"
        tracer = subprocess.Popen([PYTRACE, "-e", "trace=read", "-o", str(out),
                                   "-p", str(target.pid)], stderr=subprocess.PIPE, text=True)
        assert "attached" in tracer.stderr.readline()
        (tmp_path / "_go").touch()
        time.sleep(1.0)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=20) == 0
        lines = out.read_text().splitlines()
        # strace, attached to the same blocked process, detaches the same way
        s_out = tmp_path / "s.txt"
        strace = subprocess.Popen(["strace", "-qq", "-e", "trace=read", "-o", str(s_out),
                                   "-p", str(target.pid)])
        time.sleep(1.0)
        strace.send_signal(signal.SIGINT)
        strace.wait(timeout=20)
    finally:
        target.kill()
        target.wait()
    detached = [i for i, l in enumerate(lines) if l.endswith("<detached ...>")]
    assert len(detached) == 1, lines
    i = detached[0]
    assert lines[i] == s_out.read_text().strip()
    assert lines[i + 1] == '    File "%s", line 10, in wait_for_data' % script
    assert lines[i + 2] == '    File "%s", line 12, in <module>' % script


def test_call_blocked_before_attach_shown_at_detach(tmp_path):
    # Its entry was never seen: the kernel's /proc/PID/task/TID/syscall
    # still names the call and its arguments, as strace shows them.
    script = write_script(tmp_path, "blocked_early.py",
                          "import os\nr, w = os.pipe()\nos.read(r, 1)\n")
    target = subprocess.Popen([PY, script])
    try:
        wait_for(lambda: open("/proc/%d/syscall" % target.pid).read().split()[0] == "0",
                 what="target blocked in read")
        out = tmp_path / "p.txt"
        tracer = subprocess.Popen([PYTRACE, "-o", str(out), "-p", str(target.pid)],
                                  stderr=subprocess.PIPE, text=True)
        assert "attached" in tracer.stderr.readline()
        time.sleep(0.3)
        tracer.send_signal(signal.SIGINT)
        assert tracer.wait(timeout=20) == 0
        s_out = tmp_path / "s.txt"
        strace = subprocess.Popen(["strace", "-qq", "-o", str(s_out), "-p", str(target.pid)])
        time.sleep(0.5)
        strace.send_signal(signal.SIGINT)
        strace.wait(timeout=20)
    finally:
        target.kill()
        target.wait()
    lines = out.read_text().splitlines()
    want = s_out.read_text().strip()
    assert want.startswith("read(3, ") and want.endswith("<detached ...>")
    # and its traceback, walked from outside the blocked thread
    assert lines == [want, '    File "%s", line 3, in <module>' % script]


# ---- --help and the man page -----------------------------------------------------------

def help_options():
    h = subprocess.run([PYTRACE, "--help"], capture_output=True, text=True)
    assert h.returncode == 0
    opts = set()
    for l in h.stdout.splitlines():
        m = re.match(r"^ +(?:(-\w)(?:, )?)?(--[\w-]+)?", l)
        if m and (m.group(1) or m.group(2)):
            opts.update(x for x in m.groups() if x and x not in ("-?", "--help", "--usage",
                                                                 "-V", "--version"))
    return h.stdout, opts


def test_help_lists_options_and_examples():
    text, opts = help_options()
    for o in ("-e", "-P", "-y", "-r", "-c", "-C", "-z", "-Z", "-f", "-o", "-p", "-s", "-t",
              "-T", "--json", "--no-frames", "--stack-depth"):
        assert o in opts, o
    assert "EXAMPLES:" in text and "pytrace -c" in text and "-ff -o" in text


def test_man_page_documents_every_option():
    _, opts = help_options()
    man = open(os.path.join(ROOT, "docs", "pytrace.1")).read().replace("\\-", "-")
    missing = [o for o in sorted(opts) if o not in man]
    assert not missing, missing
    r = subprocess.run(["man", "-l", "--warnings", "-Tutf8", os.path.join(ROOT, "docs", "pytrace.1")],
                       capture_output=True, text=True)
    page = re.sub(".\x08", "", r.stdout)       # bold and underline by overstrike
    assert r.returncode == 0 and not r.stderr, r.stderr
    assert "EXAMPLES" in page and "CLASSES" in page
