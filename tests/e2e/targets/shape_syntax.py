"""Lambdas, comprehensions, generator expressions, static and class methods,
closures and nested classes that open files; each path names its shape.
(3.12 inlines list, dict and set comprehensions: the truth tells which
frames exist.)

Usage: shape_syntax.py DIR SHAPE...
"""
import functools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402

DIR = sys.argv[1]


def touch(name):
    with open(truth.traced(os.path.join(DIR, name)), "w"):
        pass


def lambdas():
    opener = lambda name: touch(name)  # noqa: E731
    opener("lambda")
    (lambda: (lambda: touch("lambda-nested"))())()


def comprehensions():
    [touch("listcomp-%d" % i) for i in range(2)]
    {i: touch("dictcomp-%d" % i) for i in range(2)}
    {touch("setcomp-%d" % i) for i in range(2)}
    list(touch("genexp-%d" % i) for i in range(2))
    [[touch("listcomp-nested-%d-%d" % (i, j)) for j in range(1)] for i in range(2)]


class Tools:
    @staticmethod
    def static(name):
        touch(name)

    @classmethod
    def klass(cls, name):
        cls.static(name)

    @property
    def prop(self):
        touch("property")
        return 1

    def __init__(self, name=None):
        if name:
            touch(name)

    def __add__(self, other):
        touch("dunder-add")
        return self


def methods():
    Tools.static("staticmethod")
    Tools().static("staticmethod-instance")
    Tools().klass("classmethod-instance")
    Tools().prop
    Tools("init")
    Tools() + Tools()


def make_closure(prefix):
    count = [0]

    def inner():
        count[0] += 1

        def innermost():
            touch("%s-%d" % (prefix, count[0]))
        innermost()
    return inner


def closures():
    fn = make_closure("closure")
    fn()
    fn()


class Outer:
    class Inner:
        class Deepest:
            def method(self):
                touch("nested-class-deepest")

        def method(self):
            touch("nested-class-inner")
            Outer.Inner.Deepest().method()


def local_classes():
    class Local:
        def method(self):
            class InMethod:
                def run(self):
                    touch("local-class-in-method")
            touch("local-class")
            InMethod().run()
    Outer.Inner().method()
    Local().method()


def logged(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return fn(*args)
    return wrapper


@logged
def decorated(name):
    touch(name)


def decorators():
    decorated("decorated")


SHAPES = {
    "lambda": lambdas,
    "comprehension": comprehensions,
    "methods": methods,
    "closure": closures,
    "nested-class": local_classes,
    "decorator": decorators,
}

for shape in sys.argv[2:]:
    SHAPES[shape]()
