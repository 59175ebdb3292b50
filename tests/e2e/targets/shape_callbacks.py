"""Python called from C called from Python: the file is opened inside a
function that a C function (sorted, map, reduce, dict insertion, a
destructor...) calls.  Each path names its shape.

Usage: shape_callbacks.py DIR SHAPE...
"""
import functools
import gc
import os
import re
import sys
import weakref

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]


def touch(name):
    with open(truth.traced(os.path.join(DIR, name)), "w"):
        pass


def sort_key(x):
    touch("sorted-%d" % x)
    return -x


def in_sorted():
    return sorted([3, 1, 2], key=sort_key)


def in_list_sort():
    items = [2, 1]
    items.sort(key=lambda x: touch("list-sort-%d" % x) or x)


def mapped(x):
    touch("map-%d" % x)
    return x


def in_map():
    return list(map(mapped, range(3)))


def combine(a, b):
    touch("reduce-%d-%d" % (a, b))
    return a + b


def in_reduce():
    return functools.reduce(combine, [1, 2, 3])


class Key:
    def __init__(self, k):
        self.k = k

    def __hash__(self):
        touch("hash-%d" % self.k)
        return hash(self.k)


def in_dict_insert():
    d = {}
    for k in range(2):
        d[Key(k)] = k
    return d


class Resource:
    def __init__(self, k):
        self.k = k

    def __del__(self):
        touch("del-%d" % self.k)


def in_destructor():
    r = Resource(1)
    del r                       # refcount reaches zero here: __del__ runs
    gc.collect()


class Target:
    pass


def on_dead(ref):
    touch("weakref-callback")


def in_weakref_callback():
    t = Target()
    ref = weakref.ref(t, on_dead)
    del t
    return ref


def replacement(m):
    touch("re-sub-%s" % m.group(0))
    return m.group(0)


def in_re_sub():
    return re.sub("[ab]", replacement, "xaxb")


def layered_key(x):
    # C -> Python -> C -> Python -> C -> Python
    return functools.reduce(combine_layer, map(mapped_layer, [x, x + 1]))


def mapped_layer(x):
    return x * 10


def combine_layer(a, b):
    touch("layers-%d-%d" % (a, b))
    return a + b


def in_layers():
    return sorted([1, 2], key=layered_key)


SHAPES = {
    "sorted": in_sorted,
    "list-sort": in_list_sort,
    "map": in_map,
    "reduce": in_reduce,
    "hash": in_dict_insert,
    "del": in_destructor,
    "weakref": in_weakref_callback,
    "re-sub": in_re_sub,
    "layers": in_layers,
}

for shape in sys.argv[2:]:
    SHAPES[shape]()
