"""Warm kernels: each worker keeps a zygote (``zygote.py``) and papermill's kernels are forks of it.

:class:`ForkedKernelManager` is the kernel manager papermill is given; its kernel command is the ordinary one
wrapped in ``kernel_stub.py``, which asks the worker's zygote for a fork. Everything else — connection
file, ports, messages, shutdown — is jupyter_client's own. A worker without a zygote (it failed to start)
runs ordinary kernels, with the same result, a second or so slower each.
"""

from __future__ import annotations

import contextlib
import os
import select
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

HERE = Path(__file__).resolve().parent
ZYGOTE_SCRIPT = HERE / "zygote.py"
STUB_SCRIPT = HERE / "kernel_stub.py"
#: Seconds to wait for a zygote's imports before its worker runs ordinary kernels.
READY_TIMEOUT = 120

#: The socket of this process's zygote, while one is running (:class:`Zygote`).
_socket: str | None = None


class ForkedKernelManager(AsyncKernelManager):
    """jupyter_client's kernel manager, launching ``ipykernel`` as a fork of the worker's zygote."""

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        cmd = super().format_kernel_cmd(extra_arguments)
        if _socket is None or "ipykernel_launcher" not in cmd:
            return cmd
        return [sys.executable, "-I", "-S", str(STUB_SCRIPT), _socket, *cmd]


#: A zygote's socket folder in the temporary directory: ``dcbook-kernels-<worker pid>-<random>``.
FOLDER_PREFIX = "dcbook-kernels-"


def remove_orphaned_folders(tmp: Path | None = None) -> list[Path]:
    """Remove the socket folders of workers that are gone (killed with SIGKILL, they could not clean up)."""
    removed = []
    for folder in Path(tmp or tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name.removeprefix(FOLDER_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or not folder.is_dir():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        except PermissionError:  # another user's live process
            continue
    return removed


class Zygote:
    """The worker's zygote process: started with :meth:`start`, stopped with :meth:`stop`."""

    def __init__(self, preload: Sequence[str] = ()) -> None:
        self.preload = list(preload)
        remove_orphaned_folders()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-"))
        self.path = str(self.folder / "zygote.sock")
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the zygote (its imports run while the worker loads its own)."""
        self.proc = subprocess.Popen(
            [sys.executable, "-P", str(ZYGOTE_SCRIPT), self.path, *self.preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )

    def wait_ready(self) -> bool:
        """Wait for the zygote's "ready"; make this process's kernels its forks. False if it never came."""
        global _socket
        if self.proc is None or self.proc.stdout is None:
            return False
        ready, _, _ = select.select([self.proc.stdout], [], [], READY_TIMEOUT)
        # the zygote prints nothing before "ready" (or before it ends)
        line = self.proc.stdout.readline() if ready else b""
        if line.strip() != b"ready":
            self.stop()
            return False
        _socket = self.path
        return True

    def stop(self) -> None:
        """End the zygote (end of its input; killed if it does not go) and remove its socket folder."""
        global _socket
        if _socket == self.path:
            _socket = None
        if self.proc is not None:
            with contextlib.suppress(OSError):
                if self.proc.stdin is not None:
                    self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            if self.proc.stdout is not None:
                self.proc.stdout.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def manager_options() -> dict[str, Any]:
    """papermill keywords that make its kernels forks of this process's zygote (none without one)."""
    return {"kernel_manager_class": ForkedKernelManager} if _socket is not None else {}
