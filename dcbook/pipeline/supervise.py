"""Every process a build starts dies with it, even when the build itself is killed with ``kill -9``.

A build gets a *run id*. It is put in the environment (:data:`RUN_ENV_VAR`) before any child starts, so every
descendant carries it — chapter runners, the kernels papermill starts in sessions of their own, Sphinx,
latexmk and the TeX engines it runs — whatever process group or session it ended up in. Two mechanisms use it:

* a *supervisor* (``python -m dcbook.pipeline.supervise RUN_ID``), started in its own session with the read
  end of a pipe as its standard input. The build holds the write end; when the build ends in any way the
  kernel closes it, and on end-of-file without the build's "done" the supervisor terminates every process
  whose environment names the run (SIGTERM, then SIGKILL), then exits;
* the next build, on taking ``_build/.lock``, finds the run id of the previous holder in the lock file and
  does the same, in case the supervisor was killed too.

Direct children also ask for a parent-death signal (:func:`die_with_parent`), the cheapest guard of all.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

#: Names the build run a process belongs to; inherited by every descendant.
RUN_ENV_VAR = "DCBOOK_RUN_ID"
#: Written to the supervisor's pipe by a build that ends normally: nothing to clean up.
DONE = b"done\n"
_PR_SET_PDEATHSIG = 1


def new_run_id() -> str:
    """A run id: when, which process, and enough randomness that two runs never share one."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{secrets.token_hex(4)}"


def die_with_parent(sig: int = signal.SIGKILL, expected_parent: int | None = None) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies (``prctl(PR_SET_PDEATHSIG)``).

    No-op where prctl does not exist. If the parent already died before the call (``expected_parent`` no
    longer our parent), the signal is sent now: the guard has no window.
    """
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)
    if expected_parent is not None and os.getppid() != expected_parent:
        os.kill(os.getpid(), sig)


def processes_of_run(run_id: str, proc: Path = Path("/proc")) -> list[int]:
    """Pids (other than ours) whose environment names ``run_id``; processes we may not read are skipped."""
    needle = f"{RUN_ENV_VAR}={run_id}".encode()
    me = os.getpid()
    found = []
    with contextlib.suppress(OSError):
        entries = [e for e in os.listdir(proc) if e.isdigit()]
        for entry in entries:
            pid = int(entry)
            if pid == me:
                continue
            try:
                environ = (proc / entry / "environ").read_bytes()
            except OSError:
                continue
            if needle in environ.split(b"\0"):
                found.append(pid)
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[-1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in (b"Z", b"X")


def kill_run(run_id: str, grace: float = 3.0) -> list[int]:
    """Terminate every process of ``run_id`` (SIGTERM, then SIGKILL after ``grace`` s); return their pids."""
    if not run_id:
        return []
    pids = processes_of_run(run_id)
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
    # anything still there, or started meanwhile by a dying parent
    for pid in {*pids, *processes_of_run(run_id)}:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    return pids


@contextlib.contextmanager
def supervised_run(run_id: str) -> Iterator[None]:
    """Run the body as build ``run_id``: children inherit the id, and a supervisor reaps them if we die."""
    previous = os.environ.get(RUN_ENV_VAR)
    env = {k: v for k, v in os.environ.items() if k != RUN_ENV_VAR}
    read_end, write_end = os.pipe()
    try:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "dcbook.pipeline.supervise", run_id],
            stdin=read_end,
            stdout=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C to the terminal's group, or killpg of the build, spares it
            env=env,
        )
    finally:
        os.close(read_end)
    os.environ[RUN_ENV_VAR] = run_id
    clean = False
    try:
        yield
        clean = True
    finally:
        if previous is None:
            os.environ.pop(RUN_ENV_VAR, None)
        else:
            os.environ[RUN_ENV_VAR] = previous
        if clean:  # otherwise the supervisor reaps whatever an error path left behind
            with contextlib.suppress(OSError):
                os.write(write_end, DONE)
        os.close(write_end)
        with contextlib.suppress(subprocess.TimeoutExpired):
            supervisor.wait(timeout=10)


class LockError(RuntimeError):
    """The lock file cannot be created or opened (a read-only or missing ``_build``)."""


class LockHeld(LockError):
    """Another build (or publish) holds the lock."""


@contextlib.contextmanager
def exclusive_lock(build_dir: Path, run_id: str = "", what: str = "build") -> Iterator[None]:
    """Exclusive ``<build_dir>/.lock`` (fcntl): a second build fails fast instead of corrupting the first.

    The lock file names the holder's pid, run id and what it does (``build``, ``publish``). Whoever takes
    the lock next first stops any process still carrying the previous holder's run id: the orphans of a
    build killed with ``kill -9`` whose supervisor died too can never race the new build.
    """
    try:
        build_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise LockError(f"{build_dir}: cannot create the build folder: {exc.strerror or exc}") from exc
    path = build_dir / ".lock"
    try:
        handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - closed below, after the body
    except OSError as exc:
        raise LockError(f"{path}: cannot open the build lock: {exc.strerror or exc}") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().split() or ["unknown"]
            doing = f", {holder[2]}" if len(holder) > 2 and holder[2] != "build" else ""
            raise LockHeld(
                f"{path}: another build is running (pid {holder[0]}{doing}); wait for it to finish"
            ) from exc
        handle.seek(0)
        previous = handle.read().split()
        if len(previous) > 1 and previous[1] != "-":
            kill_run(previous[1])
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()} {run_id or '-'} {what}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def supervise(run_id: str) -> int:
    """Supervisor body: wait for the build's pipe to close; unless it said "done", reap the run."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    received = b""
    while True:
        try:
            chunk = os.read(0, 64)
        except InterruptedError:
            continue
        if not chunk:
            break
        received += chunk
    if DONE not in received:
        kill_run(run_id)
    return 0


if __name__ == "__main__":
    sys.exit(supervise(sys.argv[1]))
