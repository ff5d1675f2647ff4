"""Token buckets and scopes of the sandbox's rate limiter (Paradex's numbers, PARADEX.md §11)."""
from __future__ import annotations

import pytest

from paradex_ccxt.sandbox.ratelimit import Limit, RateLimiter, RateLimitPolicy, Scope, scopes_for


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def limiter(**limits: tuple[Limit, ...]) -> tuple[RateLimiter, FakeClock]:
    clock = FakeClock()
    return RateLimiter(RateLimitPolicy(**limits), clock=clock), clock


def test_default_policy_carries_paradex_numbers():
    policy = RateLimitPolicy()
    assert policy.public == (Limit(1500, 60),)
    assert policy.signed == (Limit(600, 60),)
    assert policy.orders == (Limit(800, 1), Limit(17250, 60))
    assert policy.private_get == (Limit(120, 1), Limit(600, 60))
    assert policy.private_ip == (Limit(1500, 60),)


@pytest.mark.parametrize(
    ("method", "path", "private", "expected"),
    [
        ("GET", "/v1/markets", False, [Scope.PUBLIC]),
        ("GET", "/v1/onboarding", False, [Scope.PUBLIC]),
        ("POST", "/v1/onboarding", False, [Scope.SIGNED]),
        ("POST", "/v1/auth", False, [Scope.SIGNED]),
        ("POST", "/v1/auth/0x1234", False, [Scope.SIGNED]),
        ("GET", "/v1/orders", True, [Scope.PRIVATE_IP, Scope.PRIVATE_GET]),
        ("GET", "/v1/balance", True, [Scope.PRIVATE_IP, Scope.PRIVATE_GET]),
        ("POST", "/v1/orders", True, [Scope.PRIVATE_IP, Scope.ORDERS]),
        ("POST", "/v1/orders/batch", True, [Scope.PRIVATE_IP, Scope.ORDERS]),
        ("PUT", "/v1/orders/123", True, [Scope.PRIVATE_IP, Scope.ORDERS]),
        ("DELETE", "/v1/orders", True, [Scope.PRIVATE_IP, Scope.ORDERS]),
        ("DELETE", "/v1/orders/by_client_id/abc", True, [Scope.PRIVATE_IP, Scope.ORDERS]),
        ("POST", "/v1/account/margin/BTC-USD-PERP", True, [Scope.PRIVATE_IP]),
    ],
)
def test_requests_draw_from_the_scopes_paradex_documents(method, path, private, expected):
    assert scopes_for(method, path, private) == expected


def test_bucket_allows_its_limit_then_refuses():
    rl, _ = limiter(public=(Limit(3, 60),))
    results = [rl.check([Scope.PUBLIC], {Scope.PUBLIC: "1.2.3.4"}).allowed for _ in range(4)]
    assert results == [True, True, True, False]


def test_bucket_refills_continuously_one_token_per_window_over_limit():
    rl, clock = limiter(public=(Limit(3, 60),))
    for _ in range(3):
        rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"})
    refused = rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"})
    assert refused.retry_after == pytest.approx(20.0)
    clock.now += 19.9
    assert not rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"}).allowed
    clock.now += 0.2
    assert rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"}).allowed


def test_keys_have_separate_buckets():
    rl, _ = limiter(private_get=(Limit(1, 60),), private_ip=(Limit(100, 60),))
    scopes = [Scope.PRIVATE_IP, Scope.PRIVATE_GET]
    assert rl.check(scopes, {Scope.PRIVATE_IP: "ip", Scope.PRIVATE_GET: "account-a"}).allowed
    assert rl.check(scopes, {Scope.PRIVATE_IP: "ip", Scope.PRIVATE_GET: "account-b"}).allowed
    assert not rl.check(scopes, {Scope.PRIVATE_IP: "ip", Scope.PRIVATE_GET: "account-a"}).allowed


def test_two_limits_on_one_scope_both_apply():
    # 800/s OR 17250/min: whichever runs out first refuses.
    rl, clock = limiter(orders=(Limit(2, 1), Limit(3, 60)), private_ip=(Limit(100, 60),))
    keys = {Scope.PRIVATE_IP: "ip", Scope.ORDERS: "acct"}
    scopes = [Scope.PRIVATE_IP, Scope.ORDERS]
    assert [rl.check(scopes, keys).allowed for _ in range(3)] == [True, True, False]  # per-second limit
    clock.now += 1.0
    assert rl.check(scopes, keys).allowed
    assert not rl.check(scopes, keys).allowed  # per-minute limit now
    assert rl.check(scopes, keys).limit == Limit(3, 60)


def test_a_refused_request_takes_no_token_from_other_buckets():
    rl, _ = limiter(private_get=(Limit(1, 60),), private_ip=(Limit(2, 60),))
    scopes = [Scope.PRIVATE_IP, Scope.PRIVATE_GET]
    assert rl.check(scopes, {Scope.PRIVATE_IP: "ip", Scope.PRIVATE_GET: "a"}).allowed
    assert not rl.check(scopes, {Scope.PRIVATE_IP: "ip", Scope.PRIVATE_GET: "a"}).allowed
    # The refused call above did not spend the IP's second token.
    assert rl.check(scopes, {Scope.PRIVATE_IP: "ip", Scope.PRIVATE_GET: "b"}).allowed


def test_headers_report_the_tightest_bucket():
    rl, _ = limiter(public=(Limit(10, 60),))
    verdict = rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"})
    headers = verdict.headers(wall_clock=lambda: 5000.0)
    assert headers == {
        "x-ratelimit-limit": "10",
        "x-ratelimit-remaining": "9",
        "x-ratelimit-reset": "5006",  # one token spent, back in 6 s
        "x-ratelimit-window": "60",
    }


def test_refusal_headers_carry_retry_after():
    rl, _ = limiter(public=(Limit(1, 60),))
    rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"})
    headers = rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"}).headers(wall_clock=lambda: 0.0)
    assert headers["x-ratelimit-remaining"] == "0"
    assert headers["retry-after"] == "60"


def test_no_policy_means_no_limit():
    rl = RateLimiter(policy=None)
    assert all(rl.check([Scope.PUBLIC], {Scope.PUBLIC: "ip"}).allowed for _ in range(5000))

