"""Generators, coroutines, asyncio tasks and async generators that open
files; each path names its shape.

Usage: shape_coroutines.py DIR SHAPE...
"""
import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import truth  # noqa: E402  (installs the audit hook)

DIR = sys.argv[1]


def touch(name):
    with open(truth.traced(os.path.join(DIR, name)), "w"):
        pass


# Generators: resumed by a frame other than the one that made them, by
# send(), and through a `yield from` chain.

def counter(prefix, n):
    for i in range(n):
        touch("%s-%d" % (prefix, i))
        yield i


def advance(gen):
    return next(gen)


def resumed_elsewhere():
    gen = counter("gen-resumed", 3)
    advance(gen)                # made here, resumed one frame deeper
    for _ in gen:
        pass


def echo():
    received = yield
    while received is not None:
        touch("gen-send-%s" % received)
        received = yield received


def drive_send():
    gen = echo()
    next(gen)
    for word in ("a", "b"):
        gen.send(word)
    gen.close()


def inner_gen():
    yield from counter("gen-yield-from", 2)


def outer_gen():
    yield from inner_gen()


def delegation():
    return list(outer_gen())


# Coroutines and tasks.

async def leaf(name):
    touch(name)
    await asyncio.sleep(0)


async def middle(name):
    await leaf(name)


async def task_body(k):
    for i in range(3):
        await middle("task%d-%d" % (k, i))
        await asyncio.sleep(0)


async def several_tasks():
    tasks = [asyncio.ensure_future(task_body(k)) for k in range(5)]
    await asyncio.gather(*tasks)


async def awaited_directly():
    await middle("coro-direct")


async def ticker(prefix, n):
    for i in range(n):
        touch("%s-%d" % (prefix, i))
        yield i
        await asyncio.sleep(0)


async def consume_agen():
    async for _ in ticker("agen-for", 3):
        pass


async def agen_comprehension():
    return [i async for i in ticker("agen-comp", 2)]


async def agen_in_tasks():
    await asyncio.gather(asyncio.ensure_future(consume_agen()),
                         asyncio.ensure_future(agen_comprehension()))


def run(coro_fn):
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(coro_fn())
    finally:
        loop.close()


SHAPES = {
    "gen-resumed": resumed_elsewhere,
    "gen-send": drive_send,
    "gen-yield-from": delegation,
    "tasks": lambda: run(several_tasks),
    "coro": lambda: run(awaited_directly),
    "agen": lambda: run(agen_in_tasks),
}

for shape in sys.argv[2:]:
    SHAPES[shape]()
