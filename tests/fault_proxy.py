"""A fault layer at the HTTP/TCP level, between a client and a sandbox, independent of the sandbox's own faults.

The client talks HTTP/1.1 (keep-alive) to the proxy; the proxy forwards each request over a fresh connection to the
sandbox and hands the answer back, or, when its plan says so for that request, misbehaves the way networks and
gateways do:

    clean          forward, answer
    drop_answer    forward, then close the client's connection without answering
    reset          close the client's connection without forwarding
    gateway_502    answer 502 without forwarding (no Paradex error code)
    gateway_503    answer 503 without forwarding
    cut_pending    forward, then send the head and half the body, and close (Content-Length still pending)
    cut_short      forward, then send half the body with a Content-Length that matches it
    garble         forward, then send the body as junk bytes of the same length
    hold           hold the request past the client's timeout, then forward it (the answer has nobody to go to)
    gateway_524    answer 524 (a CDN's "a timeout occurred", a status ccxt does not map) without forwarding
    late_524       forward, then answer 524 instead of the sandbox's answer
    not_an_order   forward, then answer 200 with a JSON body that is no Paradex answer (``{}``)
    throttle_429   answer 429 without forwarding (a rate limiter in front of Paradex)
"""
from __future__ import annotations

import asyncio
import random
from collections import Counter
from collections.abc import Callable

FAULTS = ("drop_answer", "reset", "gateway_502", "gateway_503", "cut_pending", "cut_short", "garble", "hold",
          "gateway_524", "late_524", "not_an_order", "throttle_429")
Plan = Callable[[str, str], str]


def random_plan(seed: int, rate: float = 0.3) -> Plan:
    """Fault about `rate` of all requests, each fault kind equally likely, reproducibly from `seed`."""
    rng = random.Random(seed)

    def plan(method: str, path: str) -> str:
        return rng.choice(FAULTS) if rng.random() < rate else "clean"

    return plan


class FaultProxy:
    def __init__(self, upstream: str, plan: Plan, hold: float = 2.0) -> None:
        host, port = upstream.removeprefix("http://").split("/")[0].split(":")
        self.upstream = (host, int(port))
        self.plan = plan
        self.hold = hold
        self.counts: Counter[str] = Counter()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task] = set()

    async def start(self) -> str:
        """Listen on 127.0.0.1; returns the proxy's base URL."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            while await self._one_request(reader, writer):
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._tasks.discard(task)
            writer.transport.abort()

    async def _one_request(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Handle one request; False when the client's connection is to be closed."""
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers = [line for line in lines[1:] if line]
        length = next((int(h.split(":", 1)[1]) for h in headers if h.lower().startswith("content-length:")), 0)
        body = await reader.readexactly(length) if length else b""
        fault = self.plan(method, target.split("?")[0])
        self.counts[fault] += 1
        if fault == "reset":
            return False
        if fault in ("gateway_502", "gateway_503", "gateway_524", "throttle_429"):
            await self._gateway_page(writer, fault[-3:])
            return True
        if fault == "hold":
            await asyncio.sleep(self.hold)
            await self._forward(method, target, headers, body)
            return False
        status_line, reply_headers, reply = await self._forward(method, target, headers, body)
        if fault == "drop_answer":
            return False
        if fault == "late_524":
            await self._gateway_page(writer, "524")
            return True
        if fault == "not_an_order":
            status_line, reply = "HTTP/1.1 200 OK", b"{}"
            reply_headers = ["Content-Type: application/json"]
        if fault == "cut_pending":
            writer.write(self._head(status_line, reply_headers, len(reply)) + reply[:len(reply) // 2])
            await writer.drain()
            return False
        if fault == "cut_short":
            reply = reply[:len(reply) // 2]
        elif fault == "garble":
            reply = bytes(random.Random(len(reply)).choice(b"#%&!?~") for _ in reply)
        writer.write(self._head(status_line, reply_headers, len(reply)) + reply)
        await writer.drain()
        return True

    async def _forward(self, method: str, target: str, headers: list[str], body: bytes) -> tuple[str, list[str], bytes]:
        reader, writer = await asyncio.open_connection(*self.upstream)
        try:
            kept = [h for h in headers if not h.lower().startswith(("connection:", "keep-alive:"))]
            writer.write("\r\n".join([f"{method} {target} HTTP/1.1", *kept, "Connection: close", "", ""]).encode()
                         + body)
            await writer.drain()
            raw = await reader.read()
        finally:
            writer.close()
        head, _, reply = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        reply_headers = [h for h in lines[1:] if not h.lower().startswith(
            ("content-length:", "connection:", "keep-alive:", "transfer-encoding:"))]
        return lines[0], reply_headers, reply

    @staticmethod
    async def _gateway_page(writer: asyncio.StreamWriter, status: str) -> None:
        page = b"<html><body>gateway error</body></html>"
        writer.write(f"HTTP/1.1 {status} Gateway\r\nContent-Type: text/html\r\nContent-Length: {len(page)}\r\n"
                     f"\r\n".encode() + page)
        await writer.drain()

    @staticmethod
    def _head(status_line: str, headers: list[str], length: int) -> bytes:
        return "\r\n".join([status_line, *headers, f"Content-Length: {length}", "", ""]).encode("latin-1")
