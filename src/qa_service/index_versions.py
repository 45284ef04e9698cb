"""Versions side by side: the atomic switch of CURRENT, the build lock, leases and pruning.

A build writes a new version beside the current one in a temporary folder, renames it
into place when complete, then switches CURRENT: a build killed at any point leaves the
previous version whole and in service. A loaded version holds a shared lease (flock on
its manifest) so pruning never deletes a version some process still reads.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from qa_service import lifeline
from qa_service.index_format import IndexUnavailableError, current_version, versions_dir

try:  # leases need flock; elsewhere pruning falls back to "keep the newest N"
    import fcntl

    HAVE_FLOCK = True
except ImportError:  # pragma: no cover - not on Linux
    HAVE_FLOCK = False

log = logging.getLogger(__name__)
_OWNER_RE = re.compile(r"pid (\d+)(?: parent (\d+))?")


class BuildLockedError(RuntimeError):
    """Another build holds the lock."""


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable, so a crash cannot undo a switch."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_current(index_dir: Path, version: str) -> None:
    """Switch the index in service in one atomic rename."""
    tmp = index_dir / f".CURRENT.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(version + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, index_dir / "CURRENT")
    fsync_dir(index_dir)


# ---------------------------------------------------------------- the build lock


def _lock_owner(index_dir: Path) -> str:
    """Who holds the build lock, as the holder wrote it (best effort)."""
    try:
        return " by " + (index_dir / ".build.owner").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _owner_pids(index_dir: Path) -> tuple[int, int | None] | None:
    """(pid, the parent it had when it took the lock) from the owner record, if any."""
    m = _OWNER_RE.match(_lock_owner(index_dir).removeprefix(" by "))
    if m is None:
        return None
    return int(m.group(1)), int(m.group(2)) if m.group(2) else None


def _orphaned(pid: int, parent: int | None) -> bool:
    """A builder whose server is gone: its recorded parent has died and it was re-parented."""
    if (
        parent is None
        or parent in (0, 1)
        or not lifeline.alive(pid)
        or not lifeline.is_qa_process(pid)
    ):
        return False
    return not lifeline.alive(parent) and lifeline.parent_of(pid) != parent


def build_owner(index_dir: Path) -> int | None:
    """The pid of the live qa-service process running a build on this index, or None.

    Read from the owner record, which a build writes once it holds the lock and removes
    before releasing it; the lock itself is never probed, so asking never makes a build
    that starts at that moment fail.
    """
    owner = _owner_pids(index_dir)
    if owner is None or not lifeline.alive(owner[0]) or not lifeline.is_qa_process(owner[0]):
        return None
    return owner[0]


def _acquire(index_dir: Path, lock: FileLock) -> None:
    """Take the lock, or take it over from an orphaned builder, or say who holds it."""
    try:
        lock.acquire()
        return
    except Timeout:
        owner = _owner_pids(index_dir)
    if owner is None or not _orphaned(*owner):
        raise BuildLockedError(
            f"another build is running{_lock_owner(index_dir)} (lock {index_dir / '.build.lock'} is held); "
            "wait for it to finish, then run the build again"
        ) from None
    log.warning(
        "build lock held by orphaned builder pid %d (its server pid %s is gone): ending it and taking the lock over",
        owner[0],
        owner[1],
    )
    lifeline.end(owner[0])
    try:
        lock.acquire(timeout=10)
    except Timeout:
        raise BuildLockedError(
            f"the orphaned builder pid {owner[0]} still holds {index_dir / '.build.lock'}; end it by hand"
        ) from None


def _record_owner(index_dir: Path) -> None:
    """Write who holds the lock, after noting a record a dead build left behind."""
    owner_file = index_dir / ".build.owner"
    stale = _owner_pids(index_dir) if owner_file.exists() else None
    if stale is not None and stale[0] != os.getpid():
        log.warning(
            "the last build (pid %d) ended without finishing; its leftovers are cleaned up",
            stale[0],
        )
    stamp = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    # A builder started by a server records it, so an orphan can be told from a build run by hand.
    parent = f" parent {os.getppid()}" if os.environ.get(lifeline.PARENT_ENV) else ""
    owner_file.write_text(f"pid {os.getpid()}{parent} since {stamp}\n", encoding="utf-8")


@contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """One build at a time (across processes); a second one is told who holds the lock.

    The lock is an flock, so it dies with its holder; a holder that outlived its server
    (an orphaned builder) is ended and the lock taken over, with a log line either way.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(index_dir / ".build.lock"), timeout=0)
    _acquire(index_dir, lock)
    try:
        _record_owner(index_dir)
        yield
    finally:
        # a record left behind means the holder died mid-build
        (index_dir / ".build.owner").unlink(missing_ok=True)
        lock.release()


# ---------------------------------------------------------------- leases


def take_lease(path: Path) -> int | None:
    """A shared flock on a version's manifest, held while the version is loaded.

    Pruning deletes a version only if it can take an exclusive lock, so no process
    ever loses files it still reads (locks die with their process, even on kill -9).
    """
    if not HAVE_FLOCK:
        return None
    fd = os.open(path / "manifest.json", os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise IndexUnavailableError(
            f"index version {path} is being deleted; load the version CURRENT names"
        ) from None
    return fd


def _in_use(path: Path) -> bool:
    """Does any process (this one included) hold a lease on this version?"""
    if not HAVE_FLOCK:
        return False
    try:
        fd = os.open(path / "manifest.json", os.O_RDONLY)
    except OSError:
        return False  # no manifest: nobody can have loaded it
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops the probe lock
    return False


# ---------------------------------------------------------------- pruning


def prune(index_dir: Path, keep: int) -> list[str]:
    """Drop old versions and leftovers of killed builds; returns what was deleted.

    Kept: the version CURRENT names, the newest `keep - 1` older ones (for rollback),
    and any version a process still has loaded (a lease). Versions newer than CURRENT
    are orphans of builds killed between rename and switch. Runs under the build lock,
    so no other build is writing meanwhile.
    """
    vdir = versions_dir(index_dir)
    current = current_version(index_dir)
    deleted: list[str] = []
    for tmp in vdir.glob(".tmp-*"):
        shutil.rmtree(tmp, ignore_errors=True)
        deleted.append(tmp.name)
    for tmp in index_dir.glob(".CURRENT.*.tmp"):
        tmp.unlink(missing_ok=True)
    if current is None:
        return deleted
    versions = sorted(p.name for p in vdir.iterdir() if p.is_dir() and not p.name.startswith("."))
    older = [v for v in versions if v < current]
    keep_names = {current, *older[len(older) - (keep - 1) :]} if keep > 1 else {current}
    for name in versions:
        if name in keep_names or _in_use(vdir / name):
            continue
        shutil.rmtree(vdir / name, ignore_errors=True)
        deleted.append(name)
    return deleted
