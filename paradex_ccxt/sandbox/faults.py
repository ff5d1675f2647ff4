"""Per-test fault injection for the sandbox's HTTP layer.

A fault is a rule: which requests it hits (HTTP method and a glob on the path), how many times it fires, and
what goes wrong. The server asks `Faults.take(method, path)` once per /v1 request and applies whatever fired:

    sb.faults.error(503, method="POST", path="/v1/orders")      # next order POST -> 503, order not placed
    sb.faults.drop_after(path="/v1/orders", method="POST")       # order placed, client sees a dropped connection
    sb.faults.latency(0.2, path="/v1/orders*", count=None)       # every order call 200 ms slower, until cleared

The same rules can be added over HTTP (POST /_sandbox/faults with the JSON form of a `Fault`), so a sandbox run
from the command line can be disturbed by a test driver in another process.
"""
from __future__ import annotations

import fnmatch
import itertools
import threading
from dataclasses import asdict, dataclass, field, fields
from enum import Enum
from typing import Any


class FaultKind(str, Enum):
    # Before the request is processed: nothing happens on the exchange.
    LATENCY = "latency"  # wait `delay` seconds, then process normally
    ERROR = "error"  # answer `status` (5xx by default) with Paradex's error body, or `body` verbatim
    THROTTLE = "throttle"  # answer 429 as the rate limiter would
    DROP_BEFORE = "drop_before"  # close the connection without processing the request
    EXPIRE_JWT = "expire_jwt"  # every login JWT issued so far stops working, this request's included
    # After the request is processed: the effect (an order placed, a cancel queued) is real.
    DROP_AFTER = "drop_after"  # close the connection instead of sending the response
    MALFORMED = "malformed"  # send the response with its body cut short (invalid JSON)
    EMPTY = "empty"  # send the response status with an empty body

    @property
    def after_processing(self) -> bool:
        return self in (FaultKind.DROP_AFTER, FaultKind.MALFORMED, FaultKind.EMPTY)


_ids = itertools.count(1)


@dataclass
class Fault:
    kind: FaultKind
    method: str = "*"
    path: str = "*"  # fnmatch glob on the request path, e.g. "/v1/orders" or "/v1/orders*"
    count: int | None = 1  # how many times it fires; None = until removed
    skip: int = 0  # matching requests let through untouched before it starts firing
    delay: float = 0.0  # LATENCY: seconds
    status: int = 503  # ERROR: HTTP status
    error: str = "SERVICE_UNAVAILABLE"  # ERROR: Paradex error code in the body
    message: str = "service unavailable (injected fault)"
    body: str | None = None  # ERROR: raw body instead of the JSON error (e.g. a proxy's HTML page)
    id: int = field(default_factory=lambda: next(_ids))
    seen: int = 0  # matching requests so far
    hits: int = 0  # times it fired

    def __post_init__(self) -> None:
        self.kind = FaultKind(self.kind)
        self.method = self.method.upper()
        if self.count is not None and self.count < 1:
            raise ValueError("count must be >= 1 or None")
        if self.skip < 0 or self.delay < 0:
            raise ValueError("skip and delay must not be negative")

    def matches(self, method: str, path: str) -> bool:
        return (self.method == "*" or self.method == method.upper()) and fnmatch.fnmatchcase(path, self.path)

    @property
    def exhausted(self) -> bool:
        return self.count is not None and self.hits >= self.count

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fault:
        settable = {f.name for f in fields(cls)} - {"id", "seen", "hits"}
        unknown = set(data) - settable
        if unknown:
            raise ValueError(f"unknown fault fields: {sorted(unknown)}")
        if "kind" not in data:
            raise ValueError("a fault needs a kind")
        return cls(**data)


class Faults:
    """The active fault rules of one sandbox. Thread-safe: tests may add rules from another thread."""

    def __init__(self) -> None:
        self._rules: list[Fault] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._rules.append(fault)
        return fault

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            before = len(self._rules)
            self._rules = [rule for rule in self._rules if rule.id != fault_id]
            return len(self._rules) < before

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    @property
    def rules(self) -> list[Fault]:
        with self._lock:
            return list(self._rules)

    def take(self, method: str, path: str) -> list[Fault]:
        """The faults that fire for this request, in the order they were added; spent rules are dropped."""
        fired: list[Fault] = []
        with self._lock:
            for rule in self._rules:
                if not rule.matches(method, path):
                    continue
                rule.seen += 1
                if rule.seen > rule.skip:
                    rule.hits += 1
                    fired.append(rule)
            self._rules = [rule for rule in self._rules if not rule.exhausted]
        return fired

    # -- one helper per kind; keyword arguments are the Fault's scope (method, path, count, skip) ---------------

    def latency(self, seconds: float, **scope: Any) -> Fault:
        return self.add(Fault(FaultKind.LATENCY, delay=seconds, **scope))

    def error(self, status: int = 503, error: str | None = None, message: str | None = None,
              body: str | None = None, **scope: Any) -> Fault:
        code = error or ("SERVICE_UNAVAILABLE" if status in (502, 503, 504) else "INTERNAL_ERROR")
        text = message or f"{code.lower().replace('_', ' ')} (injected fault)"
        return self.add(Fault(FaultKind.ERROR, status=status, error=code, message=text, body=body, **scope))

    def throttle(self, **scope: Any) -> Fault:
        return self.add(Fault(FaultKind.THROTTLE, **scope))

    def drop_before(self, **scope: Any) -> Fault:
        return self.add(Fault(FaultKind.DROP_BEFORE, **scope))

    def drop_after(self, **scope: Any) -> Fault:
        return self.add(Fault(FaultKind.DROP_AFTER, **scope))

    def malformed(self, **scope: Any) -> Fault:
        return self.add(Fault(FaultKind.MALFORMED, **scope))

    def empty(self, **scope: Any) -> Fault:
        return self.add(Fault(FaultKind.EMPTY, **scope))

    def expire_jwt(self, **scope: Any) -> Fault:
        return self.add(Fault(FaultKind.EXPIRE_JWT, **scope))
