"""Makes the system calls pytrace decodes, for comparison with strace."""
import os, socket, sys, subprocess
d = sys.argv[1]
p = os.path.join(d, "data.txt")
with open(p, "w") as f:
    f.write("hello\nworld\t\x01\x7f\xff" * 3)
with open(p, "rb") as f:
    f.read()
os.stat(p); os.lstat(p)
try:
    os.stat(os.path.join(d, "missing"))
except OSError:
    pass
fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW)
os.fstat(fd)
os.read(fd, 5)
os.close(fd)
for fam, addr in ((socket.AF_UNIX, os.path.join(d, "nosock")), (socket.AF_INET, ("127.0.0.1", 1)), (socket.AF_INET6, ("::1", 1))):
    s = socket.socket(fam, socket.SOCK_STREAM)
    try:
        s.connect(addr)
    except OSError:
        pass
    s.close()
subprocess.run(["/bin/true", "arg with space", "x" * 40])
