#!/usr/bin/python3
"""Writes the fuzzers' seed corpora (tests/fuzz/corpus/<target>/) from real
data: line tables and names of code objects compiled by every pyenv
interpreter, this process's /proc/self/maps, small ELF objects built here,
and records laid out as bpf/pytrace.h defines them.  The corpora are
committed; run this again when a record layout changes:

    /usr/bin/python3 tests/fuzz/make_seeds.py
"""
import ctypes
import glob
import json
import mmap
import os
import shutil
import socket
import struct
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "corpus")
PYENV = os.path.expanduser("~/.pyenv/versions")

# x86_64 syscall numbers
NR = {"read": 0, "write": 1, "close": 3, "lseek": 8, "access": 21, "connect": 42,
      "execve": 59, "getcwd": 79, "openat": 257, "newfstatat": 262, "statx": 332,
      "exit_group": 231}

PT_EV_ENTER, PT_EV_EXIT, PT_EV_CODE, PT_EV_EXEC, PT_EV_PROC_EXIT = 1, 2, 3, 4, 5
CAP_F_TRUNC = 1


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    assert len(data) < 64 * 1024, (target, name, len(data))
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# ---- code objects from real interpreters ---------------------------------

DUMP = r"""
import json, sys
src = '''
def outer(a, b=2):
    x = [i * 2 for i in range(a)]
    if x:
        try:
            y = len(x) + \
                b
        except Exception as e:
            raise RuntimeError("no") from e
    class Inner:
        def meth(self):
            return "µ" + "Ελληνικά" + "\U0001F600"
    return Inner().meth()


async def coro():
    pass
'''
out = []
def walk(co):
    lt = getattr(co, "co_linetable", None) if sys.version_info >= (3, 10) else co.co_lnotab
    out.append({"name": getattr(co, "co_qualname", co.co_name),
                "file": co.co_filename, "first": co.co_firstlineno,
                "table": lt.hex(), "ncode": len(co.co_code)})
    for c in co.co_consts:
        if hasattr(c, "co_code"):
            walk(c)
walk(compile(src, "/srv/app/naïve módulo.py", "exec"))
print(json.dumps(out))
"""


def code_objects():
    """(version tuple, line format, [code dicts]) per pyenv interpreter."""
    res = []
    for d in sorted(glob.glob(os.path.join(PYENV, "3.*"))):
        ver = tuple(int(x) for x in os.path.basename(d).split(".")[:2])
        exe = os.path.join(d, "bin", "python%d.%d" % ver)
        if not os.access(exe, os.X_OK):
            continue
        out = subprocess.run([exe, "-c", DUMP], capture_output=True, text=True, check=True)
        fmt = 1 if ver <= (3, 9) else 2 if ver == (3, 10) else 3
        res.append((ver, fmt, json.loads(out.stdout)))
    return res


def lines_seeds(codes):
    for ver, fmt, cos in codes:
        for k, co in enumerate(cos):
            table = bytes.fromhex(co["table"])
            # instr in the format's unit: bytes (lnotab) or code units
            units = co["ncode"] if fmt == 1 else co["ncode"] // 2
            for instr in (0, units // 2, max(units - 1, 0)):
                hdr = struct.pack("<BiiH", fmt, co["first"], instr, len(table) // 2)
                write("fuzz_lines", "py%d%d-%d-%d" % (ver[0], ver[1], k, instr), hdr + table)


def pystr_seeds():
    samples = {
        "ascii": (1, "outer.<locals>.Inner.meth".encode("latin-1")),
        "latin1": (1, "/srv/naïve módulo.py".encode("latin-1")),
        "ucs2": (2, "Ελληνικά.py".encode("utf-16-le")),
        "ucs2-surrogate": (2, "a\ud800b".encode("utf-16-le", "surrogatepass")),
        "ucs4": (4, "emoji-\U0001F600.py".encode("utf-32-le")),
        "ucs4-big": (4, struct.pack("<II", 0x110000, 0xdfff)),
        "odd-tail": (2, "ab".encode("utf-16-le") + b"\x41"),
    }
    for name, (kind, data) in samples.items():
        write("fuzz_pystr", name, bytes([{1: 0, 2: 1, 4: 2}[kind]]) + data)


# ---- /proc/PID/maps ----------------------------------------------------------

def maps_seeds():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "a file with spaces\nand newline.so")
        with open(path, "wb") as f:
            f.write(b"\0" * 8192)
        f = open(path, "rb")
        m = mmap.mmap(f.fileno(), 8192, prot=mmap.PROT_READ)
        os.unlink(path)
        with open("/proc/self/maps", "rb") as mf:
            text = mf.read()
        m.close()
        f.close()
    write("fuzz_procmaps", "self", text[:60000])
    write("fuzz_procmaps", "few-lines", b"\n".join(text.splitlines()[:6]) + b"\n")


# ---- ELF objects ---------------------------------------------------------------

ELF_SRC = r"""
struct rt { long a[8]; } _PyRuntime = { { 1, 2, 3 } };
const char Py_Version_str[] = "3.11.7";
static long bss_area[64];
long *use(void) { return bss_area; }
"""


def elf_seeds():
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "t.c")
        with open(src, "w") as f:
            f.write(ELF_SRC)
        variants = {
            "so": ["-shared", "-fPIC", "-Wl,-soname,libpython3.11.so.1.0", "-lc"],
            "so-nodeps": ["-shared", "-fPIC", "-nostdlib", "-Wl,-soname,libfuzz.so"],
            "exec-static": ["-static", "-nostdlib", "-Wl,-e,use", "-no-pie"],
        }
        for name, flags in variants.items():
            out = os.path.join(d, name)
            subprocess.run(["cc", "-Os", "-g0", "-o", out, src] + flags, check=True)
            with open(out, "rb") as f:
                write("fuzz_elfsym", name, f.read())
            subprocess.run(["strip", "-o", out + "-stripped", out], check=True)
            with open(out + "-stripped", "rb") as f:
                write("fuzz_elfsym", name + "-stripped", f.read())


# ---- records -----------------------------------------------------------------

def hdr(typ, size, tid, tgid, ts=1000):
    return struct.pack("<QIIII", ts, typ, size, tid, tgid)


def pad8(b):
    return b + b"\0" * (-len(b) % 8)


def cap(arg, data, full_len=None, flags=0):
    return pad8(struct.pack("<IHBB", len(data) if full_len is None else full_len,
                            len(data), arg, flags) + data)


def strv(items):
    return b"".join(struct.pack("<H", len(s)) + s for s in items)


def real_stat(path, statx=False):
    libc = ctypes.CDLL(None, use_errno=True)
    if statx:
        buf = ctypes.create_string_buffer(256)
        assert libc.statx(-100, path.encode(), 0, 0xfff, buf) == 0
    else:
        buf = ctypes.create_string_buffer(144)
        assert libc.stat(path.encode(), buf) == 0
    return buf.raw


def sockaddr_in():
    return struct.pack("<H", socket.AF_INET) + struct.pack(">H", 80) + \
        socket.inet_aton("127.0.0.1") + b"\0" * 8


def sockaddr_in6():
    return struct.pack("<H", socket.AF_INET6) + struct.pack(">HI", 443, 0) + \
        socket.inet_pton(socket.AF_INET6, "::1") + struct.pack("<I", 0)


# Calls as (name, args, enter captures, ret, exit captures)
CALLS = [
    ("openat", [2**32 - 100, 0x7ffd0000, 0o2000000 | 0o100 | 1, 0o644, 0, 0],
     [cap(1, b"/tmp/x.txt\0")], 3, []),
    ("openat", [2**32 - 100, 0x7ffd0000, 0, 0, 0, 0],
     [cap(1, b"/very/long" * 30, full_len=4096, flags=CAP_F_TRUNC)], -2, []),
    ("read", [3, 0x7ffd0000, 4096, 0, 0, 0], [], 11, [cap(1, b"hello\nworld")]),
    ("write", [1, 0x7ffd0000, 5, 0, 0, 0], [cap(1, b"\x1b[0m\x00\xff")], 5, []),
    ("newfstatat", [2**32 - 100, 0x7ffd0000, 0x7ffd1000, 0x100, 0, 0],
     [cap(1, b"/etc/hostname\0")], 0, [cap(2, real_stat("/etc/hostname"))]),
    ("statx", [2**32 - 100, 0x7ffd0000, 0x100, 0xfff, 0x7ffd1000, 0],
     [cap(1, b"/dev/null\0")], 0, [cap(4, real_stat("/dev/null", statx=True))]),
    ("execve", [0x7ffd0000, 0x7ffd1000, 0x7ffd2000, 0, 0, 0],
     [cap(0, b"/usr/bin/python3\0"), cap(1, strv([b"python3", b"-c", b"x" * 40]), full_len=3),
      cap(2, b"", full_len=23)], 0, []),
    ("connect", [4, 0x7ffd0000, 16, 0, 0, 0], [cap(1, sockaddr_in())], -111, []),
    ("connect", [4, 0x7ffd0000, 28, 0, 0, 0], [cap(1, sockaddr_in6())], 0, []),
    ("getcwd", [0x7ffd0000, 4096, 0, 0, 0, 0], [], 10, [cap(0, b"/home/me\0")]),
    ("lseek", [3, 2**64 - 1, 2, 0, 0, 0], [], -22, []),
    ("access", [0x7ffd0000, 7, 0, 0, 0, 0], [cap(0, b"/bin/sh\0")], 0, []),
]


def decode_seeds():
    for k, (name, args, ecaps, ret, xcaps) in enumerate(CALLS):
        enter, exit_ = b"".join(ecaps), b"".join(xcaps)
        h = struct.pack("<6QqHHHBBB", *args, ret, 0x8000 | NR[name], 32, len(enter),
                        len(ecaps), len(xcaps), 1)
        write("fuzz_decode", "%02d-%s" % (k, name), h + enter + exit_)


def code_record(tgid, gen, code, fp, co, fmt):
    fn = co["file"].encode("latin-1", "replace")
    nm = co["name"].encode("latin-1", "replace")
    lt = bytes.fromhex(co["table"])
    size = 64 + len(pad8(fn)) + len(pad8(nm)) + len(pad8(lt))
    return hdr(PT_EV_CODE, size, tgid, tgid) + struct.pack(
        "<QQIiHBBHBBHHB3x", code, fp, gen, co["first"], len(fn), 1, 0, len(nm), 1, 0,
        len(lt), 0, fmt) + pad8(fn) + pad8(nm) + pad8(lt)


def enter_record(tid, tgid, gen, nr, args, frames, caps, status=0, depth=None, ts=1000):
    body = b"".join(struct.pack("<QQiI", c, fp, instr, 0) for c, fp, instr in frames)
    body += b"".join(caps)
    size = 88 + len(body)
    return hdr(PT_EV_ENTER, size, tid, tgid, ts) + struct.pack(
        "<6QIIHHHH", *args, nr, gen, len(frames),
        len(frames) if depth is None else depth, status, len(caps)) + body


def exit_record(tid, tgid, nr, ret, caps, ts=2000, flags=0):
    body = b"".join(caps)
    return hdr(PT_EV_EXIT, 40 + len(body), tid, tgid, ts) + struct.pack(
        "<qIHH", ret, nr, len(caps), flags) + body


def proc_record(typ, tgid, gen, code, ts=3000):
    return hdr(typ, 32, tgid, tgid, ts) + struct.pack("<Ii", gen, code)


def frame_records(codes):
    return b"".join(struct.pack("<H", len(r)) + r for r in codes)


def events_seeds(codes):
    tgid, gen = 4242, 0x80000001
    for ver, fmt, cos in codes:
        if ver not in ((3, 8), (3, 10), (3, 11), (3, 13)):
            continue
        recs, frames = [], []
        for k, co in enumerate(cos[:4]):
            addr, fp = 0x7f0000001000 + 0x100 * k, 0xfeed0000 + k
            recs.append(code_record(tgid, gen, addr, fp, co, fmt))
            frames.append((addr, fp, 2 * k))
        frames.append((0x7f00dead0000, 1, 0))	# a code record that was lost
        for name, args, ecaps, ret, xcaps in CALLS[:6]:
            recs.append(enter_record(tgid, tgid, gen, NR[name], args, frames, ecaps))
            recs.append(exit_record(tgid, tgid, NR[name], ret, xcaps))
        recs.append(proc_record(PT_EV_PROC_EXIT, tgid, gen, 0))
        for opt in (0, 1):	# text, JSON
            write("fuzz_events", "py%d%d-%s" % (ver[0], ver[1], "json" if opt else "text"),
                  bytes([opt | 32]) + frame_records(recs))
    # Two threads: one blocks, the other's line interrupts it; an exec from a
    # thread; a process exit while a call is pending; truncated stacks.
    co = cos[0]
    recs = [code_record(tgid, gen, 0x7f0000001000, 7, co, fmt)]
    recs.append(enter_record(tgid + 1, tgid, gen, NR["read"], [0, 0x7ffd0000, 64, 0, 0, 0],
                             [(0x7f0000001000, 7, 3)], [], status=5, depth=300))
    recs.append(enter_record(tgid, tgid, gen, NR["openat"], CALLS[0][1],
                             [(0x7f0000001000, 7, 1)], CALLS[0][2], ts=1500))
    recs.append(exit_record(tgid, tgid, NR["openat"], 3, [], ts=1600))
    recs.append(enter_record(tgid + 2, tgid, gen, NR["execve"], CALLS[6][1], [], CALLS[6][2],
                             status=4))
    recs.append(proc_record(PT_EV_EXEC, tgid, gen + 1, tgid + 2))
    recs.append(exit_record(tgid, tgid, NR["execve"], 0, []))
    recs.append(enter_record(tgid, tgid, gen + 1, NR["exit_group"], [3, 0, 0, 0, 0, 0], [], []))
    recs.append(proc_record(PT_EV_PROC_EXIT, tgid, gen + 1, 3 << 8))
    data = b"".join(struct.pack("<H", len(r) | (0x8000 if i == 1 else 0)) + r
                    for i, r in enumerate(recs))
    write("fuzz_events", "threads-text", bytes([2 | 8 | 32]) + data)
    write("fuzz_events", "threads-json", bytes([1 | 64]) + data)


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    codes = code_objects()
    lines_seeds(codes)
    pystr_seeds()
    maps_seeds()
    elf_seeds()
    decode_seeds()
    events_seeds(codes)
    for t in sorted(os.listdir(CORPUS)):
        print("%-14s %d seeds" % (t, len(os.listdir(os.path.join(CORPUS, t)))))


if __name__ == "__main__":
    main()
