"""Makes a broad set of system calls (files, sockets, pipes, processes,
memory, signals, poll/epoll/select) for comparison with strace.

Usage: parity_broad.py DIR PORT.  Everything it does is deterministic so
that two runs print the same lines: fixed names under DIR, ports PORT to
PORT+2 (no ephemeral ones), zero timeouts, data ready before it is waited
for.
"""
import fcntl
import mmap
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import termios
import threading

d, port = sys.argv[1], int(sys.argv[2])
os.chdir(d)


def files():
    os.umask(0o022)
    os.mkdir("sub", 0o750)
    os.chmod("sub", 0o700)
    with open("sub/a.txt", "w") as f:
        f.write("abc\n")
        os.fchmod(f.fileno(), 0o640)
        os.fchown(f.fileno(), os.getuid(), os.getgid())
    os.chown("sub/a.txt", -1, os.getgid())
    os.link("sub/a.txt", "sub/b.txt")
    os.symlink("a.txt", "sub/c.txt")
    os.rename("sub/b.txt", "sub/d.txt")
    sorted(os.listdir("sub"))
    os.unlink("sub/d.txt")
    os.unlink("sub/c.txt")
    os.unlink("sub/a.txt")
    os.rmdir("sub")
    try:
        os.rmdir("nonexistent")
    except OSError:
        pass
    fd = os.open("v.txt", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o600)
    os.writev(fd, [b"hello ", b"world\n", b"x" * 40])
    os.lseek(fd, 0, os.SEEK_SET)
    a, b = bytearray(4), bytearray(100)
    os.readv(fd, [a, b])
    fl = fcntl.fcntl(fd, fcntl.F_GETFL)
    fcntl.fcntl(fd, fcntl.F_SETFL, fl | os.O_NONBLOCK | os.O_APPEND)
    fcntl.fcntl(fd, fcntl.F_GETFD)
    fcntl.fcntl(fd, fcntl.F_SETFD, 0)
    fcntl.fcntl(fd, fcntl.F_SETFD, fcntl.FD_CLOEXEC)
    fd2 = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd2)
    fd2 = os.dup(fd)
    os.dup2(fd, 20)
    os.dup2(fd, 21, inheritable=False)
    for x in (fd2, 20, 21):
        os.close(x)
    try:
        fcntl.ioctl(fd, termios.TCGETS, bytes(60))
    except OSError:
        pass
    fcntl.ioctl(fd, termios.FIONREAD, bytes(4))
    fcntl.ioctl(fd, termios.FIOCLEX)
    fcntl.ioctl(fd, termios.FIONCLEX)
    try:
        fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8))
    except OSError:
        pass
    fcntl.flock(fd, fcntl.LOCK_EX)
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    os.urandom(8)
    resource.getrlimit(resource.RLIMIT_NOFILE)
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    resource.setrlimit(resource.RLIMIT_CORE, (soft, hard))


def pipes_and_polling():
    r, w = os.pipe()
    os.write(w, b"ping")
    rl, _, _ = select.select([r], [w], [], 0)
    p = select.poll()
    p.register(r, select.POLLIN | select.POLLPRI)
    p.register(w, select.POLLOUT)
    p.poll(0)
    ep = select.epoll()
    ep.register(r, select.EPOLLIN | select.EPOLLET)
    ep.register(w, select.EPOLLOUT)
    ep.modify(w, select.EPOLLOUT | select.EPOLLONESHOT)
    ep.poll(0)
    ep.unregister(w)
    ep.close()
    os.read(r, 4)
    os.close(r)
    os.close(w)
    r, w = os.pipe2(os.O_CLOEXEC | os.O_NONBLOCK)
    try:
        os.read(r, 1)
    except BlockingIOError:
        pass
    os.close(r)
    os.close(w)


def sockets():
    path = "sock"
    if os.path.exists(path):
        os.unlink(path)
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path)
    srv.listen(5)
    cli = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    cli.connect(path)
    con, _ = srv.accept()
    cli.sendall(b"hi")
    con.recv(10)
    con.shutdown(socket.SHUT_WR)
    for s in (con, cli, srv):
        s.close()
    os.unlink(path)

    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen()
    srv.getsockname()
    cli = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    cli.bind(("127.0.0.1", port + 1))
    cli.connect(("127.0.0.1", port))
    cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    cli.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
    cli.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    con, _ = srv.accept()
    con.getpeername()
    cli.send(b"data")
    con.recv(100)
    con.shutdown(socket.SHUT_RDWR)
    for s in (con, cli, srv):
        s.close()

    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
    u.bind(("127.0.0.1", port))
    v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    v.bind(("127.0.0.1", port + 2))
    v.sendto(b"dgram", ("127.0.0.1", port))
    u.recvfrom(100)
    u.close()
    v.close()
    try:
        socket.socket(socket.AF_INET6, socket.SOCK_DGRAM, 255)
    except OSError:
        pass


def processes():
    pid = os.fork()
    if pid == 0:
        os._exit(3)
    os.waitpid(pid, 0)
    pid = os.fork()
    if pid == 0:
        os.kill(os.getpid(), signal.SIGKILL)
    os.waitpid(pid, 0)
    subprocess.run(["/bin/true"])
    os.kill(os.getpid(), 0)


def handler(signum, frame):
    pass


def signals():
    signal.signal(signal.SIGUSR1, handler)
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2, signal.SIGTERM])
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, signal.SIG_DFL)
    signal.pthread_kill(threading.get_ident(), 0)


def memory():
    m = mmap.mmap(-1, 16384)
    m[0:4] = b"abcd"
    m.madvise(mmap.MADV_DONTNEED)
    m.resize(32768)
    m.close()
    with open("v.txt", "r+b") as f:
        m = mmap.mmap(f.fileno(), 0, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
        m.close()


files()
pipes_and_polling()
sockets()
processes()
signals()
memory()
