"""A thread blocked in openat with the GIL released, another thread busy."""
import os

from conftest import TARGETS, assert_frames_match, run_pytrace


def test_blocked_fifo_open_while_other_thread_runs(python, tmp_path):
    r = run_pytrace(tmp_path, ["-e", "openat"],
                    [python, os.path.join(TARGETS, "fifo.py"), str(tmp_path)])
    assert r.rc == 0, r.stderr
    # The reader's open and the writer's open of the FIFO, plus 5 others.
    assert_frames_match(r, min_truth=7)
    fifo = str(tmp_path / "fifo")
    recs = r.opens_of(fifo)
    funcs = sorted(rec["frames"][0]["func"] for rec in recs)
    assert funcs == ["<module>", "blocked_reader"]
    reader = [rec for rec in recs if rec["frames"][0]["func"] == "blocked_reader"][0]
    # It really blocked: it returned after the main thread's opens.
    assert reader["duration_ns"] > 100_000_000
    assert reader["ret"] >= 0
