"""The server's memory while large bodies arrive at once (issue 15, item 11).

    uv run python -m benchmarks.body_flood [--mb 50] [--clients 4]

Starts the real server (`muskan-server serve`, SQLite in a temporary folder) as a
subprocess, then sends rounds of `--clients` simultaneous bodies of `--mb` MB each over raw
sockets, to /v1/officers/login and /v1/push, with a Content-Length and chunked (no length).
The sender streams 64 KB pieces and stops as soon as the server answers (as a client that
reads the early answer would). The server process's resident memory (VmRSS, and the kernel's
high-water mark VmHWM) is sampled every 10 ms from /proc. Prints, per round: memory before,
peak during, after; each answer's status and error code; how much of the body was sent
before the answer; the time.

The last round sends the same with an enrolled laptop's valid token to /v1/push: the bodies
are then read up to the push limit (32 MB by default) before the 413.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PIECE = b"x" * (64 * 1024)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def proc_memory(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KB."""
    rss = hwm = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1])
    return rss, hwm


class Server:
    """`muskan-server serve` on a fresh SQLite home; stderr kept in a file."""

    def __init__(
        self,
        home: Path,
        *extra: str,
        db: str | None = None,
        command: list[str] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.home, self.db = home, db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        exe = shutil.which("muskan-server", path=str(Path(sys.executable).parent))
        cmd = list(
            command or ([exe] if exe else [sys.executable, "-m", "muskan_desktop.server.cli"])
        )
        cmd += ["--home", str(home), *(["--db", db] if db else [])]
        cmd += ["serve", "--port", str(self.port), *extra]
        self.log_path = home / "server-stderr.log"
        home.mkdir(parents=True, exist_ok=True)
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            cmd,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            env={**os.environ, **(env or {}), "PYTHONPATH": str(ROOT)},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stop(self) -> str:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.close()
        return self.log_path.read_text(errors="replace")


class Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_rss = 0
        self.hwm = 0
        self.running = True

    def run(self) -> None:
        while self.running:
            try:
                rss, hwm = proc_memory(self.pid)
            except OSError:
                return
            self.peak_rss = max(self.peak_rss, rss)
            self.hwm = max(self.hwm, hwm)
            time.sleep(0.01)


@dataclass
class Answer:
    status: int = 0
    error: str = ""
    sent: int = 0
    note: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


def _read_answer(sock: socket.socket, ans: Answer, timeout: float = 30.0) -> None:
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            got = sock.recv(65536)
            if not got:
                break
            data += got
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        if not lines or not lines[0].startswith("HTTP/"):
            ans.note = ans.note or "no answer"
            return
        ans.status = int(lines[0].split()[1])
        ans.headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        want = int(ans.headers.get("content-length", "0"))
        while len(rest) < want:
            got = sock.recv(65536)
            if not got:
                break
            rest += got
        ans.body = rest[:want]
        try:
            ans.error = str(json.loads(ans.body).get("error", ""))
        except ValueError:
            ans.error = ans.body[:60].decode(errors="replace")
    except OSError as exc:
        ans.note = ans.note or f"reading the answer: {type(exc).__name__}"


def send_body(port: int, path: str, size: int, chunked: bool, token: str | None = None) -> Answer:
    """POST `size` bytes to `path`, stopping as soon as the server answers."""
    ans = Answer()
    head = [
        f"POST {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "Content-Type: application/json",
        "X-Muskan-Schema: 0009",
    ]
    if token:
        head.append(f"Authorization: Bearer {token}")
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {size}")
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        while ans.sent < size:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break  # the server answered (or closed) before the whole body
            piece = PIECE[: size - ans.sent]
            try:
                if chunked:
                    sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
                else:
                    sock.sendall(piece)
            except OSError as exc:
                ans.note = f"sending stopped: {type(exc).__name__}"
                break
            ans.sent += len(piece)
        else:
            if chunked:
                try:
                    sock.sendall(b"0\r\n\r\n")
                except OSError as exc:
                    ans.note = f"sending stopped: {type(exc).__name__}"
        _read_answer(sock, ans)
    finally:
        sock.close()
    return ans


def flood(server: Server, jobs: list[tuple[str, bool, str | None]], size: int) -> dict[str, Any]:
    """Send the jobs at once; memory before/peak/after and the answers."""
    time.sleep(0.5)
    before, hwm_before = proc_memory(server.pid)
    sampler = Sampler(server.pid)
    sampler.start()
    answers: list[Answer] = [Answer() for _ in jobs]

    def run(i: int, path: str, chunked: bool, token: str | None) -> None:
        answers[i] = send_body(server.port, path, size, chunked, token)

    threads = [threading.Thread(target=run, args=(i, *job)) for i, job in enumerate(jobs)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - t0
    time.sleep(0.5)
    sampler.running = False
    sampler.join()
    after, hwm_after = proc_memory(server.pid)
    return {
        "before_kb": before,
        "peak_kb": max(sampler.peak_rss, after),
        "after_kb": after,
        "hwm_before_kb": hwm_before,
        "hwm_after_kb": max(hwm_after, sampler.hwm),
        "seconds": round(took, 2),
        "answers": [
            {
                "path": job[0],
                "framing": "chunked" if job[1] else "content-length",
                "token": bool(job[2]),
                "status": a.status,
                "error": a.error,
                "sent_mb": round(a.sent / 1024 / 1024, 2),
                "note": a.note,
            }
            for job, a in zip(jobs, answers, strict=True)
        ],
    }


def enrolled_token(server: Server) -> str:
    """A station and an enrolled laptop on the running server (its SQLite file)."""
    import httpx

    from muskan_desktop import places
    from muskan_desktop.server.store import ServerStore

    store = ServerStore(server.home, server.db)
    try:
        info = places.stations()[0]
        store.add_station(info.code)
        code = store.enrollment_code(info.code)
    finally:
        store.close()
    r = httpx.post(
        server.url + "/v1/enroll",
        json={"code": code, "label": "flood"},
        headers={"X-Muskan-Schema": "0009"},
    )
    r.raise_for_status()
    return str(r.json()["token"])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--mb", type=int, default=50)
    p.add_argument("--clients", type=int, default=4)
    p.add_argument("--no-token-round", action="store_true")
    args = p.parse_args(argv)
    size = args.mb * 1024 * 1024
    n = args.clients
    rounds: list[tuple[str, list[tuple[str, bool, str | None]]]] = [
        (
            "mixed: login and push, with and without Content-Length",
            [
                ("/v1/officers/login", False, None),
                ("/v1/officers/login", True, None),
                ("/v1/push", False, None),
                ("/v1/push", True, None),
            ][:n],
        ),
        ("login, Content-Length", [("/v1/officers/login", False, None)] * n),
        ("login, chunked", [("/v1/officers/login", True, None)] * n),
        ("push without a token, Content-Length", [("/v1/push", False, None)] * n),
        ("push without a token, chunked", [("/v1/push", True, None)] * n),
    ]
    with tempfile.TemporaryDirectory(prefix="muskan-flood-") as tmp:
        server = Server(Path(tmp) / "server")
        try:
            start_rss, _ = proc_memory(server.pid)
            print(f"server pid {server.pid}, resident at start {start_rss / 1024:.1f} MB")
            if not args.no_token_round:
                token = enrolled_token(server)
                rounds.append(
                    (
                        "push WITH an enrolled laptop's token, chunked (read up to the limit)",
                        [("/v1/push", True, token)] * n,
                    )
                )
            for title, jobs in rounds:
                out = flood(server, jobs, size)
                print(f"\n## {len(jobs)} x {args.mb} MB at once: {title}")
                grew = (out["peak_kb"] - out["before_kb"]) / 1024
                print(
                    f"RSS before {out['before_kb'] / 1024:.1f} MB, peak during "
                    f"{out['peak_kb'] / 1024:.1f} MB (+{grew:.1f} MB), "
                    f"after {out['after_kb'] / 1024:.1f} MB; VmHWM "
                    f"{out['hwm_before_kb'] / 1024:.1f} -> {out['hwm_after_kb'] / 1024:.1f} MB; "
                    f"{out['seconds']} s"
                )
                for a in out["answers"]:
                    print(
                        f"  {a['path']:<20} {a['framing']:<15} token={a['token']!s:<5} -> "
                        f"{a['status']} {a['error']:<18} after {a['sent_mb']} MB sent "
                        f"{a['note']}"
                    )
        finally:
            log = server.stop()
        print(f"\nserver stderr: {len(log.splitlines())} line(s)")
        for line in log.splitlines()[:20]:
            print("  " + line[:200])
    return 0


if __name__ == "__main__":
    sys.exit(main())
