"""The kernel process jupyter_client manages when the kernel itself is a fork of the zygote (zygote.py).

Run by path with ``python -I -S`` (standard library only, starts in milliseconds):
``kernel_stub.py SOCKET CMD...``, where CMD is the ordinary kernel command. The stub hands its environment,
folder and standard streams to the zygote, which forks the kernel; it then stands in for the kernel: the
signals jupyter_client sends it (interrupt, terminate) go on to the kernel, and it exits with the kernel's
exit code. If it is killed, the kernel notices within half a second and ends. Without a zygote to talk to
(none started, or it is gone) it becomes the ordinary kernel (``exec`` of CMD): never a failed chapter.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys


def _ordinary(cmd: list[str]) -> None:
    os.execv(cmd[0], cmd)


def main(argv: list[str]) -> int:
    path, cmd = argv[0], argv[1:]
    try:
        where = cmd.index("ipykernel_launcher")
    except ValueError:
        _ordinary(cmd)
    request = {
        "args": cmd[where + 1 :],
        "env": dict(os.environ),
        "cwd": os.getcwd(),
        "stub": os.getpid(),
    }
    body = json.dumps(request).encode("utf-8")
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        socket.send_fds(conn, [struct.pack("!I", len(body))], [0, 1, 2])
        conn.sendall(body)
        reader = conn.makefile("r", encoding="utf-8")
        first = reader.readline().split()
    except OSError:
        first = []
    if len(first) != 2 or first[0] != "pid":
        conn.close()
        _ordinary(cmd)
    kernel = int(first[1])

    def forward(signum: int, _frame: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(kernel, signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, forward)
    last = reader.readline().split()  # "exit <code>", or nothing if the zygote died (the kernel with it)
    return int(last[1]) if len(last) == 2 and last[0] == "exit" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
