"""Opens files from several Python shapes; each path names its shape.

Usage: shapes.py DIR SHAPE...   (SHAPE: nested, method, generator, threads)
"""
import os
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402  (installs the audit hook)

DIR = sys.argv[1]


def touch(name):
    with open(truth.traced(os.path.join(DIR, name)), "w"):
        pass


def level3(name):
    touch(name)


def level2(name):
    level3(name)


def level1(name):
    level2(name)


class Store:
    def save(self, name):
        touch(name)

    @classmethod
    def create(cls, name):
        cls().save(name)


def gen_files(prefix, n):
    for i in range(n):
        path = os.path.join(DIR, "%s-%d" % (prefix, i))
        fd = os.open(truth.traced(path), os.O_WRONLY | os.O_CREAT, 0o644)
        os.close(fd)
        yield path


def consume_generator():
    return list(gen_files("generator", 3))


def worker(k):
    for i in range(5):
        level1("thread%d-%d" % (k, i))


def run_threads():
    ts = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


SHAPES = {
    "nested": lambda: level1("nested"),
    "method": lambda: Store.create("method"),
    "generator": consume_generator,
    "threads": run_threads,
}

for shape in sys.argv[2:]:
    SHAPES[shape]()
