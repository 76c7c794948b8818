"""A warm parent for chapter kernels: it imports what every chapter imports once, then forks a kernel per chapter.

Run by path, never imported (``python -P zygote.py SOCKET MODULE...``): it is no ``dcbook`` module, so it is never
recorded as code a chapter ran. Starting a kernel the ordinary way costs about a second and a half of CPU
(a Python, ipykernel, pandas, Altair and the chapter library imported again); a fork of this process has
them already. The kernel still belongs to its chapter alone: the fork takes the environment, working
folder and standard streams of the kernel process jupyter_client started for it (:mod:`kernel_stub`), so
the chapter's reads log and downloads folder are its own. The zygote holds the libraries the chapters'
notebooks import (``dcbook.chapters``: pandas, Altair, pandera, Jinja2 …), not ``dcbook`` itself: each kernel imports (and so records) the ``dcbook`` modules its chapter uses, as a
kernel started afresh does.

Protocol, one connection per kernel: the stub sends a length-prefixed JSON request (kernel arguments,
environment, folder, its pid) with its three standard streams attached; the zygote answers
``pid <n>\\n`` once forked and ``exit <code>\\n`` when the kernel has ended. End of standard input (the
worker that started it is done) ends the zygote and any kernel still running.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    """One request: a 4-byte length, the JSON, and the stub's stdin, stdout and stderr."""
    msg, fds, _flags, _addr = socket.recv_fds(conn, 4, 3)
    if len(msg) < 4:
        raise OSError("short request")
    (size,) = struct.unpack("!I", msg[:4])
    body = b""
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise OSError("request cut short")
        body += chunk
    return json.loads(body.decode("utf-8")), list(fds)


def _watch(stub: int) -> None:
    """End the kernel when the process jupyter_client manages for it is gone (it was killed)."""
    while True:
        time.sleep(0.5)
        try:
            os.kill(stub, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:
            pass


def _become_kernel(request: dict, fds: list[int], zygote: int, die_with_parent: Callable[[], None]) -> None:
    """In the fork: take the stub's streams, environment and folder, then run ipykernel (never returns)."""
    code = 1
    try:
        for target, fd in zip((0, 1, 2), fds, strict=True):
            os.dup2(fd, target)
            os.close(fd)
        die_with_parent()  # SIGKILL when the zygote ends
        for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(zygote)  # ipykernel's parent poller watches the zygote
        threading.Thread(target=_watch, args=(int(request["stub"]),), daemon=True).start()
        args = list(request["args"])
        sys.argv = ["ipykernel_launcher", *args]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


def preload(modules: list[str]) -> None:
    """Import ``modules`` (what the chapters' notebooks import) for the libraries they bring, then forget
    ``dcbook`` itself: each kernel imports the ``dcbook`` modules its chapter uses, so its reads log records
    exactly those (and their current code), as a kernel started afresh would. A module that fails to import
    is left to the kernel, which reports the error in its chapter."""
    import importlib

    import ipykernel.kernelapp  # noqa: F401  (every kernel runs it)

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception as exc:  # the chapter's own import shows the error where it belongs
            sys.stderr.write(f"zygote: {name} not preloaded ({type(exc).__name__}: {exc})\n")
    for name in [n for n in sys.modules if n == "dcbook" or n.startswith("dcbook.")]:
        del sys.modules[name]
    gc.collect()


def serve(path: str, modules: list[str]) -> int:
    """Preload ``modules``, listen on ``path``, fork a kernel per request until standard input closes."""
    # imported before preload() forgets dcbook: the function stays, the module is not a kernel's
    from dcbook.pipeline.supervise import die_with_parent

    die_with_parent()  # SIGKILL when the worker ends
    preload(modules)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(8)
    gc.freeze()  # the imported objects stay out of every fork's collections (fewer copied pages)
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    me = os.getpid()
    kernels: dict[int, socket.socket] = {}
    try:
        while True:
            ready, _, _ = select.select([server, sys.stdin], [], [], 0.05)
            if sys.stdin in ready and not sys.stdin.buffer.read1(1024):
                return 0
            if server in ready:
                conn, _ = server.accept()
                try:
                    request, fds = _receive(conn)
                except (OSError, ValueError) as exc:
                    sys.stderr.write(f"zygote: bad request: {exc}\n")
                    conn.close()
                    continue
                pid = os.fork()
                if pid == 0:
                    server.close()
                    for other in kernels.values():
                        other.close()
                    conn.close()
                    _become_kernel(request, fds, me, die_with_parent)
                for fd in fds:
                    os.close(fd)
                kernels[pid] = conn
                with contextlib.suppress(OSError):
                    conn.sendall(f"pid {pid}\n".encode())
            while kernels:
                pid, status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
                conn = kernels.pop(pid, None)
                if conn is not None:
                    with contextlib.suppress(OSError):
                        conn.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
                    conn.close()
    finally:
        for pid in kernels:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        server.close()
        with contextlib.suppress(OSError):
            os.unlink(path)


if __name__ == "__main__":
    sys.exit(serve(sys.argv[1], sys.argv[2:]))
