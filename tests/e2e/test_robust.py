"""Process life cycles and failures, as strace users expect them."""
import os
import re
import signal
import subprocess
import sys
import time

from conftest import PYTRACE, TARGETS, assert_frames_match, run_pytrace, wait_for


def test_subprocess_children_keep_their_frames(python, tmp_path):
    # Children exec right after fork: each new image must get its frames.
    r = run_pytrace(tmp_path, ["-f", "-e", "openat"],
                    [python, os.path.join(TARGETS, "spawner.py"), str(tmp_path), python])
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=12)
    assert "ran without Python" not in r.stderr


def test_thread_exits_and_exec_from_a_thread(python, tmp_path):
    out = tmp_path / "trace.txt"
    p = subprocess.run([PYTRACE, "-f", "-e", "exit,execve", "-o", str(out), "--", python,
                        os.path.join(TARGETS, "threads_exec.py")], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    text = out.read_text()
    assert text.count("exit(0)") == 5 and "unfinished" not in text, text
    execs = [l for l in text.splitlines() if "execve(" in l and '"-c"' in l]
    assert len(execs) == 1 and execs[0].endswith("= 0"), text


def test_same_process_twice_is_one(python, tmp_path):
    target = subprocess.Popen([python, "-c", "import time; time.sleep(1)"])
    try:
        p = subprocess.run([PYTRACE, "-q", "-e", "openat", "-p", str(target.pid), "-p",
                            str(target.pid)], capture_output=True, text=True, timeout=30)
        assert p.returncode == 0, p.stderr
        assert p.stderr.count("+++ exited with 0 +++") == 1
    finally:
        target.kill()


def test_full_disk_is_reported():
    p = subprocess.run([PYTRACE, "-o", "/dev/full", "--", "true"], capture_output=True, text=True)
    assert p.returncode == 5
    assert "writing the trace: No space left on device" in p.stderr


def test_closed_pipe_ends_promptly(python):
    # The command would loop for ever; the reader goes away after one line.
    # Like strace, pytrace ends and takes the command it started along.
    start = time.time()
    p = subprocess.run("%s -e openat -- %s -c 'import time\nwhile 1: open(\"/dev/null\").close()"
                       "; time.sleep(0.01)' 2>&1 >/dev/null | head -1" % (PYTRACE, python),
                       shell=True, capture_output=True, text=True, timeout=30)
    assert time.time() - start < 5
    assert p.stdout.startswith("openat(") and len(p.stdout.splitlines()) == 1
    assert "Traceback" not in p.stderr


def test_sigterm_in_launch_mode_reaches_the_command(python, tmp_path):
    tracer = subprocess.Popen([PYTRACE, "-q", "-e", "openat", "-o", str(tmp_path / "t"), "--",
                               python, "-c", "import time; open(%r, 'w'); time.sleep(60)"
                               % str(tmp_path / "_started")])
    wait_for(lambda: (tmp_path / "_started").exists(), what="command started")
    tracer.send_signal(signal.SIGTERM)
    assert tracer.wait(timeout=10) == 128 + signal.SIGTERM
    assert "+++ killed by SIGTERM +++" in (tmp_path / "t").read_text()


def test_trace_lines_never_mix_with_program_output(python):
    # Trace and program share stderr (a pipe), as on a terminal.
    prog = ("import os, sys\n"
            "for i in range(500):\n"
            "    for j in range(20): os.stat('/')\n"
            "    sys.stderr.write('PROGRAM-LINE %d\\n' % i); sys.stderr.flush()\n")
    p = subprocess.run([PYTRACE, "-e", "trace=newfstatat", "--", python, "-c", prog],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert p.returncode == 0
    lines = p.stderr.splitlines()
    assert sum(1 for l in lines if l.startswith("PROGRAM-LINE")) == 500
    mixed = [l for l in lines if "PROGRAM-LINE" in l and not l.startswith("PROGRAM-LINE")]
    assert not mixed, mixed[:3]


def test_exit_status_after_forwarded_signal(python, tmp_path):
    # The command handles SIGTERM and exits 0: so does pytrace.
    prog = ("import signal, sys, time\n"
            "signal.signal(signal.SIGTERM, lambda s, f: sys.exit(0))\n"
            "open(%r, 'w').close()\n"
            "time.sleep(30)\n") % str(tmp_path / "_started")
    for _ in range(3):
        (tmp_path / "_started").unlink(missing_ok=True)
        tracer = subprocess.Popen([PYTRACE, "-q", "-e", "exit_group", "-o", "/dev/null", "--",
                                   python, "-c", prog])
        wait_for(lambda: (tmp_path / "_started").exists(), what="command started")
        tracer.send_signal(signal.SIGTERM)
        assert tracer.wait(timeout=10) == 0


def test_ignored_signals_stay_ignored_for_the_command(python):
    # nohup: SIGHUP ignored for pytrace stays ignored for the command.
    p = subprocess.run(["nohup", PYTRACE, "-q", "-e", "openat", "-o", "/dev/null", "--", python,
                        "-c", "import signal; print(signal.getsignal(signal.SIGHUP) is signal.SIG_IGN)"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "True"


def test_long_string_limit_like_strace(tmp_path):
    # strace users write -s 9999; argv strings are then shown whole.
    arg = "x" * 300
    p = subprocess.run([PYTRACE, "-s", "9999", "-e", "execve", "--", "/bin/echo", arg],
                       capture_output=True, text=True)
    s = subprocess.run(["strace", "-s", "9999", "-e", "trace=execve", "/bin/echo", arg],
                       capture_output=True, text=True)
    first = lambda t: re.sub(r"0x[0-9a-f]+", "0xADDR", t.splitlines()[0])
    assert first(p.stderr) == first(s.stderr)


def test_bundled_unknown_option_is_named():
    p = subprocess.run([PYTRACE, "-jj", "true"], capture_output=True, text=True)
    assert p.returncode == 2
    assert "'-j'" in p.stderr


def test_c1_control_characters_in_names_are_escaped_in_text(python, tmp_path):
    # U+009B is CSI on terminals that take 8-bit controls: a file name the
    # target chose must not reach the terminal raw.  JSON keeps it exact.
    script = tmp_path / "c1.py"
    script.write_text(
        "import os\n"
        "ns = {}\n"
        "exec(compile('def f(p):\\n    os.close(os.open(p, os.O_RDONLY | os.O_CREAT))\\n',\n"
        "             'evil\\u009b[31mred.py', 'exec'), {'os': os}, ns)\n"
        "ns['f'](%r)\n" % str(tmp_path / "target"))
    text = subprocess.run([PYTRACE, "-e", "openat", "-o", str(tmp_path / "t.txt"), "--",
                           python, str(script)], capture_output=True, timeout=60)
    assert text.returncode == 0, text.stderr
    out = (tmp_path / "t.txt").read_bytes()
    assert b'File "evil\\302\\233[31mred.py", line 2, in f' in out
    assert b"\xc2\x9b" not in out
    r = run_pytrace(tmp_path, ["-e", "openat"], [python, str(script)])
    rec = r.opens_of(str(tmp_path / "target"))[0]
    assert rec["frames"][0]["file"] == "evil\u009b[31mred.py"


def test_slow_reader_bounds_memory_and_counts_losses(tmp_path):
    """A reader slower than the target (a slow terminal, a stalled pipe):
    pytrace blocks on its output, the ring buffer fills, records are
    dropped and counted; its memory stays bounded and every call is either
    in the trace or in the loss count."""
    n = 100000
    fifo = tmp_path / "out"
    os.mkfifo(str(fifo))
    target = ("import os\n"
              "def f(k):\n"
              "    if k: return f(k - 1)\n"
              "    for _ in range(%d): os.getppid()\n"
              "f(10)\n" % n)
    tracer = subprocess.Popen([PYTRACE, "-e", "getppid", "--buffer-size", "1", "-o", str(fifo),
                               "--", sys.executable, "-c", target],
                              stderr=subprocess.PIPE, text=True)
    data, hwm = [], 0
    with open(str(fifo), "rb") as r:
        deadline = time.time() + 120
        while time.time() < deadline:
            chunk = r.read(65536)           # about 640 KB/s: far slower than the target
            if not chunk:
                break
            data.append(chunk)
            try:
                with open("/proc/%d/status" % tracer.pid) as st:
                    for line in st:
                        if line.startswith("VmHWM:"):
                            hwm = max(hwm, int(line.split()[1]))
            except OSError:
                pass
            if tracer.poll() is None:
                time.sleep(0.1)
            else:
                data.append(r.read())
                break
    calls = sum(1 for line in b"".join(data).splitlines() if line.startswith(b"getppid("))
    err = tracer.communicate(timeout=60)[1]
    assert tracer.returncode == 0, err
    m = re.search(r"(\d+) records lost \(ring buffer full: (\d+) enter", err)
    assert m, err
    lost_enter = int(m.group(2))
    assert lost_enter > 0
    # each lost entry is a call missing from the trace, and only those
    assert calls + lost_enter == n, (calls, lost_enter, err)
    assert hwm < 100 * 1024, "tracer peak RSS %d kB" % hwm
