"""Non-ASCII function, class and file names, one of each string kind
CPython stores (latin-1, 2-byte BMP, 4-byte astral), mixed with ASCII ones.
Modules with such names are written to DIR/_mods and loaded from there.

Usage: shape_names.py DIR
"""
import importlib.util
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]
sys.dont_write_bytecode = True

# kind: (file name, function, class, method)
KINDS = {
    "latin1": ("_mod_café_ñ.py", "fonction_été", "Garçon", "mangé"),
    "bmp": ("_mod_模块_ü.py", "函数_ü", "Класс", "метод"),
    "astral": ("_mod_\U0001F40D_\U0001F600.py", "\U00010400\U00010428_\U0002070E",
               "\U00010412", "\U0002000B"),
    "ascii-in-astral": ("_mod_\U0001F40D_ascii.py", "plain", "Plain", "method"),
}

SOURCE = '''
def {func}(p):
    open(p, "w").close()


def plain_caller(p):
    {func}(p)


class {cls}:
    def {meth}(self, p):
        open(p, "w").close()
'''


def load(kind):
    filename, func, cls, meth = KINDS[kind]
    mods = os.path.join(DIR, "_mods")
    os.makedirs(mods, exist_ok=True)
    path = os.path.join(mods, filename)
    with open(path, "w", encoding="utf-8") as f:
        f.write(SOURCE.format(func=func, cls=cls, meth=meth))
    spec = importlib.util.spec_from_file_location("mod_" + kind.replace("-", "_"), path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def run(kind):
    _, func, cls, meth = KINDS[kind]
    mod = load(kind)
    getattr(mod, func)(truth.traced(os.path.join(DIR, "names-%s-func" % kind)))
    mod.plain_caller(truth.traced(os.path.join(DIR, "names-%s-caller" % kind)))
    getattr(getattr(mod, cls)(), meth)(truth.traced(os.path.join(DIR, "names-%s-method" % kind)))


def ütïl_latin1_in_ascii_file():
    # a latin-1 name in this (ASCII-named) file
    open(truth.traced(os.path.join(DIR, "names-here-latin1")), "w").close()


def 𐐀_astral_in_ascii_file():
    open(truth.traced(os.path.join(DIR, "names-here-astral")), "w").close()


for k in KINDS:
    run(k)
ütïl_latin1_in_ascii_file()
𐐀_astral_in_ascii_file()
