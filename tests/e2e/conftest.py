"""Shared helpers for pytrace's end-to-end tests.

The interpreters under test are listed in interpreters(); a missing one is a
failure, not a skip, so a CI machine without it cannot pass quietly.
"""
import functools
import json
import os
import shlex
import shutil
import subprocess
import sys
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTRACE = os.environ.get("PYTRACE_BIN") or os.path.join(ROOT, "build", "pytrace")
TARGETS = os.path.join(ROOT, "tests", "e2e", "targets")


# ---------------------------------------------------------------------------
# The interpreter matrix.
#
# Frame tests run on every CPython the machine has: pyenv's newest micro of
# each minor (PIE executables, libpython shared), Debian's python3.11 (non-PIE,
# libpython inside the executable) and the Debian interpreters that
# tests/interp/prepare.sh debootstraps into chroots (listed in
# tests/interp/interpreters.tsv).  A chroot interpreter runs through a
# generated launcher that enters a new mount namespace, so that its files are
# reachable from pytrace only through /proc/PID/root and /proc/PID/map_files.
# An expected interpreter that is missing fails every test it was meant for.

INTERP_CACHE = os.environ.get("PYTRACE_INTERP_CACHE", "/var/cache/pytrace-interp")
INTERP_SPEC = os.path.join(ROOT, "tests", "interp", "interpreters.tsv")
PYENV_MINORS = ("3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
DEFAULT_INTERPRETERS = ("debian-3.11", "pyenv-3.11")

# Modules whose tests compare frames with Python's own: they run on the whole
# matrix, because every version lays out frames and line tables its own way.
# Other modules (command line, strace parity, demo...) run on the defaults.
MATRIX_MODULES = {"test_frames", "test_threads_fifo", "test_edges", "test_lifecycle", "test_strategies",
                  "test_blocked",
                  "test_shapes", "test_code_reuse"}
# Tests of those modules whose target is written for one version only.
SINGLE_VERSION_TESTS = {"test_looping_frame_chain_ends_with_a_marker"}


@functools.lru_cache(maxsize=None)
def pyenv_root():
    if shutil.which("pyenv"):
        out = subprocess.run(["pyenv", "root"], capture_output=True, text=True)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.strip()
    return os.path.expanduser("~/.pyenv")


class Interp:
    """One interpreter of the matrix.  `path` is the executable as the host
    sees it; for a chroot one, `root` is the chroot and `inner` the path
    inside it."""

    def __init__(self, ident, path, kind, root=None, inner=None, build="release"):
        self.ident = ident
        self.path = path
        self.kind = kind            # "pyenv", "debian" or "chroot"
        self.root = root
        self.inner = inner
        self.build = build

    def __repr__(self):
        return "Interp(%s)" % self.ident

    def missing(self):
        """Why it cannot run here, or None."""
        if not os.access(self.path, os.X_OK):
            hint = ("run sh tests/interp/prepare.sh" if self.kind == "chroot"
                    else "run scripts/install-deps.sh" if self.kind == "debian"
                    else "install it with pyenv")
            return "interpreter %s missing at %s (%s)" % (self.ident, self.path, hint)
        return None


def newest_pyenv(minor):
    """Path of the newest pyenv micro release of `minor` (3.7...), or a path
    that does not exist when there is none."""
    versions = os.path.join(pyenv_root(), "versions")
    best = None
    try:
        names = os.listdir(versions)
    except OSError:
        names = []
    for name in names:
        parts = name.split(".")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            continue            # 3.13.0t, miniconda..., 2.7 aliases
        if ".".join(parts[:2]) != minor:
            continue
        key = tuple(int(p) for p in parts)
        if best is None or key > best[0]:
            best = (key, name)
    name = best[1] if best else minor + ".missing"
    return os.path.join(versions, name, "bin", "python" + minor)


def chroot_interpreters():
    """The chroot interpreters tests/interp/interpreters.tsv expects."""
    out = []
    with open(INTERP_SPEC, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            ident, suite, _pkg, inner, build = line.rstrip("\n").split("\t")
            root = os.path.join(INTERP_CACHE, suite)
            out.append(Interp(ident, root + inner, "chroot", root=root, inner=inner,
                              build=build))
    return out


@functools.lru_cache(maxsize=None)
def _matrix():
    interps = [Interp("pyenv-" + m, newest_pyenv(m), "pyenv") for m in PYENV_MINORS]
    interps.append(Interp("debian-3.11", "/usr/bin/python3.11", "debian"))
    return tuple(interps + chroot_interpreters())


def interpreters():
    """Every interpreter of the matrix, in a stable order."""
    return list(_matrix())


def find_interp(ident):
    for it in interpreters():
        if it.ident == ident:
            return it
    raise KeyError(ident)


def matrix_for(module, test):
    if module in MATRIX_MODULES and test not in SINGLE_VERSION_TESTS:
        return interpreters()
    return [it for it in interpreters() if it.ident in DEFAULT_INTERPRETERS]


def pytest_generate_tests(metafunc):
    if "python" not in metafunc.fixturenames:
        return
    module = metafunc.module.__name__.rsplit(".", 1)[-1]
    interps = matrix_for(module, metafunc.function.__name__)
    metafunc.parametrize("python", interps, ids=[it.ident for it in interps], indirect=True)


CHROOT_LAUNCHER = """#!/bin/sh
# {ident}: {inner} of the chroot {root}, run in a mount namespace of its own
# where {binds} are bind-mounted at their own paths.  Every step execs: the
# pid pytrace launches or attaches to ends up as the interpreter.
set -e
root={root}
if [ "${{1:-}}" != --in-namespace ]; then
	exec unshare --mount --propagation private "$0" --in-namespace "$@"
fi
shift
for d in {binds}; do
	mkdir -p "$root$d"
	mount --bind "$d" "$root$d"
done
exec chroot "$root" {inner} "$@"
"""


class Launchers:
    """Makes the command each interpreter is started with, and probes what
    it really is (version, build) for the matrix report."""

    def __init__(self, directory, binds):
        self.dir = directory
        self.binds = binds
        self.made = {}
        self.probes = {}

    def command(self, it):
        """What tests run as [python, script, ...]."""
        if it.kind != "chroot":
            return it.path
        if it.ident not in self.made:
            path = os.path.join(self.dir, "python-" + it.ident)
            with open(path, "w") as f:
                f.write(CHROOT_LAUNCHER.format(
                    ident=it.ident, root=shlex.quote(it.root), inner=shlex.quote(it.inner),
                    binds=" ".join(shlex.quote(b) for b in self.binds)))
            os.chmod(path, 0o755)
            self.made[it.ident] = path
        return self.made[it.ident]

    def probe(self, it):
        """Facts the interpreter reports about itself, through the same
        launcher the tests use; None when it does not run."""
        if it.ident in self.probes:
            return self.probes[it.ident]
        info = None
        if it.missing() is None:
            p = subprocess.run([self.command(it), "-c", PROBE], capture_output=True, text=True,
                               timeout=60)
            if p.returncode == 0:
                info = json.loads(p.stdout)
            else:
                info = {"error": (p.stderr.strip().splitlines() or ["rc %d" % p.returncode])[-1]}
        self.probes[it.ident] = info
        return info


# Run by each interpreter: its version, the file its C API comes from
# (dladdr of Py_Initialize: a libpython .so or the executable itself; Debian
# configures --enable-shared yet links its python3.X statically), whether it
# is a debug build, and its executable's ELF type.
PROBE = r"""
import ctypes, json, os, sys
class DlInfo(ctypes.Structure):
    _fields_ = [("fname", ctypes.c_char_p), ("fbase", ctypes.c_void_p),
                ("sname", ctypes.c_char_p), ("saddr", ctypes.c_void_p)]
dli = DlInfo()
api = ctypes.cast(ctypes.pythonapi.Py_Initialize, ctypes.c_void_p)
ctypes.CDLL(None).dladdr(api, ctypes.byref(dli))
lib = os.path.basename((dli.fname or b"").decode())
exe = os.path.realpath(sys.executable)
with open(exe, "rb") as f:
    head = f.read(18)
print(json.dumps({
    "version": sys.version.split()[0],
    "shared": lib.startswith("libpython"),
    "libpython": lib,
    "debug": hasattr(sys, "gettotalrefcount"),
    "pie": int.from_bytes(head[16:18], "little") == 3,
    "executable": exe,
}))
"""

_LAUNCHERS = []
# interpreter id -> {test node id: "passed" | "failed" | "skipped"}
_RESULTS = {}


@pytest.fixture(scope="session")
def launchers(tmp_path_factory):
    directory = str(tmp_path_factory.mktemp("launchers"))
    binds = ["/tmp", os.path.join(ROOT, "tests")]
    base = os.path.realpath(str(tmp_path_factory.getbasetemp()))
    if not base.startswith("/tmp/"):
        binds.append(base)
    lau = Launchers(directory, binds)
    _LAUNCHERS.append(lau)
    return lau


@pytest.fixture
def python(request, launchers):
    """The command to start the interpreter of this test's matrix entry."""
    it = request.param
    why = it.missing()
    if why:
        pytest.fail(why)
    return launchers.command(it)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    params = getattr(getattr(item, "callspec", None), "params", {})
    it = params.get("python")
    if not isinstance(it, Interp):
        return
    per = _RESULTS.setdefault(it.ident, {})
    if rep.failed:
        per[item.nodeid] = "failed"
    elif rep.skipped:
        per.setdefault(item.nodeid, "skipped")
    elif rep.when == "call":
        per.setdefault(item.nodeid, "passed")


def _describe(it, info):
    where = {"pyenv": "host", "debian": "host",
             "chroot": "chroot, own mount ns"}[it.kind]
    if info is None:
        return ["-", "missing", "", "", "", where]
    if "error" in info:
        return ["-", "broken: " + info["error"][:40], "", "", "", where]
    return [info["version"], info["libpython"] if info["shared"] else "in executable",
            "PIE" if info["pie"] else "non-PIE", "debug" if info["debug"] else "release",
            info["executable"], where]


def pytest_terminal_summary(terminalreporter):
    if not _RESULTS:
        return
    lau = _LAUNCHERS[0] if _LAUNCHERS else None
    tr = terminalreporter
    tr.section("interpreter matrix")
    head = ["id", "version", "libpython", "exe", "build", "executable", "where",
            "passed", "failed", "skipped"]
    rows = []
    for it in interpreters():
        if it.ident not in _RESULTS:
            continue
        info = lau.probe(it) if lau else None
        per = _RESULTS[it.ident].values()
        counts = [str(sum(1 for o in per if o == k)) for k in ("passed", "failed", "skipped")]
        rows.append([it.ident] + _describe(it, info) + counts)
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    for r in [head] + rows:
        tr.write_line("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    for it in interpreters():
        failed = sorted(n for n, o in _RESULTS.get(it.ident, {}).items() if o == "failed")
        if failed:
            tr.write_line("%s failed: %s" % (it.ident, ", ".join(
                n.split("::", 1)[-1].split("[")[0] for n in failed)))


@functools.lru_cache(maxsize=None)
def version_of(python):
    """(major, minor) of the interpreter the `python` fixture runs."""
    out = subprocess.run([python, "-c", "import sys; print(*sys.version_info[:2])"],
                         capture_output=True, text=True, check=True).stdout.split()
    return int(out[0]), int(out[1])


def read_jsonl(path):
    recs = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                recs.append(json.loads(line))
    return recs


class Run:
    def __init__(self, rc, stderr, records, truth, text=None):
        self.rc = rc
        self.stderr = stderr
        self.records = records
        self.truth = truth
        self.text = text

    def syscalls(self, name=None):
        return [r for r in self.records
                if r.get("type") == "syscall" and (name is None or r["syscall"] == name)]

    def opens_of(self, path):
        """pytrace's open/openat records whose path argument is `path`."""
        quoted = json.dumps(path)
        out = []
        for r in self.syscalls():
            if r["syscall"] == "openat" and r["args"][1] == quoted:
                out.append(r)
            elif r["syscall"] in ("open", "creat") and r["args"][0] == quoted:
                out.append(r)
        return out


def run_pytrace(tmp_path, pytrace_args, command, env_extra=None, timeout=60):
    """Launches `command` under pytrace with --json; returns a Run."""
    out = tmp_path / "trace.jsonl"
    truth = tmp_path / "truth.jsonl"
    env = dict(os.environ)
    env["PYTRACE_TRUTH"] = str(truth)
    env["PYTRACE_TRUTH_PREFIX"] = str(tmp_path) + "/"
    if env_extra:
        env.update(env_extra)
    p = subprocess.run([PYTRACE, "--json", "-o", str(out)] + pytrace_args + ["--"] + command,
                       env=env, capture_output=True, text=True, timeout=timeout)
    return Run(p.returncode, p.stderr, read_jsonl(str(out)), read_jsonl(str(truth)))


def frames_of(rec):
    return [[f["file"], f["line"], f["func"]] for f in rec["frames"]]


def assert_frames_match(run, min_truth=1):
    """Every open Python recorded must appear in pytrace's output, from the
    same thread, with the same frames (file, line, function), innermost
    first.  Opens of one path by one thread pair up in order."""
    assert len(run.truth) >= min_truth, "target recorded too few opens: %r" % run.stderr
    used = {}
    for t in run.truth:
        key = (t["path"], t["tid"])
        recs = [r for r in run.opens_of(t["path"]) if r["tid"] == t["tid"]]
        k = used.get(key, 0)
        assert len(recs) > k, "no syscall record for %s from tid %d; stderr: %s" % (
            t["path"], t["tid"], run.stderr)
        used[key] = k + 1
        got = frames_of(recs[k])
        assert got == t["frames"], "frames differ for %s\n got:  %s\n want: %s" % (
            t["path"], got, t["frames"])


def wait_for(pred, timeout=10.0, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)
