"""Code made by exec(), eval() and compile(), under several file names, and
freed right after its call; each path names its shape.

Usage: shape_exec.py DIR SHAPE...
"""
import gc
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]


def path(name):
    return truth.traced(os.path.join(DIR, name))


FUNC_SRC = """
def made(p):
    with open(p, "w"):
        pass
"""

# "<string>" (exec's and eval's default), other pseudo names, names that
# look like real files, an empty name, and a non-ASCII one.
FILENAMES = ["<string>", "<custom>", "/nonexistent/dir/fake_module.py",
             "relative/name.py", "", "<généré 生成 \U0001F40D>"]


def exec_strings():
    exec('open(P, "w").close()', {"P": path("exec-string")})
    eval('open(P, "w").close()', {"P": path("eval-string")})
    exec('def f(p):\n    open(p, "w").close()\nf(P)', {"P": path("exec-def")})


def compiled_names():
    for i, name in enumerate(FILENAMES):
        ns = {}
        exec(compile(FUNC_SRC, name, "exec"), ns)
        ns["made"](path("compiled-%d" % i))
        del ns                  # the function and its code go now
        gc.collect()


def nested_exec():
    inner = 'exec(compile(\'open(P, "w").close()\', "<inner>", "exec"), {"P": P})'
    exec(compile(inner, "<outer>", "exec"), {"P": path("exec-nested")})


def eval_lambda():
    fn = eval(compile("lambda p: open(p, 'w').close()", "<lambda-src>", "eval"))
    fn(path("eval-lambda"))
    del fn
    gc.collect()


def class_body():
    src = 'class Made:\n    open(P, "w").close()\n    def m(self):\n        open(Q, "w").close()\nMade().m()'
    exec(compile(src, "<class-src>", "exec"),
         {"P": path("exec-class-body"), "Q": path("exec-class-method")})


SHAPES = {
    "strings": exec_strings,
    "compiled": compiled_names,
    "nested": nested_exec,
    "eval-lambda": eval_lambda,
    "class-body": class_body,
}

for shape in sys.argv[2:]:
    SHAPES[shape]()
