"""Ground truth for pytrace's tests, recorded by Python itself.

Imported by every target: an audit hook on the "open" event writes, for each
path under PYTRACE_TRUTH_PREFIX, the stack of the opening thread as Python
sees it (sys._getframe and f_back: file, f_lineno, qualified name), innermost
first, to the JSON Lines file PYTRACE_TRUTH.  Files whose name starts with
"_" are the tests' control files (ready/go markers) and are not recorded.

Python 3.7 has no audit hooks.  There, a target that passes its path through
traced() gets the same record from the path's __fspath__, which the C code of
open() and os.open() calls just before the system call, from the caller's
frame; opens of plain strings are not recorded on 3.7.
"""
import json
import os
import sys
import threading

_PREFIX = os.environ.get("PYTRACE_TRUTH_PREFIX", "/nonexistent-prefix/")
_OUT = open(os.environ["PYTRACE_TRUTH"], "a", buffering=1) if "PYTRACE_TRUTH" in os.environ else None
_LOCK = threading.Lock()


def _name(code):
    return getattr(code, "co_qualname", code.co_name)


def _native_id():
    if hasattr(threading, "get_native_id"):
        return threading.get_native_id()
    import ctypes               # 3.7: gettid (186 on x86_64)
    return ctypes.CDLL(None).syscall(186)


def _record(path, f):
    """Writes the stack from frame f outwards for path."""
    if _OUT is None or not isinstance(path, str) or not path.startswith(_PREFIX):
        return
    if os.path.basename(path).startswith("_"):
        return
    frames = []
    while f is not None:
        frames.append([f.f_code.co_filename, f.f_lineno, _name(f.f_code)])
        f = f.f_back
    rec = {"path": path, "tid": _native_id(), "frames": frames}
    with _LOCK:
        _OUT.write(json.dumps(rec) + "\n")


def _hook(event, args):
    if event == "open":
        _record(args[0], sys._getframe(1))      # skip this hook


HAVE_AUDIT = hasattr(sys, "addaudithook")
if HAVE_AUDIT:
    sys.addaudithook(_hook)


class _TracedPath:
    """A path whose conversion by open()/os.open() records the caller."""

    def __init__(self, path):
        self.path = path
        self.recorded = False

    def __fspath__(self):
        if not self.recorded:                   # open() may convert it twice
            self.recorded = True
            _record(self.path, sys._getframe(1))    # the frame that called open()
        return self.path


def traced(path):
    """path itself where the audit hook records it, else a recording path."""
    return path if HAVE_AUDIT else _TracedPath(path)


def ready_then_wait(directory):
    """Tells the test the target is up (_ready), then waits for _GO."""
    import time
    open(os.path.join(directory, "_ready"), "w").close()
    while not os.path.exists(os.path.join(directory, "_GO")):
        time.sleep(0.01)
