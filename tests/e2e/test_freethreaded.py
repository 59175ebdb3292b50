"""Free-threaded CPython (3.13t, 3.14t) on synthetic memory images.

No free-threaded interpreter is installed here, so targets/fake_ft.c lays
out a runtime, a thread state, frames, code objects and strings the way the
shared reference describes those builds (tables 1, 5, 6), with the
_Py_DebugOffsets image CPython itself would carry.  pytrace must detect the
build from that image alone and walk the stack the program wrote down:
thread-local bytecode, tagged code pointers, skipped shim frames, latin-1
names in 3.14t's moved string state bits, and a broken tlbc index (kept,
without a line).
"""
import json
import os
import subprocess

import pytest

from conftest import TARGETS, run_pytrace


@pytest.fixture(scope="module")
def fakes(tmp_path_factory):
    d = tmp_path_factory.mktemp("fake_ft")
    out = {}
    for name, flags in (("3.14t", []), ("3.13t", ["-DFAKE_313T"])):
        exe = str(d / ("fake_ft" + name))
        subprocess.run(["cc", "-O1", "-g", "-Wall", "-Werror", "-rdynamic", "-pthread"]
                       + flags + [os.path.join(TARGETS, "fake_ft.c"), "-o", exe],
                       check=True)
        out[name] = exe
    return out


@pytest.mark.parametrize("build", ["3.14t", "3.13t"])
def test_free_threaded_stack(tmp_path, fakes, build):
    expected = tmp_path / "expected.json"
    marker = tmp_path / "marker"
    marker.write_text("")
    run = run_pytrace(tmp_path, ["-v", "-e", "openat"],
                      [fakes[build], str(expected), str(marker)])
    assert run.rc == 0, run.stderr
    assert "Python %s," % build in run.stderr, run.stderr
    want = [[f["file"], -1 if f["line"] is None else f["line"], f["name"]]
            for f in json.loads(expected.read_text())]
    recs = run.opens_of(str(marker))
    assert len(recs) == 5, run.stderr
    for r in recs:
        got = [[f["file"], f["line"], f["func"]] for f in r["frames"]]
        assert got == want, "frames differ\n got:  %s\n want: %s" % (got, want)


def test_free_threaded_bad_debug_offsets(tmp_path, fakes):
    """A process whose _Py_DebugOffsets makes no sense is traced without
    frames, with a one-line reason, never with wrong ones."""
    exe = tmp_path / "fake_bad"
    data = bytearray(open(fakes["3.14t"], "rb").read())
    # thread_state.current_frame (position 208) holds 72: make it point far
    # outside thread_state (size 400), in the file's .data image.
    needle = b"xdebugpy"
    at = data.find(needle)
    assert at > 0
    pos = at + 208
    assert int.from_bytes(data[pos:pos + 8], "little") == 72
    data[pos:pos + 8] = (100000).to_bytes(8, "little")
    exe.write_bytes(bytes(data))
    exe.chmod(0o755)
    expected = tmp_path / "expected.json"
    marker = tmp_path / "marker"
    marker.write_text("")
    run = run_pytrace(tmp_path, ["-e", "openat"], [str(exe), str(expected), str(marker)])
    assert run.rc == 0, run.stderr
    assert "_Py_DebugOffsets makes no sense" in run.stderr, run.stderr
    recs = run.opens_of(str(marker))
    assert len(recs) == 5
    assert all(r["frames"] == [] for r in recs)
