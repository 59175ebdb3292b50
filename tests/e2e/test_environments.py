"""The same frames, however the interpreter was started and wherever it runs.

Each test runs targets/env_target.py (opens from a known call chain in two
threads) in one environment and compares pytrace's frames with the ones
Python itself recorded (targets/truth.py).  The chroot interpreters come
from tests/interp/prepare.sh."""
import os
import shutil
import subprocess
import zipfile

import pytest

from conftest import (PYTRACE, TARGETS, Run, assert_frames_match, find_interp, read_jsonl,
                      run_pytrace, wait_for)

TARGET = os.path.join(TARGETS, "env_target.py")
DEBIAN = "/usr/bin/python3.11"
# The two opens env_target.py makes.
OPENED = ["from-main", "from-thread"]


def interp_path(ident):
    it = find_interp(ident)
    why = it.missing()
    if why:
        pytest.fail(why)
    return it


def check(r, tmp_path):
    """The target made exactly its two opens, and pytrace's frames for both
    equal Python's, innermost first, down to the call chain we know."""
    assert r.rc == 0, r.stderr
    got = sorted(os.path.basename(t["path"]) for t in r.truth)
    assert got == OPENED, "target recorded %s; stderr: %s" % (got, r.stderr)
    assert_frames_match(r, min_truth=2)
    for t in r.truth:
        rec = r.opens_of(t["path"])[0]
        assert [f["func"] for f in rec["frames"][:3]] == ["write_marker", "inner", "outer"]


def start_waiting(cmd, tmp_path, env_extra=None):
    """Starts cmd (a target run with --wait) and waits until it is ready."""
    env = dict(os.environ, PYTRACE_TRUTH=str(tmp_path / "truth.jsonl"),
               PYTRACE_TRUTH_PREFIX=str(tmp_path) + "/")
    env.update(env_extra or {})
    proc = subprocess.Popen(cmd, env=env)
    try:
        wait_for(lambda: (tmp_path / "_ready").exists() or proc.poll() is not None,
                 timeout=30, what="target ready")
    except BaseException:
        proc.kill()
        raise
    assert proc.poll() is None, "target exited early: %s" % proc.returncode
    return proc


def attach_and_release(proc, pid, tmp_path):
    """Attaches pytrace to pid, lets the target go on, waits for both;
    returns (Run, pytrace's first line)."""
    out = tmp_path / "trace.jsonl"
    tracer = subprocess.Popen([PYTRACE, "--json", "-o", str(out), "-e", "openat", "-p", str(pid)],
                              stderr=subprocess.PIPE, text=True)
    try:
        first = tracer.stderr.readline()
        assert "attached" in first, first
        (tmp_path / "_GO").touch()
        assert proc.wait(timeout=30) == 0
        rc = tracer.wait(timeout=30)
        rest = tracer.stderr.read()
    finally:
        proc.kill()
        tracer.kill()
    run = Run(rc, first + rest, read_jsonl(str(out)), read_jsonl(str(tmp_path / "truth.jsonl")))
    return run, first


def deleted_maps(pid, directory):
    """Files under directory that pid maps and that are deleted."""
    with open("/proc/%d/maps" % pid) as f:
        return {line.split(None, 5)[5].strip() for line in f
                if len(line.split(None, 5)) == 6 and directory in line and "(deleted)" in line}


def test_executable_deleted_after_start(tmp_path):
    # Debian's python3.11 (libpython in the executable), run from a copy
    # that is gone when pytrace attaches.
    copy = tmp_path / "bin" / "python3.11"
    copy.parent.mkdir()
    shutil.copy2(DEBIAN, copy)
    proc = start_waiting([str(copy), TARGET, str(tmp_path), "--wait"], tmp_path)
    copy.unlink()
    assert str(copy) + " (deleted)" in deleted_maps(proc.pid, str(tmp_path))
    r, first = attach_and_release(proc, proc.pid, tmp_path)
    check(r, tmp_path)


def test_libpython_deleted_after_start(tmp_path):
    # pyenv's python3.11 with its libpython loaded from a copy (the
    # executable's RUNPATH yields to LD_LIBRARY_PATH), deleted before attach.
    it = interp_path("pyenv-3.11")
    lib = os.path.join(os.path.dirname(os.path.dirname(it.path)), "lib", "libpython3.11.so.1.0")
    libdir = tmp_path / "lib"
    libdir.mkdir()
    shutil.copy2(lib, libdir / "libpython3.11.so.1.0")
    proc = start_waiting([it.path, TARGET, str(tmp_path), "--wait"], tmp_path,
                         {"LD_LIBRARY_PATH": str(libdir)})
    (libdir / "libpython3.11.so.1.0").unlink()
    assert str(libdir / "libpython3.11.so.1.0") + " (deleted)" in deleted_maps(
        proc.pid, str(tmp_path))
    r, _ = attach_and_release(proc, proc.pid, tmp_path)
    check(r, tmp_path)


@pytest.mark.parametrize("ident", ["bullseye-3.9", "sid-3.13"])
def test_attach_to_chroot_in_other_mount_namespace(ident, tmp_path, launchers):
    it = interp_path(ident)
    assert not os.path.exists(it.inner) or not os.path.samefile(it.inner, it.path)
    proc = start_waiting([launchers.command(it), TARGET, str(tmp_path), "--wait"], tmp_path)
    # Every step of the launcher execs: the pid is the interpreter's, in
    # its own mount namespace and root.
    assert os.readlink("/proc/%d/ns/mnt" % proc.pid) != os.readlink("/proc/self/ns/mnt")
    assert os.path.samefile("/proc/%d/root" % proc.pid, it.root)
    assert os.path.samefile("/proc/%d/exe" % proc.pid, it.path)
    r, first = attach_and_release(proc, proc.pid, tmp_path)
    assert "Python %s" % ident.split("-")[1] in first, first
    check(r, tmp_path)


def ns_to_host_tids(host_pid):
    """{tid as the target's PID namespace sees it: host tid} of host_pid's
    threads, from the NSpid lines of their status files."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % host_pid):
        with open("/proc/%d/task/%s/status" % (host_pid, tid)) as f:
            for line in f:
                if line.startswith("NSpid:"):
                    ids = [int(x) for x in line.split()[1:]]
                    out[ids[-1]] = ids[0]
    return out


def test_attach_by_host_pid_to_other_pid_namespace(tmp_path):
    proc = start_waiting(["unshare", "--pid", "--fork", "--mount-proc", DEBIAN, TARGET,
                          str(tmp_path), "--wait"], tmp_path)
    with open("/proc/%d/task/%d/children" % (proc.pid, proc.pid)) as f:
        children = [int(x) for x in f.read().split()]
    assert len(children) == 1, children
    target = children[0]
    assert os.readlink("/proc/%d/ns/pid" % target) != os.readlink("/proc/self/ns/pid")
    tids = ns_to_host_tids(target)
    assert tids.get(1) == target and len(tids) == 2, tids
    r, _ = attach_and_release(proc, target, tmp_path)
    # Python recorded its namespace's tids; pytrace reports the host's.
    for t in r.truth:
        t["tid"] = tids[t["tid"]]
    check(r, tmp_path)


def launched(tmp_path, command):
    return run_pytrace(tmp_path, ["-e", "openat"], command + [TARGET, str(tmp_path)])


def test_started_through_the_dynamic_loader(tmp_path):
    # The executable mapped first is ld.so; python3.11 is mapped by it.
    check(launched(tmp_path, ["/lib64/ld-linux-x86-64.so.2", DEBIAN]), tmp_path)


def test_started_through_env(tmp_path):
    check(launched(tmp_path, ["env", "PYTHONDONTWRITEBYTECODE=1", DEBIAN]), tmp_path)


def test_started_through_a_shell_script(tmp_path):
    script = tmp_path / "run-python"
    script.write_text('#!/bin/sh\nexec %s "$@"\n' % DEBIAN)
    script.chmod(0o755)
    check(launched(tmp_path, [str(script)]), tmp_path)


def test_started_from_a_virtualenv(tmp_path):
    it = interp_path("pyenv-3.12")
    venv = tmp_path / "venv"
    subprocess.run([it.path, "-m", "venv", "--without-pip", str(venv)], check=True)
    r = launched(tmp_path, [str(venv / "bin" / "python")])
    check(r, tmp_path)


def test_started_from_a_zipapp(tmp_path):
    # The target and truth.py inside an archive: Python's file names for
    # its frames are paths inside the archive, and pytrace's must be the same.
    app = tmp_path / "app.pyz"
    with zipfile.ZipFile(app, "w") as z:
        z.write(TARGET, "env_target.py")
        z.write(os.path.join(TARGETS, "truth.py"), "truth.py")
        z.writestr("__main__.py", "import env_target  # noqa: F401\n")
    r = run_pytrace(tmp_path, ["-e", "openat"], [DEBIAN, str(app), str(tmp_path)])
    check(r, tmp_path)
    files = {f["file"] for t in r.truth for f in r.opens_of(t["path"])[0]["frames"]}
    assert str(app / "env_target.py") in files
    assert str(app / "__main__.py") in files


@pytest.mark.parametrize("ident,pie", [("debian-3.11", False), ("pyenv-3.11", True)])
def test_pie_and_non_pie_executables(ident, pie, tmp_path):
    # Debian's python3.11 is a non-PIE executable (fixed addresses), pyenv's
    # a PIE one (randomised base): both must resolve.
    it = interp_path(ident)
    with open(it.path, "rb") as f:
        e_type = int.from_bytes(f.read(18)[16:18], "little")
    assert e_type == (3 if pie else 2), "%s: ELF type %d" % (it.path, e_type)
    check(launched(tmp_path, [it.path]), tmp_path)
