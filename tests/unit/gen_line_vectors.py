#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Writes tests/unit/line_vectors.h: test vectors for user/pyframes.c made
by the real interpreters.

    python3 tests/unit/gen_line_vectors.py > tests/unit/line_vectors.h

Each interpreter (pyenv's newest 3.X.Y for X in 7..13, under $PYENV_ROOT or
~/.pyenv; 3.11+ also once more with -X no_debug_ranges, which makes the
"no columns" location form) runs this file with --dump.  It compiles SOURCE,
walks every code object, and for every instruction position from -1 to a few
past the end records the line CPython itself computes: PyCode_Addr2Line()
through ctypes, the function behind frame.f_lineno.  That answer is checked
against a second view from Python (dis.findlinestarts for co_lnotab,
co_lines() for 3.10, co_positions() for 3.11+) before it is written.

The string vectors come from the interpreter running the driver: PEP 393
storage (kind 1/2/4, little-endian) and the expected UTF-8, with surrogates
replaced by U+FFFD as pytrace does.
"""
import json
import os
import subprocess
import sys

FORMATS = {"LNOTAB": "PT_LINES_LNOTAB", "310": "PT_LINES_310",
           "311": "PT_LINES_311"}

SOURCE = '''
def simple(a, b):
    x = a + b
    y = x * 2
    return y

def loops(n):
    total = 0
    for i in range(n):
        if i % 2:
            total += i
        else:
            total -= 1
    while total > 0:
        total -= 3
    else:
        total = -total
    return total

def exc(path):
    try:
        f = open(path)
    except OSError as e:
        print(e)
        return None
    finally:
        print("done")
    with f:
        return f.read()

def multiline(a, b, c):
    return (a +
            b *
            c)

def calls(x):
    return foo(
        x,
        bar(x,
            baz(1)),
    )

def backwards(a):
    x = (
        a
        if a else
        None)
    return [
        y for y in
        range(3)]

def gen(n):
    for i in range(n):
        yield i
    yield from range(3)

async def coro(x):
    await x
    async with x as y:
        pass
    return [i async for i in y]

class K:
    attr = 1
    def meth(self):
        return self.attr
    @property
    def prop(self):
        return 2

comp = [x * y for x in range(3) for y in range(4) if x != y]
lam = lambda q: (q,
                 q)
'''


def extra_source():
    """Shapes that need size: long line jumps, wide lines, big lines."""
    out = ["def far(a):", "    a += 1"]
    out += [""] * 140
    out += ["    a += 2"]
    out += [""] * 300
    out += ["    return a"]
    # One line with more than 255 bytes of bytecode.
    names = ", ".join("v%d" % i for i in range(150))
    out += ["def big(%s):" % names, "    z = [%s]" % names,
            "    return z"]
    # Columns past 127 force the long location form.
    pad = " " * 130
    out += ["def wide(a, b):",
            "    x = (a," + pad + "b +",
            "         a)" + pad + "; y = b",
            "    return " + pad[:10] + "x" + " " * 120 + "+ y"]
    # Stepping backwards by more than 127 lines within one statement.
    out += ["def jumpback(a):", "    return f(("]
    out += [""] * 200
    out += ["        a), a)"]
    return "\n".join(out) + "\n"


def fmt_of(v):
    if v < (3, 10):
        return "LNOTAB"
    return "310" if v < (3, 11) else "311"


def walk(code):
    yield code
    for c in code.co_consts:
        if hasattr(c, "co_code"):
            for sub in walk(c):
                yield sub


def second_view(code, fmt):
    """{unit: line} from Python's own iterators (no ctypes)."""
    import dis
    view = {}
    if fmt == "LNOTAB":
        starts = list(dis.findlinestarts(code))
        for off in range(len(code.co_code)):
            line = -1
            for start, ln in starts:
                if start <= off:
                    line = ln
            view[off] = line
    elif fmt == "310":
        for start, end, line in code.co_lines():
            for off in range(start, end):
                if off % 2 == 0:
                    view[off // 2] = -1 if line is None else line
    else:
        for unit, pos in enumerate(code.co_positions()):
            view[unit] = -1 if pos[0] is None else pos[0]
    return view


def dump():
    import ctypes
    addr2line = ctypes.pythonapi.PyCode_Addr2Line
    addr2line.argtypes = [ctypes.py_object, ctypes.c_int]
    addr2line.restype = ctypes.c_int
    v = sys.version_info[:2]
    fmt = fmt_of(v)
    codes = []
    top = compile(SOURCE + extra_source(), "<vectors>", "exec")
    for code in walk(top):
        table = code.co_lnotab if fmt == "LNOTAB" else code.co_linetable
        nbytes = len(code.co_code)
        last = nbytes if fmt == "LNOTAB" else nbytes // 2
        scale = 1 if fmt == "LNOTAB" else 2
        view = second_view(code, fmt)
        lines = []
        for instr in range(-1, last + 3):
            line = addr2line(code, instr * scale)
            if 0 <= instr < last and view.get(instr, -1) != line:
                raise SystemExit("%s %s@%d: Addr2Line %d, view %r" % (
                    sys.version.split()[0], code.co_name, instr, line,
                    view.get(instr)))
            lines.append(line)
        codes.append({"name": code.co_name, "first": code.co_firstlineno,
                      "table": table.hex(), "lines": lines})
    opts = [k for k, val in getattr(sys, "_xoptions", {}).items()]
    json.dump({"version": sys.version.split()[0], "fmt": fmt,
               "opts": opts, "codes": codes}, sys.stdout)


def interpreters():
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    vdir = os.path.join(root, "versions")
    found = []
    for minor in range(7, 14):
        best = None
        for name in os.listdir(vdir):
            parts = name.split(".")
            if (len(parts) == 3 and parts[:2] == ["3", str(minor)]
                    and parts[2].isdigit()):
                if best is None or int(parts[2]) > int(best.split(".")[2]):
                    best = name
        if best is None:
            raise SystemExit("no CPython 3.%d under %s" % (minor, vdir))
        exe = os.path.join(vdir, best, "bin", "python3")
        found.append((exe, []))
        if minor >= 11:
            found.append((exe, ["-X", "no_debug_ranges"]))
    return found


def c_bytes(data):
    items = ["0x%02x," % b for b in data]
    rows = [" ".join(items[i:i + 12]) for i in range(0, len(items), 12)]
    return "\n".join("\t" + r for r in rows)


def c_ints(vals):
    items = ["%d," % x for x in vals]
    rows = [" ".join(items[i:i + 16]) for i in range(0, len(items), 16)]
    return "\n".join("\t" + r for r in rows)


STRINGS = ["", "open", "<module>", "caf\xe9", "\xff\xfe", "K.meth.<locals>",
           "\u03bb_lambda", "\u65e5\u672c\u8a9e.py", "\U0001f600x",
           "a\ud800b", "\udfff", "mixed\xe9\u0100\U00010000",
           "/tmp/\u00e5/\u0434\u0430\u043d\u043d\u044b\u0435.py"]


def kind_of(s):
    top = max([ord(c) for c in s] or [0])
    return 1 if top < 0x100 else 2 if top < 0x10000 else 4


def storage(s, kind):
    enc = {1: "latin-1", 2: "utf-16-le", 4: "utf-32-le"}[kind]
    return s.encode(enc, "surrogatepass")


def expected_utf8(s):
    return "".join("\ufffd" if 0xd800 <= ord(c) <= 0xdfff else c
                   for c in s).encode("utf-8")


def emit(runs):
    w = sys.stdout.write
    w("/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */\n")
    w("/*\n * GENERATED by tests/unit/gen_line_vectors.py; do not edit.\n")
    w(" * Regenerate: python3 tests/unit/gen_line_vectors.py "
      "> tests/unit/line_vectors.h\n")
    w(" * Lines are what each interpreter's PyCode_Addr2Line() returned.\n")
    w(" * Interpreters: %s\n */\n" % ", ".join(
        r["version"] + (" -X " + " -X ".join(r["opts"]) if r["opts"] else "")
        for r in runs))
    w("#include <stdint.h>\n\n#include \"pytrace.h\"\n\n")
    w("struct line_vec {\n\tconst char *python;\n\tconst char *name;\n"
      "\tint fmt;\n\tint first;\n\tconst uint8_t *table;\n"
      "\tunsigned table_len;\n\tunsigned n;\t/* lines[i]: instr i - 1 */\n"
      "\tconst int *lines;\n};\n\n")
    entries = []
    k = 0
    for r in runs:
        tag = r["version"] + ("".join(" -X " + o for o in r["opts"]))
        for c in r["codes"]:
            table = bytes.fromhex(c["table"])
            w("static const uint8_t lv%d_table[] = {\n%s\n};\n" % (
                k, c_bytes(table) if table else "\t0"))
            w("static const int lv%d_lines[] = {\n%s\n};\n" % (
                k, c_ints(c["lines"])))
            entries.append('\t{ "%s", "%s", %s, %d, lv%d_table, %d, %d, '
                           'lv%d_lines },\n' % (
                               tag, c["name"], FORMATS[r["fmt"]], c["first"],
                               k, len(table), len(c["lines"]), k))
            k += 1
    w("\nstatic const struct line_vec line_vecs[] = {\n")
    w("".join(entries))
    w("};\n\n")
    w("struct str_vec {\n\tunsigned kind;\n\tconst uint8_t *data;\n"
      "\tunsigned len;\n\tconst char *utf8;\n};\n\n")
    w("static const struct str_vec str_vecs[] = {\n")
    for s in STRINGS:
        kind = kind_of(s)
        data = storage(s, kind)
        w('\t{ %d, (const uint8_t *)"%s", %d, "%s" },\n' % (
            kind, "".join("\\x%02x" % b for b in data), len(data),
            "".join("\\x%02x" % b for b in expected_utf8(s))))
    w("};\n")


def main():
    if sys.argv[1:] == ["--dump"]:
        dump()
        return
    runs = []
    for exe, flags in interpreters():
        out = subprocess.run([exe] + flags + [os.path.abspath(__file__),
                                              "--dump"],
                             stdout=subprocess.PIPE, check=True).stdout
        runs.append(json.loads(out.decode()))
    emit(runs)


if __name__ == "__main__":
    main()
