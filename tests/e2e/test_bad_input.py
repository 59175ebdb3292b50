"""Bad input and an unusable environment: each is one line on stderr,
starting with "pytrace: ", and the exit status the README documents
(2 usage, 3 target, 4 privileges / kernel support).

What makes each case bad is checked independently first (the kernel's
pid_max, /proc's view of the target, the capabilities the process really
has), so a test cannot pass by accident.
"""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import PYTRACE, wait_for

USAGE, TARGET, ENV = 2, 3, 4


def run(args, prefix=(), timeout=30):
    return subprocess.run(list(prefix) + [PYTRACE] + args, capture_output=True, text=True,
                          timeout=timeout)


def assert_one_error(p, code, *words):
    assert p.returncode == code, (p.returncode, p.stderr)
    lines = p.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("pytrace: "), p.stderr
    for w in words:
        assert w in lines[0], (w, lines[0])
    return lines[0]


def status_of(pid):
    with open("/proc/%d/status" % pid) as f:
        return dict(l.rstrip("\n").split(":\t", 1) for l in f if ":\t" in l)


@pytest.mark.parametrize("args, words", [
    (["--bogus", "true"], ["unknown option", "--bogus"]),
    (["-s"], ["needs a value", "-s"]),
    (["-p", "12ab"], ["invalid PID", "12ab"]),
    (["-p", "0"], ["invalid PID"]),
    (["-p", "-5"], ["invalid PID"]),
    (["-p", "99999999999"], ["invalid PID"]),
    (["-s", "-1", "true"], ["invalid string limit"]),
    (["--stack-depth", "129", "true"], ["invalid stack depth", "0..128"]),
    (["--buffer-size", "0", "true"], ["invalid buffer size"]),
    (["--buffer-size", "1025", "true"], ["invalid buffer size"]),
    (["-e", "no_such_call", "true"], ["invalid system call", "no_such_call"]),
    (["-e", "", "true"], []),
    (["-e", "bogus=1", "true"], ["bogus"]),
    ([], ["must have -p PID or a command"]),
    (["-e", "openat"], ["must have -p PID or a command"]),
    (["-p", "1", "--", "true"], ["mutually exclusive"]),
    (sum([["-p", "1"] for _ in range(65)], []), ["too many -p"]),
    (["-o", "/nonexistent-dir/trace", "--", "true"], ["cannot open", "/nonexistent-dir/trace"]),
])
def test_usage_errors(args, words):
    assert_one_error(run(args), USAGE, *words)


def test_pid_that_does_not_exist():
    # Above pid_max no process can have this id.
    with open("/proc/sys/kernel/pid_max") as f:
        pid = int(f.read()) + 1
    assert not os.path.exists("/proc/%d" % pid)
    assert_one_error(run(["-p", str(pid)]), TARGET, "pid %d" % pid, "No such process")


def test_kernel_thread():
    st = status_of(2)
    assert st["Name"] == "kthreadd" and st.get("Kthread", "1") == "1"
    assert_one_error(run(["-p", "2"]), TARGET, "pid 2", "kernel thread")


def test_zombie():
    # The child exits and its parent does not reap it.
    parent = subprocess.Popen([sys.executable, "-c",
                               "import os, time\n"
                               "pid = os.fork()\n"
                               "if pid == 0: os._exit(0)\n"
                               "print(pid, flush=True)\n"
                               "time.sleep(60)\n"], stdout=subprocess.PIPE, text=True)
    try:
        zombie = int(parent.stdout.readline())
        wait_for(lambda: status_of(zombie)["State"].startswith("Z"), what="zombie")
        assert_one_error(run(["-p", str(zombie)]), TARGET, "pid %d" % zombie, "zombie")
    finally:
        parent.kill()
        parent.wait()


def test_itself():
    # A shell that execs pytrace with its own pid.
    p = subprocess.run(["sh", "-c", 'exec "$0" -p $$', PYTRACE], capture_output=True,
                       text=True, timeout=30)
    assert_one_error(p, TARGET, "pytrace itself")


@pytest.mark.parametrize("command", [["/nonexistent/prog"], ["no-such-command-xyz"], ["/tmp"]])
def test_command_that_cannot_run(command):
    assert_one_error(run(["--"] + command), TARGET, "cannot find program")


def test_non_python_process_is_traced_without_frames(tmp_path):
    # Not an error: attached like strace, with a notice, and exit 0.
    target = subprocess.Popen(["sh", "-c", "read x; cat /etc/hostname > /dev/null"],
                              stdin=subprocess.PIPE, text=True)
    out = tmp_path / "trace"
    try:
        tracer = subprocess.Popen([PYTRACE, "-e", "wait4", "-o", str(out), "-p",
                                   str(target.pid)], stderr=subprocess.PIPE, text=True)
        first = tracer.stderr.readline()
        target.stdin.write("go\n")
        target.stdin.close()
        assert target.wait(timeout=30) == 0
        assert tracer.wait(timeout=30) == 0
    finally:
        target.kill()
    assert first.startswith("pytrace: Process %d attached" % target.pid), first
    assert "not running Python; tracing without Python frames" in first
    text = out.read_text()
    assert "wait4(" in text and "+++ exited with 0 +++" in text, text


def effective_caps(prefix):
    p = subprocess.run(list(prefix) + ["grep", "^CapEff:", "/proc/self/status"],
                       capture_output=True, text=True, check=True)
    return int(p.stdout.split()[1], 16)


CAP_SYS_PTRACE, CAP_SYS_ADMIN, CAP_PERFMON, CAP_BPF = 19, 21, 38, 39
ALL_NEEDED = {"CAP_BPF": CAP_BPF, "CAP_PERFMON": CAP_PERFMON,
              "CAP_SYS_ADMIN": CAP_SYS_ADMIN, "CAP_SYS_PTRACE": CAP_SYS_PTRACE}


@pytest.mark.parametrize("prefix", [
    ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"],
    ["setpriv", "--bounding-set=-bpf,-perfmon,-sys_admin"],
    ["setpriv", "--bounding-set=-sys_ptrace"],
    ["setpriv", "--bounding-set=-sys_admin"],
], ids=["nobody", "no-bpf-perfmon-sysadmin", "no-ptrace", "no-sysadmin"])
def test_missing_privileges_named(prefix):
    caps = effective_caps(prefix)
    missing = sorted(name for name, bit in ALL_NEEDED.items() if not caps & (1 << bit))
    assert missing, "the prefix removed no capability: %#x" % caps
    line = assert_one_error(run(["--", "true"], prefix), ENV, "missing privileges")
    # CAP_BPF and CAP_PERFMON are not needed with CAP_SYS_ADMIN; the rest is.
    named = sorted(n for n in ALL_NEEDED if n in line)
    if caps & (1 << CAP_SYS_ADMIN):
        assert named == [n for n in missing if n not in ("CAP_BPF", "CAP_PERFMON")], line
    else:
        assert named == missing, line


def test_bpf_refused_in_user_namespace():
    # Root in a new user namespace has every capability there, but the
    # kernel refuses BPF to it: the failure comes from the bpf() syscall.
    assert effective_caps(["unshare", "-U", "-r"]) & (1 << CAP_BPF)
    assert_one_error(run(["-e", "openat", "--", "true"], ["unshare", "-U", "-r"]), ENV,
                     "failed to load BPF programs", "Operation not permitted", "CAP_BPF")


def test_no_btf():
    # /sys/kernel/btf hidden by an empty tmpfs in a private mount namespace.
    p = subprocess.run(["unshare", "-m", "sh", "-c",
                        'mount -t tmpfs none /sys/kernel/btf && exec "$0" -- true', PYTRACE],
                       capture_output=True, text=True, timeout=30)
    assert_one_error(p, ENV, "no BTF", "/sys/kernel/btf/vmlinux")


def test_no_proc():
    if "ASAN_OPTIONS" in os.environ:
        pytest.skip("the ASan runtime itself warns without /proc (make test-asan)")
    p = subprocess.run(["unshare", "-m", "sh", "-c",
                        'mount -t tmpfs none /proc && exec "$0" -- true', PYTRACE],
                       capture_output=True, text=True, timeout=30)
    assert_one_error(p, ENV, "needs /proc")
