"""Issue 12's attacks on a real `qa-service serve`, on loopback, bounded in count and time.

Starts the server from the source tree given (`--src`, default this checkout's `src/`)
under an open-file limit of 1024 (soft and hard), runs each probe and prints one JSON
object of figures. Used for the before/after figures in docs/reliability.md:

    python benchmarks/edge_attacks.py --src src --out benchmarks/results/edge_after.json
    python benchmarks/edge_attacks.py --src /path/to/old/src --out benchmarks/results/edge_before.json

Every loop has a fixed count and a deadline; every socket is closed; the server is stopped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]
TOKEN = "edge-probe-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def wait_closed(socks: list[socket.socket], deadline_s: float) -> tuple[int, float]:
    """How many of `socks` the server closed within `deadline_s`, and when the last one went."""
    for s in socks:
        s.setblocking(False)
    open_ = set(range(len(socks)))
    t0 = time.monotonic()
    last = 0.0
    while open_ and time.monotonic() - t0 < deadline_s:
        for i in list(open_):
            try:
                if socks[i].recv(65536) == b"":
                    open_.discard(i)
                    last = time.monotonic() - t0
            except BlockingIOError:
                continue
            except OSError:
                open_.discard(i)
                last = time.monotonic() - t0
        time.sleep(0.05)
    return len(socks) - len(open_), round(last, 2)


def status_of(port: int, raw: bytes, timeout: float = 10) -> str:
    with connect(port) as s:
        s.settimeout(timeout)
        try:
            s.sendall(raw)
            data = s.recv(200)
        except OSError as e:
            return f"error: {type(e).__name__}"
    return data.split(b"\r\n", 1)[0].decode(errors="replace") or "closed without an answer"


def probe(port: int, pid: int) -> dict[str, object]:
    url = f"http://127.0.0.1:{port}"
    out: dict[str, object] = {}
    proc = psutil.Process(pid)

    # slow headers: 200 connections sending one header byte every second, watched for 20 s
    socks = [connect(port) for _ in range(200)]
    for s in socks:
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
    t0 = time.monotonic()
    alive = len(socks)
    while time.monotonic() - t0 < 20 and alive:
        alive = 0
        for s in socks:
            try:
                s.sendall(b"X")
                alive += 1
            except OSError:
                pass
        time.sleep(1.0)
    out["slow_header_connections_open_after_20s"] = alive
    out["slow_header_seconds_until_all_closed"] = (
        round(time.monotonic() - t0, 1) if not alive else None
    )
    for s in socks:
        s.close()
    time.sleep(1)

    # 1,100 idle connections, then a normal request, then the same request 12 s later
    socks = []
    for _ in range(1100):
        try:
            socks.append(connect(port))
        except OSError:
            break
    time.sleep(0.5)
    try:
        out["idle_1100_then_health"] = httpx.get(f"{url}/api/health", timeout=5).status_code
    except httpx.HTTPError as e:
        out["idle_1100_then_health"] = f"error: {type(e).__name__}"
    time.sleep(12)
    try:
        out["idle_1100_then_health_12s_later"] = httpx.get(
            f"{url}/api/health", timeout=5
        ).status_code
    except httpx.HTTPError as e:
        out["idle_1100_then_health_12s_later"] = f"error: {type(e).__name__}"
    out["idle_1100_closed_by_server_within_15s"] = wait_closed(socks, 3)[0]
    for s in socks:
        s.close()
    time.sleep(1)

    # ten unfinished 40 MB headers (each sender stops at 40 MB or when the server hangs up)
    rss0 = proc.memory_info().rss
    socks = [connect(port) for _ in range(10)]
    sent = [0] * 10
    chunk = b"a" * 262144
    for i, s in enumerate(socks):
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
        s.settimeout(2)
        try:
            while sent[i] < 40 * 1024 * 1024:
                s.sendall(chunk)
                sent[i] += len(chunk)
        except OSError:
            pass
    time.sleep(1)
    out["big_headers_rss_mb_before_after"] = [
        round(rss0 / 2**20),
        round(proc.memory_info().rss / 2**20),
    ]
    out["big_headers_mb_accepted_per_connection_max"] = round(max(sent) / 2**20, 2)
    for s in socks:
        s.close()

    big = (
        b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (16 * 1024 * 1024) + b"\r\n\r\n"
    )
    out["header_16mb"] = status_of(port, big, 30)
    many = (
        b"GET /api/health HTTP/1.1\r\nHost: x\r\n"
        + b"".join(b"X-%d: v\r\n" % i for i in range(100_000))
        + b"\r\n"
    )
    out["headers_100000"] = status_of(port, many, 30)

    # client faults: a malformed chunked body and three hang-ups, then the 5xx count in /metrics
    status_of(
        port,
        b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    )
    for _ in range(3):
        with connect(port) as s:
            s.sendall(b'POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{"q')
            time.sleep(0.2)
    time.sleep(0.5)
    metrics = httpx.get(f"{url}/metrics", timeout=10).text
    out["metrics_5xx_after_client_faults"] = sum(
        float(ln.split()[-1])
        for ln in metrics.splitlines()
        if ln.startswith("qa_http_requests_total") and 'status="5' in ln
    )

    # 15 questions with spoofed X-Forwarded-For against a limit of 10
    codes = [
        httpx.post(
            f"{url}/api/search",
            json={"query": "APRA"},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
            timeout=30,
        ).status_code
        for i in range(15)
    ]
    out["spoofed_xff_15_passed"] = codes.count(200)

    # 15 wrong admin tokens
    codes = [
        httpx.post(
            f"{url}/api/admin/reindex", headers={"Authorization": f"Bearer guess-{i}"}, timeout=10
        ).status_code
        for i in range(15)
    ]
    out["wrong_admin_tokens_15"] = {str(c): codes.count(c) for c in sorted(set(codes))}

    # /docs: does the page load anything from another origin?
    docs = httpx.get(f"{url}/docs", timeout=10).text
    out["docs_assets_from_cdn"] = "cdn.jsdelivr.net" in docs
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--src", type=Path, default=REPO / "src")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="edge-"))
    corpus = work / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(args.src.resolve()),
        "QA_CORPUS_DIR": str(corpus),
        "QA_INDEX_DIR": str(work / "index"),
        "QA_RATE_LIMIT_PER_MINUTE": "10",
        "QA_ADMIN_TOKEN": TOKEN,
        "QA_REQUEST_LOG": "false",
        "HF_HUB_OFFLINE": "1",
    }
    cmd = f"ulimit -n 1024 && exec {sys.executable} -m qa_service.cli serve --port {port}"
    server = subprocess.Popen(
        ["bash", "-c", cmd], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.time() + 600
        while time.time() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        figures = {"src": str(args.src), **probe(port, server.pid)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    text = json.dumps(figures, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
