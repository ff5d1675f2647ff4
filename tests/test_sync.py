"""The synchronous facade behaves like a ccxt sync exchange: blocking calls, shared attributes, clean shutdown.

Network calls go to the project's sandbox, served from a background thread (the caller here is synchronous, as
freqtrade's `_api` is).
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import json
import multiprocessing
import multiprocessing.queues
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from ccxt.base.decimal_to_precision import TICK_SIZE
from ccxt.base.errors import BadSymbol, ExchangeClosedByUser, OrderNotFound

from paradex_ccxt import paradex as AsyncParadex
from paradex_ccxt.sandbox import Sandbox, SandboxAccount
from paradex_ccxt.sync import paradex

MARKETS = json.loads((Path(__file__).resolve().parent / "data" / "markets.json").read_text())["results"]


@pytest.fixture(scope="module")
def threaded_sandbox() -> Iterator[Sandbox]:
    """The sandbox on a background thread of its own (the project's `sandbox` fixture lives on the test's loop)."""
    with Sandbox(seed=7, rate_limits=None).running() as sb:
        yield sb


@pytest.fixture
def account(threaded_sandbox: Sandbox) -> SandboxAccount:
    return threaded_sandbox.create_account()


@pytest.fixture
def ex(threaded_sandbox: Sandbox, account: SandboxAccount) -> Iterator[paradex]:
    """A sync exchange trading as `account` on the sandbox."""
    # timeout_on_exit: ccxt's grace sleep when closing (for TLS peers; the sandbox is plain HTTP).
    exchange = paradex({"timeout_on_exit": 0, "options": {"paradexAccount": account.paradex_account}})
    exchange.urls["api"] = {"v1": threaded_sandbox.api_url}
    try:
        yield exchange
    finally:
        exchange.close()


@pytest.fixture
def offline() -> Iterator[paradex]:
    """A sync exchange that makes no request (markets injected from a real GET /v1/markets body)."""
    exchange = paradex({"timeout_on_exit": 0})
    try:
        yield exchange
    finally:
        exchange.close()


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.005)


# -- construction and attributes --------------------------------------------------------------------------------


def test_constructs_from_a_config_dict_like_a_ccxt_exchange() -> None:
    config = {"walletAddress": "0xabc", "enableRateLimit": False, "options": {"clientOrderIdPrefix": "bot-"}}
    with paradex(config) as ex:
        assert (ex.id, ex.name) == ("paradex", "Paradex")
        assert ex.walletAddress == "0xabc"
        assert ex.enableRateLimit is False
        assert ex.options["clientOrderIdPrefix"] == "bot-"
        assert ex.options["jwtRefreshMargin"] == 60  # the class defaults are merged under the config


def test_describes_itself_like_the_async_class(offline: paradex) -> None:
    def rest(has: dict) -> dict:
        return {k: v for k, v in has.items() if k != "ws" and not k.startswith(("watch", "unWatch"))}

    assert rest(offline.has) == rest(offline.async_exchange.has)
    assert offline.has["createOrder"] is True
    assert offline.precisionMode == TICK_SIZE
    assert offline.timeframes == offline.async_exchange.timeframes
    assert offline.synchronous is True


def test_attribute_writes_land_on_the_async_exchange(offline: paradex) -> None:
    offline.apiKey = "key"
    offline.options["defaultType"] = "swap"
    assert offline.async_exchange.apiKey == "key"
    assert offline.async_exchange.options["defaultType"] == "swap"


def test_replacing_a_dict_attribute_replaces_it_on_the_async_exchange(offline: paradex) -> None:
    options = {"defaultType": "swap"}
    offline.options = options
    assert offline.async_exchange.options is options


def test_helpers_work_on_injected_markets_without_the_network(offline: paradex) -> None:
    offline.set_markets([offline.parse_market(m) for m in MARKETS])
    assert offline.market("BTC/USD:USDC")["id"] == "BTC-USD-PERP"
    assert offline.amount_to_precision("BTC/USD:USDC", 0.123456789) == "0.12345"
    assert offline.price_to_precision("BTC/USD:USDC", 95123.456) == "95123.5"


def test_sharing_markets_from_an_async_instance_returns_the_sync_exchange(offline: paradex) -> None:
    # freqtrade loads markets with its async instance, then: self._api.set_markets_from_exchange(self._api_async)
    source = AsyncParadex()
    source.set_markets([source.parse_market(m) for m in MARKETS])
    assert offline.set_markets_from_exchange(source) is offline
    assert offline.markets is source.markets


# -- calls ---------------------------------------------------------------------------------------------------------


def test_fetch_time_blocks_and_returns_the_server_time(ex: paradex, threaded_sandbox: Sandbox) -> None:
    before = threaded_sandbox.state.now_ms()
    server_time = ex.fetch_time()
    assert before <= server_time <= threaded_sandbox.state.now_ms()


def test_private_call_logs_in_and_returns_the_balance(ex: paradex) -> None:
    balance = ex.fetch_balance()
    assert balance["USDC"] == {"free": 100000.0, "used": 0.0, "total": 100000.0}


def test_implicit_endpoint_methods_block_and_return_the_body(ex: paradex, account: SandboxAccount) -> None:
    response = ex.privateGetAccount()
    assert int(response["account"], 16) == account.address


def test_camel_case_names_reach_the_same_methods(ex: paradex) -> None:
    assert ex.fetchBalance()["USDC"] == ex.fetch_balance()["USDC"]


def test_base_class_helpers_run_on_the_async_implementation(ex: paradex) -> None:
    book = ex.fetch_l2_order_book("BTC/USD:USDC", 5)
    assert book["symbol"] == "BTC/USD:USDC"
    assert 0 < len(book["bids"]) <= 5


def test_server_errors_raise_their_ccxt_type(ex: paradex) -> None:
    ex.load_markets()
    with pytest.raises(OrderNotFound):
        ex.fetch_order("1795314670445000000000001", "BTC/USD:USDC")


def test_client_side_errors_raise_their_ccxt_type(ex: paradex) -> None:
    ex.load_markets()
    with pytest.raises(BadSymbol):
        ex.market("NOPE/USD:USDC")


def test_calls_from_several_threads_share_one_login(ex: paradex) -> None:
    results: list[dict] = []
    threads = [threading.Thread(target=lambda: results.append(ex.fetch_balance()["USDC"])) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{"free": 100000.0, "used": 0.0, "total": 100000.0}] * 8
    assert ex.async_exchange.jwt_session.logins == 1


# -- closing ---------------------------------------------------------------------------------------------------------


def test_close_stops_the_loop_thread() -> None:
    ex = paradex()
    loop_thread = ex._loop_thread
    ex.close()
    assert not loop_thread.thread.is_alive()
    assert loop_thread.loop.is_closed()


def test_close_is_idempotent(offline: paradex) -> None:
    offline.close()
    offline.close()
    assert not offline._loop_thread.thread.is_alive()


def test_calls_after_close_raise_exchange_closed_by_user(ex: paradex) -> None:
    ex.close()
    with pytest.raises(ExchangeClosedByUser):
        ex.fetch_time()


def test_close_releases_the_http_session(ex: paradex) -> None:
    ex.fetch_time()
    ex.close()
    assert ex.async_exchange.session is None


def test_close_ends_calls_in_flight_with_exchange_closed_by_user(offline: paradex) -> None:
    outcome: list[BaseException] = []

    def wait_a_minute() -> None:
        try:
            offline.sleep(60_000)  # ccxt's own coroutine: stands in for a slow request
        except BaseException as error:  # noqa: BLE001 - the test inspects whatever it was
            outcome.append(error)

    caller = threading.Thread(target=wait_a_minute)
    caller.start()
    loop = offline._loop_thread.loop
    wait_until(lambda: len(asyncio.all_tasks(loop)) == 1)
    offline.close()
    caller.join(timeout=5)
    assert [type(error) for error in outcome] == [ExchangeClosedByUser]


def test_leaving_a_with_block_closes() -> None:
    with paradex() as ex:
        pass
    assert not ex._loop_thread.thread.is_alive()


def test_an_unreferenced_exchange_stops_its_loop_thread() -> None:
    ex = paradex()
    thread = ex._loop_thread.thread
    del ex
    gc.collect()
    assert not thread.is_alive()


def test_close_from_the_loop_thread_stops_the_loop_without_deadlock() -> None:
    # Garbage collection may finalize the exchange on its own loop thread, where close() cannot block.
    ex = paradex({"timeout_on_exit": 0})
    loop_thread = ex._loop_thread
    loop_thread.loop.call_soon_threadsafe(ex.close)
    loop_thread.thread.join(timeout=5)
    assert not loop_thread.thread.is_alive()


def test_a_blocking_call_from_the_loop_thread_raises_instead_of_deadlocking(offline: paradex) -> None:
    outcome: concurrent.futures.Future[BaseException] = concurrent.futures.Future()

    def call_from_the_loop() -> None:
        try:
            offline.sleep(1)
        except RuntimeError as error:
            outcome.set_result(error)

    offline._loop_thread.loop.call_soon_threadsafe(call_from_the_loop)
    assert "own event loop thread" in str(outcome.result(timeout=5))


def fetch_time_in_child(ex: paradex, answers: multiprocessing.queues.Queue) -> None:
    try:
        ex.fetch_time()
        answers.put("answered")
    except RuntimeError as error:
        answers.put(str(error))


def close_in_child(ex: paradex, answers: multiprocessing.queues.Queue) -> None:
    ex.close()
    answers.put("closed")


def in_forked_child(target, ex: paradex) -> str:
    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    child = context.Process(target=target, args=(ex, answers))
    child.start()
    answer = answers.get(timeout=20)
    child.join(timeout=20)
    return answer


def test_a_call_in_a_forked_child_raises_instead_of_hanging(offline: paradex) -> None:
    assert "create a new one after fork" in in_forked_child(fetch_time_in_child, offline)


def test_close_in_a_forked_child_leaves_the_parents_loop_running(offline: paradex) -> None:
    assert in_forked_child(close_in_child, offline) == "closed"
    assert offline._loop_thread.thread.is_alive()


def test_streams_are_async_only_in_the_sync_class():
    from ccxt.base.errors import NotSupported

    from paradex_ccxt.sync import paradex as SyncParadex

    with SyncParadex() as exchange:
        assert exchange.has["ws"] is False and exchange.has["watchOrderBook"] is False
        assert exchange.has["fetchOrderBook"] is True
        with pytest.raises(NotSupported, match="async"):
            exchange.watch_order_book("BTC/USD:USDC")
