"""The README's main job: the demo session runs against the embedded sandbox and shows every order state."""
from __future__ import annotations

import asyncio
import io

import pytest

from paradex_ccxt.__main__ import main as package_main
from paradex_ccxt.demo import OrderTable, credentials_from_env, main, run_sandbox_session

HISTORY_LABELS = ("closed", "canceled", "rejected", "expired")


@pytest.fixture(scope="module")
def demo() -> tuple[list[tuple[str, dict]], str]:
    out = io.StringIO()
    rows = asyncio.run(run_sandbox_session(out))
    return rows, out.getvalue()


def orders_at(demo, step: str) -> list[dict]:
    return [order for name, order in demo[0] if name == step]


def test_demo_edits_a_resting_order_in_place(demo):
    created = orders_at(demo, "create limit buy")[0]
    edited = orders_at(demo, "edit size and price")[0]
    assert edited["id"] == created["id"]
    assert edited["status"] == "open" and edited["amount"] == 2 * created["amount"]


def test_demo_shows_a_partial_fill_then_a_confirmed_cancel_keeping_it(demo):
    partly = orders_at(demo, "maker: partly filled")[0]
    assert (partly["status"], partly["filled"], partly["remaining"]) == ("open", 0.01, 0.02)
    cancelled = orders_at(demo, "maker: cancel (confirmed)")[0]
    assert (cancelled["status"], cancelled["filled"], cancelled["cancelReason"]) == ("canceled", 0.01, "USER_CANCELED")


def test_demo_ioc_taker_fills_completely(demo):
    taker = orders_at(demo, "trader: IOC buy")[0]
    assert (taker["status"], taker["filled"], taker["remaining"]) == ("closed", 0.01, 0)


def test_demo_batch_cancel_cancels_every_batch_order(demo):
    created = orders_at(demo, "batch create")
    cancelled = orders_at(demo, "batch cancel")
    assert [o["id"] for o in cancelled] == [o["id"] for o in created]
    assert [o["status"] for o in cancelled] == ["canceled"] * 3


def test_demo_unaffordable_order_is_rejected_for_margin(demo):
    order = orders_at(demo, "risk check")[0]
    assert (order["status"], order["filled"], order["cancelReason"]) == ("rejected", 0, "NOT_ENOUGH_MARGIN")


def test_demo_prints_the_positions_opened_by_the_fill(demo):
    assert "trader BTC/USD:USDC: long 0.01" in demo[1]
    assert "maker  BTC/USD:USDC: short 0.01" in demo[1]


def test_demo_history_lists_the_fill_with_its_fee(demo):
    assert "fill buy 0.01 @" in demo[1] and "(taker), fee" in demo[1]


def test_testnet_mode_without_credentials_says_what_to_set():
    with pytest.raises(SystemExit, match="PARADEX_L2_PRIVATE_KEY"):
        credentials_from_env({})


def test_testnet_mode_reads_l2_credentials_from_the_environment():
    config = credentials_from_env({"PARADEX_L2_PRIVATE_KEY": "0x1", "PARADEX_L2_ADDRESS": "0x2"})
    assert config["options"]["paradexAccount"] == {"privateKey": "0x1", "address": "0x2"}


def test_demo_streams_the_orders_and_confirms_the_cancel_from_the_stream(demo):
    streamed = orders_at(demo, "stream: order update")
    assert streamed and streamed[-1]["status"] == "canceled"
    cancelled = orders_at(demo, "cancel (from stream)")[0]
    assert (cancelled["status"], cancelled["cancelReason"], cancelled["cancelPending"]) == (
        "canceled", "USER_CANCELED", False)
    assert "book (stream, seq" in demo[1]


# -- the table --------------------------------------------------------------------------------------------------

def table_row(trader, **order) -> str:
    out = io.StringIO()
    OrderTable(out, trader).row("step", {"symbol": "BTC/USD:USDC", "id": "1", "side": "buy", "type": "limit",
                                         "status": "open", **order})
    return out.getvalue().splitlines()[2]


def test_table_prints_prices_at_the_markets_tick(trader):
    assert "101122.8 " in table_row(trader, price=101122.8, amount=0.01)


def test_table_prints_a_fill_average_in_full(trader):
    assert "101166.8 " in table_row(trader, price=101170, amount=0.02, average=101166.8)


def test_table_prints_amounts_at_the_markets_step(trader):
    row = table_row(trader, price=101170.0, amount=0.02, filled=0.01, remaining=0.01)
    assert row.split()[5:9] == ["0.02", "open", "0.01", "0.01"]


def test_table_prints_nothing_remaining_as_zero(trader):
    assert table_row(trader, price=101170.0, amount=0.02, filled=0.02, remaining=0.0).split()[7:9] == ["0.02", "0"]


def test_history_rows_are_labelled_by_the_orders_own_end(demo):
    history = [(name, order) for name, order in demo[0] if name in HISTORY_LABELS]
    assert history and all(name == order["status"] for name, order in history)
    assert "rejected" in [name for name, _ in history]


# -- the command line -------------------------------------------------------------------------------------------

def test_package_help_lists_the_commands_and_exits_0(capsys):
    package_main(["--help"])
    out = capsys.readouterr().out
    assert "  demo " in out and "  sandbox " in out and "paradex_ccxt.compat" in out


def test_unknown_command_is_one_line(capsys):
    with pytest.raises(SystemExit, match="unknown command 'dmeo'"):
        package_main(["dmeo"])


def test_demo_help_describes_the_testnet_credentials(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    assert "PARADEX_L2_PRIVATE_KEY" in out and "PARADEX_ETH_PRIVATE_KEY" in out and "--seed" in out


def test_demo_on_an_unreachable_testnet_is_one_line(monkeypatch):
    monkeypatch.setenv("PARADEX_CCXT_API_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("PARADEX_L2_PRIVATE_KEY", "0x123")
    monkeypatch.setenv("PARADEX_L2_ADDRESS", "0x456")
    with pytest.raises(SystemExit) as exit_:
        main(["--testnet"])
    message = str(exit_.value.code)
    assert message.startswith("python -m paradex_ccxt demo --testnet: cannot reach Paradex testnet")
    assert "\n" not in message


def test_package_sandbox_command_is_the_sandbox_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        package_main(["sandbox", "--markets", "FOO-USD-PERP"])
    assert exit_.value.code == 1
    assert capsys.readouterr().err.startswith("python -m paradex_ccxt.sandbox: unknown market FOO-USD-PERP")
