"""Bring the reference deployment up on one machine: Redis, one builder, replicas, nginx.

    python deploy/stack.py --port 8080 --replicas 2 [--corpus corpus] [--index index]

Every part is a local process on a loopback port: redis-server (the shared rate limit),
`python -m qa_service.publisher` (the one builder, writing versions into the index
folder), `qa-service serve` per replica (following index/CURRENT, trusting
X-Forwarded-For only from nginx's own address) and nginx (deploy/nginx.conf.template).
Ctrl-C stops them all. tests/test_deploy.py drives the same `Stack` class.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
PROXY_BIND = "127.0.0.3"  # nginx connects to replicas from here; only this address is trusted


def free_port() -> int:
    """A TCP port nothing listens on right now (loopback)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get_json(url: str, timeout: float = 5.0) -> dict[str, object]:
    """GET a JSON document (raises on any failure)."""
    with urllib.request.urlopen(url, timeout=timeout) as r:
        data: dict[str, object] = json.loads(r.read())
        return data


@dataclass
class Stack:
    """The processes of one deployment, started and stopped together."""

    corpus_dir: Path
    index_dir: Path
    run_dir: Path
    port: int = 0
    replicas: int = 2
    rate_per_minute: int = 600
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        self.redis_port = free_port()
        self.replica_ports = [free_port() for _ in range(self.replicas)]

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.run_dir / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        self.procs[name] = subprocess.Popen(
            cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def env(self) -> dict[str, str]:
        """What the builder and every replica share: corpus, index folder, Redis, the proxy."""
        return {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "QA_CORPUS_DIR": str(self.corpus_dir.resolve()),
            "QA_INDEX_DIR": str(self.index_dir.resolve()),
            "QA_RATE_LIMIT_STORAGE": f"redis://127.0.0.1:{self.redis_port}/0",
            "QA_RATE_LIMIT_PER_MINUTE": str(self.rate_per_minute),
            "QA_TRUSTED_PROXIES": json.dumps([PROXY_BIND]),
            "QA_REQUEST_LOG": "false",
        }

    def start(self, timeout: float = 240.0) -> None:
        """Redis, then the builder's first version, then the replicas, then nginx; waits for each."""
        redis_args = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self._spawn(
            "redis",
            [REDIS, "--port", str(self.redis_port), *redis_args, "--dir", str(self.run_dir)],
        )
        self._spawn("builder", [sys.executable, "-m", "qa_service.publisher"], self.env())
        deadline = time.monotonic() + timeout
        while not (self.index_dir / "CURRENT").exists():
            self._alive("builder", deadline)
        for i in range(self.replicas):
            self.start_replica(i, wait=False)
        for i in range(self.replicas):
            self.wait_replica(i, deadline)
        self._start_nginx()

    def _alive(self, name: str, deadline: float) -> None:
        proc = self.procs[name]
        if proc.poll() is not None:
            raise RuntimeError(
                f"{name} exited with {proc.returncode}; see {self.run_dir}/{name}.log"
            )
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} not ready in time; see {self.run_dir}/{name}.log")
        time.sleep(0.3)

    def start_replica(self, i: int, wait: bool = True) -> None:
        """Start replica `i` (again) on its port; with `wait`, until /api/health answers."""
        cmd = [
            sys.executable,
            "-m",
            "qa_service.cli",
            "serve",
            "--port",
            str(self.replica_ports[i]),
        ]
        self._spawn(f"replica-{i}", cmd, self.env())
        if wait:
            self.wait_replica(i, time.monotonic() + 180)

    def wait_replica(self, i: int, deadline: float) -> None:
        """Until replica `i` answers /api/health."""
        while True:
            try:
                self.health(i)
                return
            except OSError:
                self._alive(f"replica-{i}", deadline)

    def health(self, i: int) -> dict[str, object]:
        """Replica `i`'s own /api/health (straight to it, not through nginx)."""
        return get_json(f"http://127.0.0.1:{self.replica_ports[i]}/api/health")

    def kill_replica(self, i: int) -> None:
        """SIGKILL replica `i`: no goodbye, as a crash or a lost machine."""
        proc = self.procs.pop(f"replica-{i}")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def _start_nginx(self) -> None:
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in self.replica_ports
        )
        conf = string.Template((HERE / "nginx.conf.template").read_text()).safe_substitute(
            run=str(self.run_dir.resolve()),
            listen=f"127.0.0.1:{self.port}",
            servers=servers,
            proxy_bind=PROXY_BIND,
        )
        path = self.run_dir / "nginx.conf"
        path.write_text(conf)
        self._spawn("nginx", [NGINX, "-p", str(self.run_dir.resolve()), "-c", str(path.resolve())])
        deadline = time.monotonic() + 30
        while True:
            try:
                get_json(f"http://127.0.0.1:{self.port}/api/health")
                return
            except OSError:
                self._alive("nginx", deadline)

    def stop(self) -> None:
        """SIGTERM every process (nginx first), then SIGKILL what is left after 10 s."""
        order = ["nginx"] + [n for n in self.procs if n != "nginx"]
        for name in order:
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name in order:
            proc = self.procs.pop(name, None)
            if proc is None:
                continue
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def main() -> None:
    """Bring the stack up and keep it up until Ctrl-C."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--port", type=int, default=8080, help="nginx's port (loopback)")
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--corpus", type=Path, default=Path("corpus"))
    ap.add_argument("--index", type=Path, default=Path("index"))
    ap.add_argument(
        "--run-dir", type=Path, default=Path("deploy/run"), help="logs, pids, nginx.conf"
    )
    args = ap.parse_args()
    stack = Stack(args.corpus, args.index, args.run_dir, args.port, args.replicas)
    try:
        stack.start()
        print(
            f"nginx on http://127.0.0.1:{stack.port}; replicas on {stack.replica_ports}; "
            f"redis on {stack.redis_port}; logs in {args.run_dir}; Ctrl-C stops",
            flush=True,
        )
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    finally:
        stack.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    main()
