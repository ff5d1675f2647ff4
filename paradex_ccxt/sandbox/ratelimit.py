"""Paradex's rate limits: continuously refilled token buckets, keyed by IP or by account.

The numbers are Paradex's (PARADEX.md §11, docs "Rate Limits"): public 1500/min per IP; POST /onboarding and
POST /auth 600/min per IP; POST/PUT/DELETE on /orders 800/s and 17250/min per account; private GETs 120/s and
600/min per account; every private call also 1500/min per IP. A scope with two limits needs a token from both.
`RateLimitPolicy` holds the numbers so a test can shrink them and a benchmark can switch them off (policy=None).
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum


@dataclass(frozen=True)
class Limit:
    requests: int
    window: float  # seconds

    def __post_init__(self) -> None:
        if self.requests < 1 or self.window <= 0:
            raise ValueError("a limit needs requests >= 1 and a positive window")


class Scope(str, Enum):
    PUBLIC = "public"  # per IP
    SIGNED = "signed"  # POST /onboarding, POST /auth: per IP
    ORDERS = "orders"  # POST/PUT/DELETE /orders...: per account
    PRIVATE_GET = "private_get"  # per account
    PRIVATE_IP = "private_ip"  # every private call: per IP


@dataclass(frozen=True)
class RateLimitPolicy:
    public: tuple[Limit, ...] = (Limit(1500, 60),)
    signed: tuple[Limit, ...] = (Limit(600, 60),)
    orders: tuple[Limit, ...] = (Limit(800, 1), Limit(17250, 60))
    private_get: tuple[Limit, ...] = (Limit(120, 1), Limit(600, 60))
    private_ip: tuple[Limit, ...] = (Limit(1500, 60),)

    def limits(self, scope: Scope) -> tuple[Limit, ...]:
        return getattr(self, scope.value)


def scopes_for(method: str, path: str, private: bool) -> list[Scope]:
    """Which buckets a /v1 request draws from. Private scopes after the IP scope: the IP is checked first."""
    method = method.upper()
    if not private:
        if method == "POST" and (path == "/v1/onboarding" or path == "/v1/auth" or path.startswith("/v1/auth/")):
            return [Scope.SIGNED]
        return [Scope.PUBLIC]
    if method == "GET":
        return [Scope.PRIVATE_IP, Scope.PRIVATE_GET]
    if path == "/v1/orders" or path.startswith("/v1/orders/"):
        return [Scope.PRIVATE_IP, Scope.ORDERS]
    # Other private writes (margin settings, subkeys): Paradex documents no account limit for them.
    return [Scope.PRIVATE_IP]


class TokenBucket:
    def __init__(self, limit: Limit, now: float) -> None:
        self.limit = limit
        self.rate = limit.requests / limit.window  # tokens per second
        self.tokens = float(limit.requests)
        self.updated = now

    def refill(self, now: float) -> None:
        if now > self.updated:
            self.tokens = min(float(self.limit.requests), self.tokens + (now - self.updated) * self.rate)
            self.updated = now

    def seconds_until(self, tokens: float) -> float:
        return max(0.0, (tokens - self.tokens) / self.rate)


@dataclass
class Verdict:
    """The outcome of one check, with what the x-ratelimit-* headers report: the tightest bucket involved."""

    allowed: bool
    limit: Limit | None = None
    remaining: int = 0
    retry_after: float = 0.0  # seconds until a token is back (0 when allowed)
    full_in: float = 0.0  # seconds until the tightest bucket is full again
    scope: Scope | None = None

    def headers(self, wall_clock: Callable[[], float] = time.time) -> dict[str, str]:
        if self.limit is None:
            return {}
        headers = {
            "x-ratelimit-limit": str(self.limit.requests),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(math.ceil(wall_clock() + self.full_in)),
            "x-ratelimit-window": f"{self.limit.window:g}",
        }
        if not self.allowed:
            headers["retry-after"] = str(max(1, math.ceil(self.retry_after)))
        return headers


ALLOWED = Verdict(allowed=True)


@dataclass
class RateLimiter:
    policy: RateLimitPolicy | None = field(default_factory=RateLimitPolicy)
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[tuple[Scope, str], list[TokenBucket]] = field(default_factory=dict)

    def check(self, scopes: list[Scope], keys: dict[Scope, str]) -> Verdict:
        """Take one token from every bucket of every scope, or none at all if any bucket is empty."""
        if self.policy is None:
            return ALLOWED
        now = self.clock()
        involved: list[tuple[Scope, TokenBucket]] = []
        for scope in scopes:
            key = (scope, keys[scope])
            buckets = self._buckets.get(key)
            if buckets is None:
                buckets = self._buckets[key] = [TokenBucket(limit, now) for limit in self.policy.limits(scope)]
            for bucket in buckets:
                bucket.refill(now)
                involved.append((scope, bucket))
        if not involved:
            return ALLOWED
        empty = [(scope, bucket) for scope, bucket in involved if bucket.tokens < 1]
        if empty:
            scope, bucket = max(empty, key=lambda item: item[1].seconds_until(1))
            return Verdict(False, bucket.limit, 0, bucket.seconds_until(1), bucket.seconds_until(bucket.limit.requests),
                           scope)
        for _, bucket in involved:
            bucket.tokens -= 1
        scope, tightest = min(involved, key=lambda item: item[1].tokens)
        return Verdict(True, tightest.limit, int(tightest.tokens), 0.0,
                       tightest.seconds_until(tightest.limit.requests), scope)
