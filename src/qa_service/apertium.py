"""Apertium, kept running: one long-lived pipeline per process, fed in null-flush mode.

`apertium spa-eng` as a command starts ten programs and loads their dictionaries for each
question (~300-450 ms). Every Apertium stage takes `-z`: after a NUL byte it flushes its
output, so one pipeline stays up and a translation costs a few milliseconds. The pipeline
is the pair's own mode file rewritten by `apertium-wblank-mode -z` (what the `apertium`
script itself runs for `-z`); the text is escaped into Apertium's stream format here,
since the text deformatter (`apertium-destxt`) does not flush on NUL.

A pipe that dies or stops answering is killed and started again on the next call; calls
are serialised by a lock, so the service's request threads can share one pipe.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import select
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

MODES = Path("/usr/share/apertium/modes")
# A question translates in 2-6 ms once the pipe is warm; the first call loads the
# dictionaries (~0.3 s). Ten seconds is far beyond both: a pipe this slow is stuck.
TIMEOUT_S = 10.0
# Characters that mean something in Apertium's stream format, escaped as `apertium-destxt` does.
_SPECIAL = re.compile(r"([\\\[\]^$<>@{}/])")
_ESCAPED = re.compile(r"\\(.)")


class ApertiumError(RuntimeError):
    """The pipeline could not be started or did not answer."""


def escape(text: str) -> str:
    """Plain text as Apertium's stream format reads it, on one line.

    The trailing blank matters: a stage ends a word only when it sees the character after it,
    so without it the last word waits for the next request.
    """
    return _SPECIAL.sub(r"\\\1", re.sub(r"[\s\0]+", " ", text).strip()) + " "


def unescape(text: str) -> str:
    """Stream format back to plain text."""
    return _ESCAPED.sub(r"\1", text)


def available(mode: str = "spa-eng") -> bool:
    """Are Apertium and the pair's mode installed (`scripts/ensure-apertium.sh`)?"""
    return (
        shutil.which("apertium-wblank-mode") is not None
        and shutil.which("lt-proc") is not None
        and (MODES / f"{mode}.mode").is_file()
    )


class Pipe:
    """One long-lived null-flush process: text in, its output back, a NUL between requests."""

    def __init__(self, command: list[str], *, timeout_s: float = TIMEOUT_S) -> None:
        """`command`: an argv whose every stage flushes on NUL (`-z`)."""
        if not command:
            raise ValueError("a pipe needs a command")
        self.command = command
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._owner = os.getpid()  # a forked worker must not share its parent's pipe

    def _start(self) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so close() ends every stage
        )
        log.info("apertium pipe started (pid %s)", proc.pid)
        return proc

    def close(self) -> None:
        """End the process and its stages (the next call starts a new one)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()

    def _read_reply(self, proc: subprocess.Popen[bytes]) -> bytes:
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
        deadline = time.monotonic() + self.timeout_s
        buf = bytearray()
        while not buf.endswith(b"\0"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                raise ApertiumError(f"no answer within {self.timeout_s} s")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise ApertiumError("the pipeline ended")
            buf += chunk
        return bytes(buf[:-1])

    def _once(self, data: bytes) -> bytes:
        if self._owner != os.getpid():  # forked: the process belongs to the parent
            self._proc, self._owner = None, os.getpid()
        if self._proc is None or self._proc.poll() is not None:
            self._proc = self._start()
        assert self._proc.stdin is not None
        self._proc.stdin.write(data + b"\0")
        self._proc.stdin.flush()
        return self._read_reply(self._proc)

    def run(self, text: str) -> str:
        """The pipeline's output for one stream-format text; one restart if the process died."""
        data = text.encode("utf-8")
        with self._lock:
            for attempt in (1, 2):
                try:
                    return self._once(data).decode("utf-8", errors="replace")
                except (OSError, ApertiumError) as e:
                    self.close()
                    if attempt == 2:
                        raise ApertiumError(str(e)) from e
                    log.warning("apertium pipe failed (%s): starting it again", e)
        raise AssertionError("unreachable")


def _mode_command(mode: str, part: str = "") -> list[str]:
    """The pair's pipeline with `-z` on every stage, as a bash command.

    The generator runs with `-g`: a word the dictionary lacks comes out marked ("*indultar"),
    so a caller can tell a translation from a word passed through (`translate` drops the marks).
    `part`: "front", the stages up to lexical selection (`lrx-proc`), whose output gives each
    word every translation the bilingual dictionary has; "back", the stages after it.
    """
    script = subprocess.run(
        ["apertium-wblank-mode", "-z", str(MODES / f"{mode}.mode")],
        capture_output=True,
        text=True,
        check=True,
        timeout=TIMEOUT_S,
    ).stdout.strip()
    if part:
        stages = script.split(" | ")
        cut = next((i + 1 for i, st in enumerate(stages) if "lrx-proc" in st), None)
        if cut is None:
            raise ApertiumError(f"no lexical selection stage in the {mode} mode")
        script = " | ".join(stages[:cut] if part == "front" else stages[cut:])
    # The mode file's $1 is the generator's unknown-word option, $2 the tagger's.
    return ["bash", "-c", script, mode, "-g", ""]


@lru_cache(maxsize=8)
def _half(mode: str, part: str) -> Pipe:
    """The process's pipe for one half of a pair's pipeline (`_mode_command`)."""
    return Pipe(_mode_command(mode, part))


@lru_cache(maxsize=4)
def translator(mode: str = "spa-eng") -> Pipe:
    """The process's one translation pipe for a pair direction."""
    return Pipe(_mode_command(mode))


@lru_cache(maxsize=4)
def analyser(mode: str = "spa-eng") -> Pipe:
    """The process's one morphological analyser of the pair's source language (`lt-proc -z`)."""
    found = re.search(r"lt-proc\s+'([^']*automorf\.bin)'", (MODES / f"{mode}.mode").read_text())
    if found is None:
        raise ApertiumError(f"no analyser in the {mode} mode")
    return Pipe(["lt-proc", "-z", found.group(1)])


# Apertium's marks: `*` a word the analyser lacks, `@` one the bilingual dictionary lacks,
# `#` one the generator could not inflect.
_MARK = re.compile(r"(?<![\w*@#])[*@#](?=\w)")


def translate_marked(
    text: str, mode: str = "spa-eng", choose: Callable[[str], str] | None = None
) -> str:
    """Plain text translated, each word Apertium could not translate marked with `*`, `@` or `#`.

    `choose`: rewrites the stream after lexical selection, where each word still carries every
    translation the dictionary gives ("^carta<n><f><sg>/card<n><sg>/letter<n><sg>$"), the first
    of which the rest of the pipeline uses.
    """
    if choose is None:
        return unescape(translator(mode).run(escape(text))).strip()
    chosen = choose(_half(mode, "front").run(escape(text)))
    return unescape(_half(mode, "back").run(chosen)).strip()


def translate(text: str, mode: str = "spa-eng") -> str:
    """Plain text translated (unknown words pass through, unmarked)."""
    return _MARK.sub("", translate_marked(text, mode))


def analyse(words: list[str], mode: str = "spa-eng") -> dict[str, list[str]]:
    """Each word's analyses as `lemma<tag><tag>` strings; an empty list for an unknown word.

    Commas keep the words apart, so the analyser never joins two into one multiword unit.
    """
    out = analyser(mode).run(" , ".join(escape(w).strip() for w in words) + " ")
    readings: dict[str, list[str]] = {w: [] for w in words}
    for unit in re.findall(r"\^((?:\\.|[^$\\])*)\$", out):
        surface, *parts = re.split(r"(?<!\\)/", unit)
        if surface != "," and parts and not parts[0].startswith("*"):
            readings[unescape(surface)] = parts
    return readings
