"""Frames pytrace reports must equal the frames Python itself reports."""
import os

from conftest import TARGETS, assert_frames_match, run_pytrace, version_of


def shapes(python, tmp_path, *names):
    return run_pytrace(tmp_path, ["-e", "openat,open,close"],
                       [python, os.path.join(TARGETS, "shapes.py"), str(tmp_path)] + list(names))


def test_nested_calls(python, tmp_path):
    r = shapes(python, tmp_path, "nested")
    assert r.rc == 0, r.stderr
    assert_frames_match(r)
    # innermost first: touch <- level3 <- level2 <- level1
    funcs = [f["func"] for f in r.opens_of(str(tmp_path / "nested"))[0]["frames"]]
    assert funcs[:4] == ["touch", "level3", "level2", "level1"]


def test_method_and_classmethod(python, tmp_path):
    r = shapes(python, tmp_path, "method")
    assert r.rc == 0, r.stderr
    assert_frames_match(r)
    funcs = [f["func"] for f in r.opens_of(str(tmp_path / "method"))[0]["frames"]]
    # qualified names from 3.11 (co_qualname), plain ones before
    if version_of(python) >= (3, 11):
        assert funcs[1:3] == ["Store.save", "Store.create"]
    else:
        assert funcs[1:3] == ["save", "create"]


def test_generator(python, tmp_path):
    r = shapes(python, tmp_path, "generator")
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=3)


def test_several_threads(python, tmp_path):
    r = shapes(python, tmp_path, "threads")
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=20)
    tids = {rec["tid"] for t in r.truth for rec in r.opens_of(t["path"])}
    assert len(tids) >= 2, "threads' opens should come from several tids"
    # pytrace's tid for each open must be the thread Python says made it
    for t in r.truth:
        assert r.opens_of(t["path"])[0]["tid"] == t["tid"]


def test_new_threads_have_frames_when_tracing_everything(python, tmp_path):
    # With every syscall traced, a new thread's first (C library) calls
    # come before CPython registers it: its Python calls must still get
    # their frames.
    r = run_pytrace(tmp_path, [],
                    [python, os.path.join(TARGETS, "shapes.py"), str(tmp_path), "threads"])
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=20)
