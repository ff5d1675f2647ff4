"""freqtrade trading live and dry through the launcher: a live trade held over hours of funding on a sandbox whose
clock jumps, with freqtrade's funding fees, profit and /balance equal to the account's to the cent; and a dry run
that prices its cross-margin liquidation."""
from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from paradex_ccxt.margin import CrossMarginParams, liquidation_price
from paradex_ccxt.sandbox import Sandbox
from paradex_ccxt.sync import paradex

from .conftest import PAIR, SEED, base_config, start_launcher, write_config

HOUR = 3600.0
# The sandbox runs this far behind the wall clock, then jumps forward by FUNDED_HOURS. Behind, never ahead: orders
# are signed on the wall clock, and Paradex refuses an order that arrives after its receive window.
LAG_HOURS = 6
FUNDED_HOURS = 5
AUTH = ("tester", "tester-password-0123456789")


class LaggingClock:
    def __init__(self, hours: float) -> None:
        self.offset = -hours * HOUR

    def __call__(self) -> float:
        return time.time() + self.offset


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: Callable[[], Any], timeout: float, message: Callable[[], str]) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            result = what()
        except requests.ConnectionError:
            result = None
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(message())


class Bot:
    """A freqtrade process started by the launcher, reached through freqtrade's REST API."""

    def __init__(self, config: dict, userdir: Path, name: str) -> None:
        self.port = free_port()
        config["api_server"] = {"enabled": True, "listen_ip_address": "127.0.0.1", "listen_port": self.port,
                                "username": AUTH[0], "password": AUTH[1], "jwt_secret_key": "test-only-jwt-secret-0123456789abcdef",
                                "ws_token": "test-only-ws-token-0123456789abcdef"}
        config["initial_state"] = "running"
        path = write_config(userdir / f"{name}.json", config)
        self.log = userdir / f"{name}.log"
        self.process = start_launcher("trade", "--config", str(path), log=self.log)

    def get(self, path: str) -> Any:
        return requests.get(f"http://127.0.0.1:{self.port}/api/v1/{path}", auth=AUTH, timeout=10).json()

    def post(self, path: str, body: dict) -> Any:
        return requests.post(f"http://127.0.0.1:{self.port}/api/v1/{path}", json=body, auth=AUTH, timeout=10).json()

    def open_trade(self, ready: Callable[[dict], bool] = lambda trade: trade["amount"] > 0) -> dict:
        def opened() -> dict | None:
            trades = self.get("status")
            return trades[0] if isinstance(trades, list) and trades and ready(trades[0]) else None

        return wait_for(opened, 120, lambda: "freqtrade opened no trade (or not as expected):\n" + self.log_text())

    def log_text(self) -> str:
        return self.log.read_text() if self.log.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="module")
def clock() -> LaggingClock:
    return LaggingClock(LAG_HOURS)


@pytest.fixture(scope="module")
def live_sandbox(clock) -> Iterator[Sandbox]:
    # Logins, JWT expiries and order signatures are stamped on the wall clock: the sandbox accepts the skew, and its
    # JWTs outlive the lag (a client takes a JWT that expires before its own clock for dead).
    with Sandbox(seed=SEED, rate_limits=None, clock=clock, max_clock_skew=24 * HOUR,
                 jwt_lifetime=7 * 24 * HOUR).running() as sandbox:
        yield sandbox


@pytest.fixture(scope="module")
def live_run(live_sandbox, clock, userdir) -> Iterator[dict]:
    """One live trade: opened, funded over FUNDED_HOURS simulated hours, closed by a forced exit."""
    account = live_sandbox.create_account()
    client = paradex({"options": {"paradexAccount": account.paradex_account},
                      "urls": {"api": {"v1": live_sandbox.api_url}}})
    start_value = client.fetch_balance()["USDC"]["total"]
    # A stake large enough that five hours of funding are worth well over a cent whatever the seeded rates do, so
    # that "equal to the cent" is not met by two near-zero amounts.
    config = base_config(live_sandbox, account, userdir, dry_run=False, max_trades=1, hold_hours=1000,
                         stake_amount=20000, db_url=f"sqlite:///{userdir / 'live.sqlite'}")
    # Candles lag the wall clock by the sandbox's lag: not outdated for this test.
    config["exchange"]["outdated_offset"] = (LAG_HOURS + 2) * 60
    bot = Bot(config, userdir, "live")
    try:
        trade = bot.open_trade()
        clock.offset += FUNDED_HOURS * HOUR
        time.sleep(2)
        bot.post("forceexit", {"tradeid": str(trade["trade_id"]), "ordertype": "market"})

        def closed() -> dict | None:
            trades = bot.get("trades")["trades"]
            return trades[0] if trades and not trades[0]["is_open"] else None

        result = {"trade": wait_for(closed, 60, lambda: "the trade did not close:\n" + bot.log_text()),
                  "balance": bot.get("balance"), "log": bot.log_text(), "start_value": start_value,
                  "account": client.fetch_balance(), "funding": client.fetch_funding_history(PAIR),
                  "position": client.fetch_position(PAIR), "fills": client.fetch_my_trades(PAIR)}
    finally:
        bot.stop()
        client.close()
    yield result


def test_live_trade_closes_the_position(live_run):
    assert live_run["trade"]["amount"] > 0
    assert not live_run["position"]["contracts"]


def test_live_funding_fees_are_the_funding_the_account_paid(live_run):
    paid = sum(payment["amount"] for payment in live_run["funding"])
    assert abs(paid) > 0.01
    assert live_run["trade"]["funding_fees"] == pytest.approx(paid, abs=0.01)


def test_live_profit_is_the_change_of_the_account_value(live_run):
    change = live_run["account"]["USDC"]["total"] - live_run["start_value"]
    assert live_run["trade"]["profit_abs"] == pytest.approx(change, abs=0.01)


def test_balance_total_is_the_account_value(live_run):
    assert live_run["balance"]["total"] == pytest.approx(live_run["account"]["USDC"]["total"], abs=0.01)


@pytest.fixture(scope="module")
def dry_run(public_sandbox, userdir) -> Iterator[dict]:
    """A short dry run: one trade opened, then closed by a forced exit."""
    # Nearly all of a small wallet at 3x: a long that a fall of about a third would liquidate.
    config = base_config(public_sandbox, None, userdir, dry_run=True, max_trades=1, hold_hours=1000,
                         dry_run_wallet=1000, stake_amount=900, db_url=f"sqlite:///{userdir / 'dry.sqlite'}")
    bot = Bot(config, userdir, "dry")
    try:
        # The liquidation price is set once the entry has filled.
        opened = bot.open_trade(lambda trade: trade["amount"] > 0 and trade["liquidation_price"] is not None)
        bot.post("forceexit", {"tradeid": str(opened["trade_id"]), "ordertype": "market"})

        def closed() -> dict | None:
            trades = bot.get("trades")["trades"]
            return trades[0] if trades and not trades[0]["is_open"] else None

        yield {"opened": opened, "closed": wait_for(closed, 60, lambda: "no exit:\n" + bot.log_text()),
               "log": bot.log_text(), "config": config}
    finally:
        bot.stop()


def test_dry_run_prices_cross_margin_liquidation_by_paradexs_formula(dry_run, public_sandbox):
    trade = dry_run["opened"]
    client = paradex({"urls": {"api": {"v1": public_sandbox.api_url}}})
    try:
        market = client.load_markets()[PAIR]
    finally:
        client.close()
    # freqtrade's cross-margin wallet is its dry-run wallet; it keeps a buffer (liquidation_buffer, 5%) inside.
    price = liquidation_price(CrossMarginParams.from_market(market["info"]), size=trade["amount"],
                              entry=trade["open_rate"], fee_rate=market["taker"],
                              balance=dry_run["config"]["dry_run_wallet"])
    buffered = price + (trade["open_rate"] - price) * 0.05
    assert trade["liquidation_price"] == pytest.approx(buffered, rel=1e-3)
    assert "Unable to calculate liquidation price" not in dry_run["log"]


def test_dry_run_closes_its_trade(dry_run):
    assert dry_run["closed"]["close_rate"] > 0
    assert dry_run["closed"]["exit_reason"] == "force_exit"
