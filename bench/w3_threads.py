"""W3: many threads blocked in I/O at once.

--threads threads in pairs, each pair a connected socket pair playing
ping-pong with small messages, as request/response workers do.  Most of the
time most threads are blocked in recv() with the GIL released, and every
message is a send and a recv.
"""
import socket
import threading

import wl_common

MSG = b"x" * 64


def client(sock, rounds, start):
    start.wait()
    for _ in range(rounds):
        sock.sendall(MSG)
        if len(sock.recv(4096)) == 0:
            raise SystemExit("w3: peer closed")


def server(sock, rounds, start):
    start.wait()
    for _ in range(rounds):
        data = sock.recv(4096)
        sock.sendall(data)


def main():
    p = wl_common.parser(__doc__)
    p.add_argument("--threads", type=int, default=32, help="threads (even)")
    p.add_argument("--rounds", type=int, default=1500, help="round trips per pair")
    args = p.parse_args()
    start = threading.Event()
    threads = []
    for _ in range(args.threads // 2):
        a, b = socket.socketpair()
        threads.append(threading.Thread(target=client, args=(a, args.rounds, start)))
        threads.append(threading.Thread(target=server, args=(b, args.rounds, start)))
    for t in threads:
        t.start()
    wl_common.gate(args)
    with wl_common.LoopTimer() as timer:
        start.set()
        for t in threads:
            t.join()
    # A round trip is two sends and two recvs.
    wl_common.finish(args, timer, calls=len(threads) // 2 * args.rounds * 4,
                     threads=len(threads))


main()
