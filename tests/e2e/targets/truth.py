"""Ground truth for pytrace's tests, recorded by Python itself.

Imported by every target: an audit hook on the "open" event writes, for each
path under PYTRACE_TRUTH_PREFIX, the stack of the opening thread as Python
sees it (sys._getframe and f_back: file, f_lineno, qualified name), innermost
first, to the JSON Lines file PYTRACE_TRUTH.  Files whose name starts with
"_" are the tests' control files (ready/go markers) and are not recorded.
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


def _hook(event, args):
    if event != "open" or _OUT is None:
        return
    path = args[0]
    if not isinstance(path, str) or not path.startswith(_PREFIX):
        return
    if os.path.basename(path).startswith("_"):
        return
    frames = []
    f = sys._getframe(1)        # skip this hook
    while f is not None:
        frames.append([f.f_code.co_filename, f.f_lineno, _name(f.f_code)])
        f = f.f_back
    rec = {"path": path, "tid": threading.get_native_id(), "frames": frames}
    with _LOCK:
        _OUT.write(json.dumps(rec) + "\n")


sys.addaudithook(_hook)


def ready_then_wait(directory):
    """Tells the test the target is up (_ready), then waits for _GO."""
    import time
    open(os.path.join(directory, "_ready"), "w").close()
    while not os.path.exists(os.path.join(directory, "_GO")):
        time.sleep(0.01)
