"""Builder processes that die with the server that started them.

A standby builder re-parented to init after a `kill -9` of its server kept building,
held the build lock (the next `serve` failed) and switched the index on its own. A child
started with `QA_PARENT_PID` in its environment watches its parent and ends itself when
the parent is gone. The polling watchdog is used rather than Linux's parent-death signal
because that signal fires when the *thread* that started the child ends, and reindex
threads are short-lived.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

PARENT_ENV = "QA_PARENT_PID"


def child_env(env: dict[str, str]) -> dict[str, str]:
    """`env` plus the marker that makes a child end with this process."""
    return {**env, PARENT_ENV: str(os.getpid())}


def die_with_parent(poll_seconds: float = 0.2) -> None:
    """When started by a server (`QA_PARENT_PID`), end this process as soon as that server is gone."""
    raw = os.environ.get(PARENT_ENV, "")
    if not raw.isdigit():
        return
    parent = int(raw)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(poll_seconds)
        os._exit(3)  # nobody is left to read a report; the build lock dies with us

    if os.getppid() != parent:
        os._exit(3)
    threading.Thread(target=watch, daemon=True, name="lifeline").start()


def alive(pid: int) -> bool:
    """Is there a process (not a zombie) with this pid?"""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def parent_of(pid: int) -> int | None:
    """The current parent pid of `pid` (Linux /proc), or None when unknown."""
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def is_qa_process(pid: int) -> bool:
    """Does `pid` run qa-service code (so a reused pid is never signalled by mistake)?"""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return b"qa_service" in cmdline or b"qa-service" in cmdline


def end(pid: int, grace: float = 5.0) -> bool:
    """SIGTERM, then SIGKILL after `grace` seconds; True once the process is gone."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return True
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not alive(pid):
                return True
            time.sleep(0.05)
    return not alive(pid)
