"""Launch, attach, exit status, JSON, text layout and bad input."""
import json
import os
import subprocess
import sys
import time

import pytest

from conftest import PYTRACE, TARGETS, assert_frames_match, read_jsonl, run_pytrace, wait_for


def test_attach_to_running_process(python, tmp_path):
    truth = tmp_path / "truth.jsonl"
    env = dict(os.environ, PYTRACE_TRUTH=str(truth), PYTRACE_TRUTH_PREFIX=str(tmp_path) + "/")
    target = subprocess.Popen([python, os.path.join(TARGETS, "attach.py"), str(tmp_path)], env=env)
    try:
        wait_for(lambda: (tmp_path / "_ready").exists(), what="target ready")
        out = tmp_path / "trace.jsonl"
        tracer = subprocess.Popen([PYTRACE, "--json", "-o", str(out), "-e", "openat",
                                   "-p", str(target.pid)],
                                  stderr=subprocess.PIPE, text=True)
        line = tracer.stderr.readline()
        assert "attached" in line and str(target.pid) in line, line
        (tmp_path / "_GO").touch()
        assert target.wait(timeout=30) == 0
        assert tracer.wait(timeout=30) == 0, tracer.stderr.read()
    finally:
        target.kill()
        tracer.kill()
    from conftest import Run
    r = Run(0, "", read_jsonl(str(out)), read_jsonl(str(truth)))
    assert_frames_match(r, min_truth=3)
    exits = [x for x in r.records if x.get("type") == "exit"]
    assert exits and exits[0]["pid"] == target.pid


def test_launch_exit_status_and_exec(python, tmp_path):
    # `env` execs the interpreter: pytrace follows the exec into Python.
    script = tmp_path / "s.py"
    script.write_text("import sys\nopen(%r, 'w').close()\nsys.exit(7)\n" % str(tmp_path / "f"))
    r = run_pytrace(tmp_path, ["-e", "execve,openat"], ["env", python, str(script)])
    assert r.rc == 7, r.stderr
    execs = r.syscalls("execve")
    assert len(execs) >= 2 and execs[0]["ret"] == 0
    opens = r.opens_of(str(tmp_path / "f"))
    assert opens and opens[0]["frames"][0]["func"] == "<module>"
    assert opens[0]["frames"][0]["line"] == 2


def test_launch_killed_by_signal(tmp_path):
    r = subprocess.run([PYTRACE, "-e", "openat", "--",
                        "sh", "-c", "kill -9 $$"], capture_output=True, text=True)
    assert r.returncode == 128 + 9, r.stderr
    assert "+++ killed by SIGKILL +++" in r.stderr


def test_json_lines_are_valid_and_complete(python, tmp_path):
    r = run_pytrace(tmp_path, [], [python, "-c", "open('/dev/null').close()"])
    assert r.rc == 0
    assert r.records, "no records"
    kinds = {x["type"] for x in r.records}
    assert {"syscall", "exit", "summary"} <= kinds
    for x in r.syscalls():
        assert x["v"] == 1
        for key in ("ts", "pid", "tid", "syscall", "nr", "args", "ret", "errno",
                    "frames", "stack"):
            assert key in x, (key, x)
        assert isinstance(x["args"], list) and isinstance(x["frames"], list)
    failed = [x for x in r.syscalls() if x["ret"] is not None and x["ret"] < 0]
    assert all(x["errno"] and x["errno"].startswith("E") for x in failed)
    summary = [x for x in r.records if x["type"] == "summary"][0]
    assert sum(summary["lost"].values()) == 0


def test_text_output_layout(python, tmp_path):
    path = tmp_path / "text-target"
    script = tmp_path / "t.py"
    script.write_text("def opener():\n    open(%r, 'w').close()\nopener()\n" % str(path))
    out = tmp_path / "trace.txt"
    p = subprocess.run([PYTRACE, "-e", "openat", "-o", str(out), "--", python, str(script)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    lines = out.read_text().splitlines()
    i = next(k for k, l in enumerate(lines) if str(path) in l)
    assert lines[i] == 'openat(AT_FDCWD, "%s", O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0666) = 3' % path
    assert lines[i + 1] == '    File "%s", line 2, in opener' % script
    assert lines[i + 2] == '    File "%s", line 3, in <module>' % script
    assert lines[-1] == "+++ exited with 0 +++"


def test_non_python_process_is_traced_with_notice(tmp_path):
    out = tmp_path / "trace.txt"
    p = subprocess.run([PYTRACE, "-e", "openat", "-o", str(out), "--", "cat", "/etc/hostname"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY) = 3' in out.read_text()
    assert "without Python" in p.stderr


@pytest.mark.parametrize("args, code, message", [
    (["-p", "12ab"], 2, "invalid PID"),
    (["-p", "0"], 2, "invalid PID"),
    (["-p", "4194000"], 3, "No such process"),
    (["-p", "2"], 3, "kernel thread"),
    (["-e", "no_such_call", "true"], 2, "invalid system call"),
    (["-s", "-5", "true"], 2, "invalid string limit"),
    ([], 2, "must have -p PID or a command"),
    (["--", "/nonexistent/prog"], 3, "cannot find program"),
    (["--bogus", "true"], 2, "unknown option"),
    (["-s"], 2, "needs a value"),
    (["-p", "1", "--", "true"], 2, "mutually exclusive"),
])
def test_bad_input_one_line_and_exit_code(args, code, message):
    p = subprocess.run([PYTRACE] + args, capture_output=True, text=True)
    assert p.returncode == code, p.stderr
    assert message in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr


def test_missing_privileges_named():
    p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        PYTRACE, "-e", "openat", "--", "true"], capture_output=True, text=True)
    assert p.returncode == 4, p.stderr
    assert "missing privileges" in p.stderr and "CAP_BPF" in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("opts", [["-s", "0"], ["-s", "4095"], ["--stack-depth", "0"],
                                  ["--stack-depth", "128"], ["--buffer-size", "1"]])
def test_option_extremes_load_and_trace(opts):
    # The BPF verifier sees these values as constants: every one must load.
    p = subprocess.run([PYTRACE, "-q", "-e", "openat"] + opts + ["--", "cat", "/etc/hostname"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert 'openat(AT_FDCWD, "/etc/hostname", O_RDONLY)' in p.stderr


def test_hostile_file_names_escaped_in_text_exact_in_json(python, tmp_path):
    script = tmp_path / "we\x1b[31mird\nname.py"
    script.write_text("def f():\n    open('/dev/null').close()\nf()\n")
    out = tmp_path / "trace.txt"
    p = subprocess.run([PYTRACE, "-e", "openat", "-o", str(out), "--", python, str(script)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    text = out.read_text()
    assert "\x1b" not in text
    assert '    File "%s/we\\33[31mird\\nname.py", line 2, in f\n' % tmp_path in text
    r = run_pytrace(tmp_path, ["-e", "openat"], [python, str(script)])
    recs = [x for x in r.opens_of("/dev/null") if x["frames"]]
    assert recs and recs[0]["frames"][0]["file"] == str(script)


def test_tracer_takes_a_larger_cpu_share_and_its_command_does_not(python, tmp_path):
    """pytrace runs at a higher priority (its records are lost when the
    target starves it), but a command it launches runs at the priority
    pytrace was started with, as it would without pytrace."""
    ours = os.getpriority(os.PRIO_PROCESS, 0)
    marker = tmp_path / "_nice"
    tracer = subprocess.Popen(
        [PYTRACE, "-o", os.devnull, "-e", "none", "--", python, "-c",
         "import os, time\n"
         "open(%r, 'w').write(str(os.getpriority(os.PRIO_PROCESS, 0)))\n"
         "time.sleep(1)" % str(marker)])
    try:
        wait_for(lambda: marker.exists() and marker.read_text(), what="the command's priority")
        assert int(marker.read_text()) == ours
        wait_for(lambda: os.getpriority(os.PRIO_PROCESS, tracer.pid) < ours,
                 what="pytrace's raised priority")
        assert tracer.wait(timeout=30) == 0
    finally:
        tracer.kill()
