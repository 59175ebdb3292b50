"""Makes the calling frame's 'previous' point at itself (3.11 layout, through
ctypes), opens a file, and repairs the chain: a hostile frame chain."""
import ctypes
import os
import sys

assert sys.version_info[:2] == (3, 11), "offsets below are 3.11's"
TS_CFRAME, CFRAME_CURRENT, FRAME_PREVIOUS = 56, 8, 48


def victim(path):
    get = ctypes.pythonapi.PyThreadState_Get
    get.restype = ctypes.c_void_p
    cframe = ctypes.c_void_p.from_address(get() + TS_CFRAME).value
    frame = ctypes.c_void_p.from_address(cframe + CFRAME_CURRENT).value
    prev = ctypes.c_void_p.from_address(frame + FRAME_PREVIOUS)
    saved = prev.value
    prev.value = frame
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_CREAT, 0o600))
    finally:
        prev.value = saved


victim(sys.argv[1])
