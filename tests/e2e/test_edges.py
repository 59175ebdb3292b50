"""Code freed after the call, reused addresses, deep stacks, names, exit."""
import os

from conftest import TARGETS, assert_frames_match, frames_of, run_pytrace, version_of


def edge(python, tmp_path, *what, extra=()):
    return run_pytrace(tmp_path, ["-e", "openat"] + list(extra),
                       [python, os.path.join(TARGETS, "edge.py"), str(tmp_path)] + list(what))


def test_code_freed_and_addresses_reused(python, tmp_path):
    r = edge(python, tmp_path, "exec")
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=100)
    for i in (0, 50, 99):
        rec = r.opens_of(str(tmp_path / ("gen-%d" % i)))[0]
        assert rec["frames"][0]["func"] == "fn_%d" % i
        assert rec["frames"][0]["file"] == "<generated-%d>" % i


def test_same_names_other_line_table(python, tmp_path):
    r = edge(python, tmp_path, "same-names")
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=30)
    lines = [r.opens_of(str(tmp_path / ("same-%d" % i)))[0]["frames"][0]["line"]
             for i in range(30)]
    assert lines == list(range(1, 31))


def test_deep_recursion_is_truncated_with_real_depth(python, tmp_path):
    r = edge(python, tmp_path, "deep")
    assert r.rc == 0, r.stderr
    t = r.truth[0]
    rec = r.opens_of(t["path"])[0]
    assert rec["stack"] == "truncated"
    assert rec["depth"] == len(t["frames"])
    assert len(rec["frames"]) == 128
    assert frames_of(rec) == t["frames"][:128]


def test_stack_depth_option(python, tmp_path):
    r = edge(python, tmp_path, "deep", extra=["--stack-depth", "5"])
    assert r.rc == 0, r.stderr
    rec = r.opens_of(r.truth[0]["path"])[0]
    assert frames_of(rec) == r.truth[0]["frames"][:5]
    assert rec["depth"] == len(r.truth[0]["frames"])


def test_non_ascii_names(python, tmp_path):
    r = edge(python, tmp_path, "unicode")
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=2)
    funcs = [r.opens_of(t["path"])[0]["frames"][0]["func"] for t in r.truth]
    # qualified names from 3.11 (co_qualname), plain ones before
    if version_of(python) >= (3, 11):
        assert funcs == ["функция_ünïcode", "Ω.方法"]
    else:
        assert funcs == ["функция_ünïcode", "方法"]


def test_exit_right_after_the_call(python, tmp_path):
    r = edge(python, tmp_path, "exit")
    assert r.rc == 3, r.stderr
    assert_frames_match(r, min_truth=1)


def test_looping_frame_chain_ends_with_a_marker(python, tmp_path):
    path = str(tmp_path / "loop")
    r = run_pytrace(tmp_path, ["-e", "openat"],
                    [python, os.path.join(TARGETS, "cycle.py"), path])
    assert r.rc == 0, r.stderr
    rec = r.opens_of(path)[0]
    assert rec["stack"] == "loop"
    assert [f["func"] for f in rec["frames"]] == ["victim"]
