"""The process pytrace -p attaches to when attach latency is measured.

It makes one os.getppid() about every millisecond until it is killed, so the
first traced call comes at most about a millisecond after the attach.
"""
import os
import time

while True:
    os.getppid()
    time.sleep(0.001)
