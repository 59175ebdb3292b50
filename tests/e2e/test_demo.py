"""The README's main job: the incident demo shows the spinning openat("/")
with the Python function and line responsible."""
import os
import re
import subprocess

from conftest import PYTRACE, ROOT


def test_demo_finds_the_loop(python):
    env = dict(os.environ, PYTRACE=PYTRACE, PYTHON=python)
    p = subprocess.run(["sh", os.path.join(ROOT, "demo", "run.sh")], env=env,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert 'openat(AT_FDCWD, "/", O_RDONLY|O_CLOEXEC) = 3' in out
    assert re.search(r'File "/tmp/pytrace-demo\.\w+/agent\.pyz/agent/resources\.py", '
                     r'line 10, in containing_archive', out), out
    assert re.search(r"\((\d+) openat calls in 2 s\)", out)
    assert int(re.search(r"\((\d+) openat calls in 2 s\)", out).group(1)) > 1000
