"""Index builds outside the serving process: a one-off child or the standby builder.

A build runs at background priority (SCHED_IDLE, then nice 19 once it has waited
`rebuild_idle_seconds`) so that answers keep their latency; the standby builder has the
model loaded already, so a reindex starts no interpreter beside the server.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pydantic import SecretStr

from qa_service import lifeline
from qa_service.config import Settings
from qa_service.index import BuildReport


class RebuildError(RuntimeError):
    """A rebuild failed; the message is the build's own (file and line for a bad document)."""


class RebuildCancelled(RebuildError):
    """The build was cancelled (its builder was sent SIGTERM); the index in service stays."""


def _ended(proc: subprocess.Popen[str], what: str) -> None:
    """Raise RebuildCancelled when a builder was ended by a cancel (SIGTERM)."""
    if proc.poll() == -signal.SIGTERM:
        raise RebuildCancelled(f"{what} was cancelled; the index in service was left as it was")


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a child `qa-service` see exactly these settings."""
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith("QA_")}
    for name, value in settings.model_dump().items():
        if value is None or isinstance(value, SecretStr):
            continue
        if isinstance(value, Path):
            value = value.resolve()
        env[f"QA_{name.upper()}"] = (
            json.dumps(value) if isinstance(value, list | dict) else str(value)
        )
    env.setdefault("HF_HUB_OFFLINE", "1")
    return env


def _set_priority(pid: int, nice: int, idle: bool) -> None:
    """Set a child's CPU priority from outside, so even its start-up (imports, model load) yields to answers.

    On Linux both the policy and nice are per thread: every thread the child has is set
    (threads it starts later inherit from the thread that starts them).
    """
    task_dir = f"/proc/{pid}/task"
    tids = [int(t) for t in os.listdir(task_dir)] if os.path.isdir(task_dir) else [pid]
    for tid in tids:
        try:
            if hasattr(os, "SCHED_IDLE"):
                os.sched_setscheduler(
                    tid, os.SCHED_IDLE if idle else os.SCHED_OTHER, os.sched_param(0)
                )
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        except OSError:  # the thread (or the child) has already ended
            continue


def build_in_child(
    settings: Settings,
    full: bool = False,
    nice: int = 19,
    started: Callable[[subprocess.Popen[str]], None] | None = None,
) -> BuildReport:
    """Run `qa-service build --json` in the background and return its report.

    The child first runs only on CPU time the server leaves idle (SCHED_IDLE), so answers
    keep their latency during a reindex; if it has not finished after
    `settings.rebuild_idle_seconds` (a server kept busy all the time), it goes on at nice 19
    so that it is never starved.
    """
    cmd = [sys.executable, "-m", "qa_service.cli", "build", "--json"] + (["--full"] if full else [])
    env = lifeline.child_env(settings_env(settings))  # it ends itself if the server dies
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _set_priority(proc.pid, nice, idle=True)
    if started is not None:
        started(proc)
    try:
        stdout, stderr = proc.communicate(timeout=settings.rebuild_idle_seconds)
    except subprocess.TimeoutExpired:
        _set_priority(proc.pid, nice, idle=False)
        stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        _ended(proc, "the build")
        lines = [
            ln.removeprefix("error: ") for ln in stderr.splitlines() if ln.startswith("error: ")
        ]
        raise RebuildError(
            lines[0] if lines else f"build exited with {proc.returncode}: {stderr.strip()[-400:]}"
        )
    return BuildReport.model_validate_json(stdout.strip().splitlines()[-1])


class StandbyBuilder:
    """The standby build process: started once at background priority, then asked to build.

    While it builds it runs on idle CPU only, and at nice 19 after
    `settings.rebuild_idle_seconds` (as `build_in_child`). If it cannot be used (it died,
    or could not start), `build` raises OSError and the caller falls back to a one-off child.
    """

    def __init__(self, settings: Settings, nice: int = 19) -> None:
        self.settings = settings
        self.nice = nice
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        """Start the standby if it is not running (it loads the model in the background)."""
        if self.proc is None or self.proc.poll() is not None:
            # PASSIVE: its idle OpenMP threads sleep instead of spinning beside the server's.
            # QA_PARENT_PID: it ends itself when the server dies (lifeline.py), so it never builds as an orphan.
            env = lifeline.child_env({**settings_env(self.settings), "OMP_WAIT_POLICY": "PASSIVE"})
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "qa_service.build_worker"],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            _set_priority(self.proc.pid, self.nice, idle=True)

    def build(self, full: bool = False) -> BuildReport:
        """Build in the warm child, so a reindex need not load the model again."""
        self.start()
        proc = self.proc
        assert proc is not None and proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps({"full": full}) + "\n")
        proc.stdin.flush()
        if not select.select([proc.stdout], [], [], self.settings.rebuild_idle_seconds)[0]:
            _set_priority(
                proc.pid, self.nice, idle=False
            )  # never starved by a server busy all the time
        line = proc.stdout.readline()
        _set_priority(proc.pid, self.nice, idle=True)
        if not line:
            proc.wait()
            self.close()
            _ended(proc, "the build")
            raise OSError("the standby builder ended without a report")
        data = json.loads(line)
        if "error" in data:
            raise RebuildError(data["error"])
        return BuildReport.model_validate(data)

    def cancel(self) -> bool:
        """End a build in progress (SIGTERM); the next build starts a new standby."""
        proc = self.proc
        if proc is None or proc.poll() is not None:
            return False
        proc.terminate()
        return True

    def close(self) -> None:
        """End the standby (closing its input ends it)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            proc.kill()
            proc.wait()
