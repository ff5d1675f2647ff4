"""The order methods when the network between us and Paradex misbehaves: a fault proxy (tests/fault_proxy.py) sits
between the client and the sandbox and breaks chosen requests the way networks and gateways do. Each test names the
fault and what the caller must get; the truth is read from the sandbox itself."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable

import pytest
from ccxt.base.errors import ExchangeNotAvailable, RateLimitExceeded

from paradex_ccxt import paradex
from paradex_ccxt.sandbox import Sandbox, SandboxAccount
from tests.fault_proxy import FaultProxy
from tests.order_soak import every_order

BTC = "BTC/USD:USDC"


class Script:
    """A fault plan: the n-th request matching (method, path prefix) gets the given fault, everything else is clean.
    Records every request it saw."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, str, int, str]] = []
        self.seen: list[tuple[str, str]] = []

    def on(self, method: str, path: str, fault: str, nth: int = 1) -> Script:
        self.rules.append((method, path, nth, fault))
        return self

    def count(self, method: str, path: str) -> int:
        return sum(1 for m, p in self.seen if m == method and p.startswith(path))

    def __call__(self, method: str, path: str) -> str:
        self.seen.append((method, path))
        for rule_method, prefix, nth, fault in self.rules:
            if method == rule_method and path.startswith(prefix) and self.count(method, prefix) == nth:
                return fault
        return "clean"


@pytest.fixture(params=[None, 0.0], ids=["closed-orders-served", "closed-orders-404"])
async def strictness(request) -> float | None:
    """Both readings of GET /orders/{id}: testnet was seen serving CLOSED orders; the API reference says NEW and
    OPEN only (the sandbox answers 404 NOT_FOUND for a closed one)."""
    return request.param


@pytest.fixture
async def rig(make_sandbox, strictness) -> AsyncIterator[Callable]:
    """rig(script) -> (exchange through the proxy, sandbox, account)."""
    sandbox: Sandbox = await make_sandbox(closed_order_ttl=strictness, cancel_delay=0.05)
    account = sandbox.create_account()
    made: list = []

    async def build(script: Script) -> tuple[paradex, Sandbox, SandboxAccount]:
        proxy = FaultProxy(sandbox.api_url, script, hold=1.2)
        url = await proxy.start()
        exchange = paradex({"timeout": 1000, "options": {
            "paradexAccount": account.paradex_account, "recvWindowMargin": 50, "cancelOrderConfirmInterval": 20}})
        exchange.urls["api"] = {"v1": url + "/v1"}
        made.append((exchange, proxy))
        await exchange.load_markets()
        return exchange, sandbox, account

    yield build
    for exchange, proxy in made:
        await exchange.close()
        await proxy.stop()


def on_sandbox(sandbox: Sandbox, account: SandboxAccount, client_id: str) -> list[dict]:
    return [o for o in every_order(sandbox, hex(account.address)) if o["client_id"] == client_id]


async def place_three_and_find_each_once(exchange: paradex, sandbox: Sandbox, account: SandboxAccount,
                                         prefix: str) -> None:
    price = await resting_price(exchange)
    orders = await exchange.create_orders([{"symbol": BTC, "type": "limit", "side": "buy", "amount": 0.001,
                                            "price": price, "params": {"clientOrderId": f"{prefix}-{n}"}}
                                           for n in range(3)])
    assert [o["status"] for o in orders] == ["open"] * 3
    assert [len(on_sandbox(sandbox, account, f"{prefix}-{n}")) for n in range(3)] == [1, 1, 1]


async def resting_price(exchange: paradex) -> str:
    return exchange.price_to_precision(BTC, (await exchange.fetch_ticker(BTC))["bid"] * 0.9)


@pytest.mark.parametrize("fault", ["cut_pending", "cut_short", "garble", "drop_answer", "gateway_502", "late_524",
                                   "not_an_order"])
async def test_an_order_whose_answer_is_cut_or_garbled_or_lost_is_returned_not_raised(rig, fault):
    exchange, sandbox, account = await rig(Script().on("POST", "/v1/orders", fault))
    price = await resting_price(exchange)
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, price, {"clientOrderId": f"cut-{fault}"})
    placed = on_sandbox(sandbox, account, f"cut-{fault}")
    assert len(placed) == 1
    assert (order["id"], order["status"]) == (placed[0]["id"], "open")


async def test_a_batch_whose_answer_is_cut_reports_every_order_placed(rig):
    exchange, sandbox, account = await rig(Script().on("POST", "/v1/orders/batch", "cut_pending"))
    await place_three_and_find_each_once(exchange, sandbox, account, "cb")


async def test_a_lookup_that_fails_is_tried_again_until_the_order_is_found(rig):
    script = Script().on("POST", "/v1/orders", "drop_answer").on("GET", "/v1/orders/by_client_id", "gateway_503") \
        .on("GET", "/v1/orders/by_client_id", "reset", nth=2)
    exchange, sandbox, account = await rig(script)
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange),
                                        {"clientOrderId": "retry-lookup"})
    assert order["id"] == on_sandbox(sandbox, account, "retry-lookup")[0]["id"]
    assert script.count("POST", "/v1/orders") == 1


async def test_a_failed_lookup_in_a_batch_does_not_discard_the_orders_found(rig):
    script = Script().on("POST", "/v1/orders/batch", "drop_answer") \
        .on("GET", "/v1/orders/by_client_id", "gateway_502", nth=2)
    exchange, sandbox, account = await rig(script)
    await place_three_and_find_each_once(exchange, sandbox, account, "fl")


async def test_a_request_held_past_the_timeout_lands_too_late_to_make_a_second_order(rig):
    # The first POST reaches the sandbox 1.2 s after it was signed, with a recv_window of 1 s: refused on arrival.
    exchange, sandbox, account = await rig(Script().on("POST", "/v1/orders", "hold"))
    order = await exchange.create_order(BTC, "market", "buy", 0.001, None, {"clientOrderId": "late-ioc"})
    await asyncio.sleep(1.5)  # the held request has landed (and been refused) by now
    placed = on_sandbox(sandbox, account, "late-ioc")
    assert len(placed) == 1
    assert order["id"] == placed[0]["id"]


async def test_a_cancel_paradex_accepted_is_pending_when_every_confirmation_fails(rig):
    script = Script()
    exchange, sandbox, account = await rig(script)
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange))
    for nth in range(1, 40):
        script.on("GET", "/v1/orders", "gateway_503", nth=script.count("GET", "/v1/orders") + nth)
    result = await exchange.cancel_order(order["id"], BTC, {"confirmTimeout": 300})
    assert (result["status"], result["cancelPending"]) == ("open", True)


async def test_a_batch_cancel_whose_answer_is_unreadable_reports_the_cancels(rig):
    script = Script()
    exchange, sandbox, account = await rig(script)
    price = await resting_price(exchange)
    placed = [await exchange.create_order(BTC, "limit", "buy", 0.001, price) for _ in range(2)]
    script.on("DELETE", "/v1/orders/batch", "garble", nth=1)
    results = await exchange.cancel_orders([o["id"] for o in placed], BTC)
    assert [r["status"] for r in results] == ["canceled", "canceled"]
    assert [r["cancelPending"] for r in results] == [False, False]


async def test_cancel_all_sends_its_delete_even_when_reads_fail(rig):
    script = Script()
    exchange, sandbox, account = await rig(script)
    price = await resting_price(exchange)
    for _ in range(3):
        await exchange.create_order(BTC, "limit", "buy", 0.001, price)
    for nth in range(1, 60):
        script.on("GET", "/v1/orders", "gateway_503", nth=script.count("GET", "/v1/orders") + nth)
    await exchange.cancel_all_orders(BTC, {"confirmTimeout": 200})
    await asyncio.sleep(0.2)
    assert sandbox.engine.open_orders(hex(account.address))["results"] == []


async def test_confirming_many_cancels_costs_a_few_reads_a_round_not_one_per_order(rig):
    script = Script()
    exchange, sandbox, account = await rig(script)
    price = await resting_price(exchange)
    await exchange.create_orders([{"symbol": BTC, "type": "limit", "side": "buy", "amount": 0.001, "price": price}
                                  for _ in range(10)] * 1)
    await exchange.create_orders([{"symbol": BTC, "type": "limit", "side": "buy", "amount": 0.001, "price": price}
                                  for _ in range(10)])
    reads_before = script.count("GET", "/v1/orders")
    results = await exchange.cancel_all_orders(BTC)
    assert len(results) == 20
    assert all(r["status"] == "canceled" for r in results)
    # The open list and the newest history page to learn them, then per round the open list and one history page.
    assert script.count("GET", "/v1/orders") - reads_before <= 12


async def test_a_cancelled_order_is_fetched_by_id_whichever_way_paradex_serves_closed_orders(rig):
    exchange, sandbox, account = await rig(Script())
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange))
    cancelled = await exchange.cancel_order(order["id"], BTC)
    assert cancelled["status"] == "canceled"
    assert (await exchange.fetch_order(order["id"], BTC))["status"] == "canceled"


async def test_cancelling_an_order_that_already_closed_returns_its_final_state(rig):
    exchange, sandbox, account = await rig(Script())
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange))
    await exchange.cancel_order(order["id"], BTC)
    again = await exchange.cancel_order(order["id"], BTC)
    assert (again["status"], again["cancelPending"]) == ("canceled", False)
    batch = await exchange.cancel_orders([order["id"]], BTC)
    assert (batch[0]["status"], batch[0]["cancelPending"]) == ("canceled", False)


async def test_a_client_id_with_url_characters_is_sent_percent_encoded(rig):
    exchange, sandbox, account = await rig(Script())
    client_id = "bot/1?x=#y%z"
    await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange), {"clientOrderId": client_id})
    assert (await exchange.fetch_order(None, BTC, {"clientOrderId": client_id}))["clientOrderId"] == client_id
    assert (await exchange.cancel_order(None, BTC, {"clientOrderId": client_id}))["status"] == "canceled"


async def test_a_held_request_cannot_land_after_its_resend_even_when_our_clock_runs_ahead(make_sandbox):
    # Paradex's clock 0.8 s behind ours: its recv_window check lets a request land 0.8 s later than our clock says.
    sandbox: Sandbox = await make_sandbox(clock=lambda: time.time() - 0.8)
    account = sandbox.create_account()
    proxy = FaultProxy(sandbox.api_url, Script().on("POST", "/v1/orders", "hold"), hold=1.6)
    url = await proxy.start()
    exchange = paradex({"timeout": 1000, "options": {"paradexAccount": account.paradex_account,
                                                      "recvWindowMargin": 50}})
    exchange.urls["api"] = {"v1": url + "/v1"}
    try:
        await exchange.load_markets()
        order = await exchange.create_order(BTC, "market", "buy", 0.001, None, {"clientOrderId": "skewed"})
        await asyncio.sleep(1.0)  # the held request has reached the sandbox by now
        placed = on_sandbox(sandbox, account, "skewed")
        assert [o["id"] for o in placed] == [order["id"]]
        assert exchange.clock_lead is not None and exchange.clock_lead[1] >= 800
    finally:
        await exchange.close()
        await proxy.stop()


async def test_an_order_whose_login_failed_was_never_sent_and_is_not_looked_up(make_sandbox):
    sandbox: Sandbox = await make_sandbox()
    account = sandbox.create_account()
    script = Script().on("POST", "/v1/auth", "gateway_503")
    proxy = FaultProxy(sandbox.api_url, script)
    url = await proxy.start()
    exchange = paradex({"timeout": 1000, "options": {"paradexAccount": account.paradex_account}})
    exchange.urls["api"] = {"v1": url + "/v1"}
    try:
        await exchange.load_markets()
        with pytest.raises(ExchangeNotAvailable):
            await exchange.create_order(BTC, "limit", "buy", 0.001, 50000, {"clientOrderId": "no-login"})
        assert script.count("POST", "/v1/orders") == 0
        assert script.count("GET", "/v1/orders") == 0
    finally:
        await exchange.close()
        await proxy.stop()


@pytest.mark.parametrize("fault", ["gateway_524", "not_an_order"])
async def test_a_lookup_answered_by_a_cdn_or_with_no_order_is_not_read_as_absent(rig, fault):
    # The POST's answer is lost, then the look-up by client id gets a 524 or a 200 that holds no order: neither may
    # read as "not there", or the order would be sent again (two market orders).
    script = Script().on("POST", "/v1/orders", "drop_answer").on("GET", "/v1/orders/by_client_id", fault)
    exchange, sandbox, account = await rig(script)
    order = await exchange.create_order(BTC, "market", "buy", 0.001, None, {"clientOrderId": f"cdn-{fault}"})
    placed = on_sandbox(sandbox, account, f"cdn-{fault}")
    assert [o["id"] for o in placed] == [order["id"]]
    assert script.count("POST", "/v1/orders") == 1


async def test_a_cancel_whose_answer_was_lost_is_not_raised_when_its_resend_is_throttled(rig):
    # The first DELETE is carried out but its answer lost; the resend meets a 429, which says nothing about the first.
    script = Script()
    exchange, sandbox, account = await rig(script)
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange))
    script.on("DELETE", "/v1/orders/", "drop_answer").on("DELETE", "/v1/orders/", "throttle_429", nth=2)
    result = await exchange.cancel_order(order["id"], BTC)
    assert (result["status"], result["cancelPending"]) == ("canceled", False)


async def test_a_throttled_cancel_is_sent_again(rig):
    script = Script()
    exchange, sandbox, account = await rig(script)
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange))
    script.on("DELETE", "/v1/orders/", "throttle_429")
    assert (await exchange.cancel_order(order["id"], BTC))["status"] == "canceled"


async def test_a_cancel_throttled_on_every_attempt_raises_rate_limit_exceeded_and_the_order_stays_open(rig):
    script = Script()
    exchange, sandbox, account = await rig(script)
    exchange.options["orderLookupTimeout"] = 500
    order = await exchange.create_order(BTC, "limit", "buy", 0.001, await resting_price(exchange))
    for nth in (1, 2, 3):
        script.on("DELETE", "/v1/orders/", "throttle_429", nth=nth)
    with pytest.raises(RateLimitExceeded, match="still open"):
        await exchange.cancel_order(order["id"], BTC)
    assert sandbox.engine.get_order(hex(account.address), order["id"])["status"] != "CLOSED"
