"""More Python shapes: pytrace's frames for each open must equal what Python
itself reported at that moment (targets/truth.py), on every interpreter.

Each test also checks that the target recorded exactly the opens it was
meant to, so that a shape that stopped opening cannot pass unnoticed."""
import os
import subprocess

from conftest import (PYTRACE, TARGETS, Run, assert_frames_match, frames_of, read_jsonl,
                      run_pytrace, wait_for)

# Names are those Python reports: co_qualname from 3.11, co_name before.
# funcs() keeps only the last dotted component so that checks of a chain of
# names hold on every version; the frames themselves are compared whole.


def shape(python, tmp_path, target, *args, extra=(), timeout=60):
    return run_pytrace(tmp_path, ["-e", "openat,open"] + list(extra),
                       [python, os.path.join(TARGETS, target), str(tmp_path)] + list(args),
                       timeout=timeout)


def check(r, tmp_path, expected):
    """The target opened exactly `expected` (names in tmp_path), and
    pytrace's frames for each equal Python's."""
    assert r.rc == 0, r.stderr
    got = sorted(os.path.basename(t["path"]) for t in r.truth)
    assert got == sorted(expected), "target recorded other opens than planned"
    assert_frames_match(r, min_truth=len(expected))
    for t in r.truth:
        assert r.opens_of(t["path"])[0]["stack"] == "ok"


def funcs(r, tmp_path, name):
    """Short function names of pytrace's frames for the open of `name`."""
    rec = r.opens_of(str(tmp_path / name))[0]
    return [f["func"].rsplit(".", 1)[-1] for f in rec["frames"]]


def truth_of(r, tmp_path, name):
    return [t for t in r.truth if t["path"] == str(tmp_path / name)][0]


# Generators, coroutines, tasks, async generators

def test_generator_resumed_by_another_frame(python, tmp_path):
    r = shape(python, tmp_path, "shape_coroutines.py", "gen-resumed")
    check(r, tmp_path, ["gen-resumed-%d" % i for i in range(3)])
    # the generator's caller is whoever resumed it, not its creator
    assert funcs(r, tmp_path, "gen-resumed-0")[:4] == ["touch", "counter", "advance",
                                                       "resumed_elsewhere"]
    assert funcs(r, tmp_path, "gen-resumed-1")[:3] == ["touch", "counter", "resumed_elsewhere"]


def test_generator_send_and_yield_from(python, tmp_path):
    r = shape(python, tmp_path, "shape_coroutines.py", "gen-send", "gen-yield-from")
    check(r, tmp_path, ["gen-send-a", "gen-send-b", "gen-yield-from-0", "gen-yield-from-1"])
    assert funcs(r, tmp_path, "gen-send-b")[:3] == ["touch", "echo", "drive_send"]
    assert funcs(r, tmp_path, "gen-yield-from-1")[:5] == ["touch", "counter", "inner_gen",
                                                          "outer_gen", "delegation"]


def test_coroutine_awaited_from_the_event_loop(python, tmp_path):
    r = shape(python, tmp_path, "shape_coroutines.py", "coro")
    check(r, tmp_path, ["coro-direct"])
    assert funcs(r, tmp_path, "coro-direct")[:4] == ["touch", "leaf", "middle",
                                                     "awaited_directly"]


def test_several_asyncio_tasks(python, tmp_path):
    r = shape(python, tmp_path, "shape_coroutines.py", "tasks")
    check(r, tmp_path, ["task%d-%d" % (k, i) for k in range(5) for i in range(3)])
    for k in range(5):
        assert funcs(r, tmp_path, "task%d-2" % k)[:4] == ["touch", "leaf", "middle", "task_body"]


def test_async_generators_in_tasks(python, tmp_path):
    r = shape(python, tmp_path, "shape_coroutines.py", "agen")
    check(r, tmp_path, ["agen-for-0", "agen-for-1", "agen-for-2", "agen-comp-0", "agen-comp-1"])
    assert funcs(r, tmp_path, "agen-for-1")[:3] == ["touch", "ticker", "consume_agen"]


# Python -> C -> Python

CALLBACKS = {
    "sorted": (["sorted-1", "sorted-2", "sorted-3"], ["touch", "sort_key", "in_sorted"]),
    "list-sort": (["list-sort-1", "list-sort-2"], ["touch", "<lambda>", "in_list_sort"]),
    "map": (["map-0", "map-1", "map-2"], ["touch", "mapped", "in_map"]),
    "reduce": (["reduce-1-2", "reduce-3-3"], ["touch", "combine", "in_reduce"]),
    "hash": (["hash-0", "hash-1"], ["touch", "__hash__", "in_dict_insert"]),
    "del": (["del-1"], ["touch", "__del__", "in_destructor"]),
    "weakref": (["weakref-callback"], ["touch", "on_dead", "in_weakref_callback"]),
    "re-sub": (["re-sub-a", "re-sub-b"], ["touch", "replacement", "sub", "in_re_sub"]),
    "layers": (["layers-10-20", "layers-20-30"],
               ["touch", "combine_layer", "layered_key", "in_layers"]),
}


def test_python_called_from_c(python, tmp_path):
    r = shape(python, tmp_path, "shape_callbacks.py", *CALLBACKS)
    check(r, tmp_path, [n for names, _ in CALLBACKS.values() for n in names])
    for names, chain in CALLBACKS.values():
        for n in names:
            assert funcs(r, tmp_path, n)[:len(chain)] == chain, n


# Syntax shapes

def test_lambdas_and_comprehensions(python, tmp_path):
    r = shape(python, tmp_path, "shape_syntax.py", "lambda", "comprehension")
    kinds = ["listcomp", "dictcomp", "setcomp", "genexp"]
    check(r, tmp_path, ["lambda", "lambda-nested"] + ["%s-%d" % (k, i) for k in kinds
                                                       for i in range(2)]
          + ["listcomp-nested-0-0", "listcomp-nested-1-0"])
    assert funcs(r, tmp_path, "lambda")[:3] == ["touch", "<lambda>", "lambdas"]
    assert funcs(r, tmp_path, "lambda-nested")[:4] == ["touch", "<lambda>", "<lambda>",
                                                       "lambdas"]
    assert funcs(r, tmp_path, "genexp-1")[:3] == ["touch", "<genexpr>", "comprehensions"]


def test_methods_closures_nested_classes(python, tmp_path):
    r = shape(python, tmp_path, "shape_syntax.py", "methods", "closure", "nested-class",
              "decorator")
    check(r, tmp_path, ["staticmethod", "staticmethod-instance", "classmethod-instance",
                        "property", "init", "dunder-add", "closure-1", "closure-2",
                        "nested-class-inner", "nested-class-deepest", "local-class",
                        "local-class-in-method", "decorated"])
    assert funcs(r, tmp_path, "closure-2")[:3] == ["touch", "innermost", "inner"]
    assert funcs(r, tmp_path, "decorated")[:3] == ["touch", "decorated", "wrapper"]


def test_qualified_names_where_the_interpreter_has_them(python, tmp_path):
    r = shape(python, tmp_path, "shape_syntax.py", "closure", "nested-class")
    assert r.rc == 0, r.stderr
    assert_frames_match(r, min_truth=6)
    rec = r.opens_of(str(tmp_path / "local-class-in-method"))[0]
    second = rec["frames"][1]["func"]
    # 3.11+ names it by co_qualname, older versions by co_name
    assert second in ("local_classes.<locals>.Local.method.<locals>.InMethod.run", "run")
    rec = r.opens_of(str(tmp_path / "nested-class-deepest"))[0]
    assert rec["frames"][1]["func"] in ("Outer.Inner.Deepest.method", "method")


# exec(), eval(), compile()

EXEC_FILENAMES = ["<string>", "<custom>", "/nonexistent/dir/fake_module.py",
                  "relative/name.py", "", "<généré 生成 \U0001F40D>"]


def test_exec_eval_compile_under_many_file_names(python, tmp_path):
    r = shape(python, tmp_path, "shape_exec.py", "strings", "compiled", "nested",
              "eval-lambda", "class-body")
    check(r, tmp_path, ["exec-string", "eval-string", "exec-def", "exec-nested", "eval-lambda",
                        "exec-class-body", "exec-class-method"]
          + ["compiled-%d" % i for i in range(len(EXEC_FILENAMES))])
    for i, name in enumerate(EXEC_FILENAMES):
        rec = r.opens_of(str(tmp_path / ("compiled-%d" % i)))[0]
        assert rec["frames"][0]["file"] == name
    rec = r.opens_of(str(tmp_path / "exec-nested"))[0]
    assert [f["file"] for f in rec["frames"][:2]] == ["<inner>", "<outer>"]


# Non-ASCII names of every string kind

def test_non_ascii_function_and_file_names(python, tmp_path):
    r = shape(python, tmp_path, "shape_names.py")
    kinds = ["latin1", "bmp", "astral", "ascii-in-astral"]
    check(r, tmp_path, ["names-%s-%s" % (k, w) for k in kinds for w in ("func", "caller", "method")]
          + ["names-here-latin1", "names-here-astral"])
    want = {
        "latin1": ("_mod_café_ñ.py", "fonction_été", "mangé"),
        "bmp": ("_mod_模块_ü.py", "函数_ü", "метод"),
        "astral": ("_mod_\U0001F40D_\U0001F600.py", "\U00010400\U00010428_\U0002070E",
                   "\U0002000B"),
        "ascii-in-astral": ("_mod_\U0001F40D_ascii.py", "plain", "method"),
    }
    for kind, (filename, func, meth) in want.items():
        rec = r.opens_of(str(tmp_path / ("names-%s-func" % kind)))[0]
        assert rec["frames"][0]["file"] == str(tmp_path / "_mods" / filename)
        assert rec["frames"][0]["func"] == func
        assert funcs(r, tmp_path, "names-%s-method" % kind)[0] == meth
    assert funcs(r, tmp_path, "names-here-astral")[0] == "\U00010400_astral_in_ascii_file"


# Deep stacks around the walker's limit (128 frames shown, 1024 counted)

def test_stack_of_exactly_the_frame_limit_is_whole(python, tmp_path):
    r = shape(python, tmp_path, "shape_deep.py", "depth-127", "depth-128")
    check(r, tmp_path, ["depth-127", "depth-128"])
    for n in (127, 128):
        t = truth_of(r, tmp_path, "depth-%d" % n)
        assert len(t["frames"]) == n
        assert r.opens_of(t["path"])[0]["depth"] == n


def test_one_frame_over_the_limit_is_truncated(python, tmp_path):
    r = shape(python, tmp_path, "shape_deep.py", "depth-129", "depth-1000")
    assert r.rc == 0, r.stderr
    for n in (129, 1000):
        t = truth_of(r, tmp_path, "depth-%d" % n)
        assert len(t["frames"]) == n
        rec = r.opens_of(t["path"])[0]
        assert rec["stack"] == "truncated"
        assert rec["depth"] == n
        assert frames_of(rec) == t["frames"][:128]


def test_deep_stack_through_c_at_every_level(python, tmp_path):
    # 900 Python frames, under the 1024 counted; from 3.12 each call from C
    # also puts an interpreter shim frame in the chain, which is no frame
    # of Python's and must not cut the count short.
    r = shape(python, tmp_path, "shape_deep.py", "c-450")
    assert r.rc == 0, r.stderr
    t = truth_of(r, tmp_path, "c-450")
    assert len(t["frames"]) == 900
    rec = r.opens_of(t["path"])[0]
    assert rec["stack"] == "truncated"
    assert rec["depth"] == len(t["frames"])
    assert frames_of(rec) == t["frames"][:128]


def test_deep_stack_in_a_thread(python, tmp_path):
    r = shape(python, tmp_path, "shape_deep.py", "thread-400")
    assert r.rc == 0, r.stderr
    t = truth_of(r, tmp_path, "thread-400")
    rec = r.opens_of(t["path"])[0]
    assert rec["tid"] == t["tid"] and rec["tid"] != rec["pid"]
    assert rec["stack"] == "truncated"
    assert rec["depth"] == len(t["frames"])
    assert frames_of(rec) == t["frames"][:128]


def test_depth_beyond_1024_is_a_lower_bound_in_json(python, tmp_path):
    r = shape(python, tmp_path, "shape_deep.py", "depth-1024", "depth-1500")
    assert r.rc == 0, r.stderr
    exact = r.opens_of(truth_of(r, tmp_path, "depth-1024")["path"])[0]
    assert (exact["stack"], exact["depth"]) == ("truncated", 1024)
    t = truth_of(r, tmp_path, "depth-1500")
    assert len(t["frames"]) == 1500
    rec = r.opens_of(t["path"])[0]
    assert (rec["stack"], rec["depth"]) == ("too_deep", 1024)
    assert frames_of(rec) == t["frames"][:128]


def test_depth_counted_up_to_1024_and_said_in_text(python, tmp_path):
    # The real depth is counted up to 1024 frames (docs/json.md); the text
    # says how many frames are not shown.
    out = tmp_path / "trace.txt"
    env = dict(os.environ, PYTRACE_TRUTH=str(tmp_path / "truth.jsonl"),
               PYTRACE_TRUTH_PREFIX=str(tmp_path) + "/")
    p = subprocess.run([PYTRACE, "-e", "openat", "-o", str(out), "--",
                        python, os.path.join(TARGETS, "shape_deep.py"), str(tmp_path),
                        "depth-300", "depth-1023", "depth-1024", "depth-1500"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    truth = read_jsonl(str(tmp_path / "truth.jsonl"))
    assert [len(t["frames"]) for t in truth] == [300, 1023, 1024, 1500]
    text = out.read_text()
    expect = {300: "... 172 more frames (stack depth 300)",
              1023: "... 895 more frames (stack depth 1023)",
              1024: "... 896 more frames (stack depth 1024)",
              1500: "... more than 896 more frames (stack depth > 1024)"}
    for n, line in expect.items():
        block = text.split('"%s"' % (tmp_path / ("depth-%d" % n)), 1)[1]
        block = block.split("\nopenat(", 1)[0].split("\n+++", 1)[0]
        frame_lines = [x for x in block.splitlines() if x.startswith('    File "')]
        assert len(frame_lines) == 128, n
        assert "    " + line in block.splitlines(), (n, block.splitlines()[-2:])


# Hundreds of threads

def attach_to(python, tmp_path, mode, n):
    env = dict(os.environ, PYTRACE_TRUTH=str(tmp_path / "truth.jsonl"),
               PYTRACE_TRUTH_PREFIX=str(tmp_path) + "/")
    proc = subprocess.Popen([python, os.path.join(TARGETS, "shape_threads.py"), str(tmp_path),
                             mode, str(n)], env=env)
    tracer = None
    try:
        wait_for(lambda: (tmp_path / "_ready").exists(), timeout=30, what="target ready")
        out = tmp_path / "trace.jsonl"
        tracer = subprocess.Popen([PYTRACE, "--json", "-o", str(out), "-e", "openat",
                                   "-p", str(proc.pid)], stderr=subprocess.PIPE, text=True)
        line = tracer.stderr.readline()
        assert "attached" in line, line
        (tmp_path / "_GO").touch()
        assert proc.wait(timeout=60) == 0
        assert tracer.wait(timeout=30) == 0
    finally:
        proc.kill()
        if tracer:
            tracer.kill()
    return Run(0, "", read_jsonl(str(out)), read_jsonl(str(tmp_path / "truth.jsonl")))


def check_threads(r, tmp_path, mode, n):
    check(r, tmp_path, ["%s-thread-%d" % (mode, k) for k in range(n)])
    tids = {t["tid"] for t in r.truth}
    assert len(tids) == n, "each thread should have opened from its own tid"
    for k in range(n):
        assert funcs(r, tmp_path, "%s-thread-%d" % (mode, k))[:k % 7 + 2] == \
            ["chain"] * (k % 7 + 1) + ["worker"]


def test_300_threads_started_before_attach(python, tmp_path):
    check_threads(attach_to(python, tmp_path, "before", 300), tmp_path, "before", 300)


def test_300_threads_started_after_attach(python, tmp_path):
    check_threads(attach_to(python, tmp_path, "after", 300), tmp_path, "after", 300)


def test_300_threads_launched(python, tmp_path):
    r = shape(python, tmp_path, "shape_threads.py", "launch", "300")
    check_threads(r, tmp_path, "launch", 300)
