"""The order methods end to end against the local Paradex sandbox (127.0.0.1): real signatures, real lifecycles."""
from __future__ import annotations

from tests.orders_support import check_order

BTC = "BTC/USD:USDC"


async def mark(exchange) -> float:
    ticker = await exchange.fetch_ticker(BTC)
    return float(ticker["info"]["mark_price"])


async def test_a_resting_order_is_found_by_client_id_and_its_cancel_is_confirmed(trading):
    placed = await trading.create_order(BTC, "limit", "buy", 0.001, round(await mark(trading) * 0.9, 1))
    found = await trading.fetch_order(None, BTC, {"clientOrderId": placed["clientOrderId"]})
    canceled = await trading.cancel_order(placed["id"], BTC)
    assert (placed["status"], found["id"]) == ("open", placed["id"])
    assert (canceled["status"], canceled["cancelReason"], canceled["cancelPending"]) == (
        "canceled", "USER_CANCELED", False)
    for order in (placed, found, canceled):
        check_order(trading, order, BTC)


async def test_a_filled_market_order_is_closed_when_fetched_by_client_id(trading):
    placed = await trading.create_order(BTC, "market", "buy", 0.001)
    filled = await trading.fetch_order(None, None, {"clientOrderId": placed["clientOrderId"]})
    assert (filled["status"], filled["filled"], filled["remaining"]) == ("closed", 0.001, 0.0)
    assert filled["average"] > 0
    check_order(trading, filled, BTC)


async def test_a_post_only_order_that_would_take_is_rejected(trading):
    placed = await trading.create_order(BTC, "limit", "buy", 0.001, round(await mark(trading) * 1.01, 1),
                                        {"postOnly": True})
    final = await trading.fetch_order(placed["id"])
    assert (final["status"], final["cancelReason"], final["postOnly"]) == ("rejected", "POST_ONLY_WOULD_CROSS", True)
    check_order(trading, final, BTC)


async def test_an_edit_keeps_the_id_and_changes_amount_and_price(trading):
    price = round(await mark(trading) * 0.9, 1)
    placed = await trading.create_order(BTC, "limit", "buy", 0.001, price)
    edited = await trading.edit_order(placed["id"], BTC, "limit", "buy", 0.002, round(price * 0.9, 1))
    assert (edited["id"], edited["amount"], edited["price"], edited["status"]) == (
        placed["id"], 0.002, round(price * 0.9, 1), "open")
    check_order(trading, edited, BTC)


async def test_a_batch_is_placed_and_cancel_all_returns_each_order_canceled(trading):
    price = round(await mark(trading) * 0.9, 1)
    placed = await trading.create_orders([
        {"symbol": BTC, "type": "limit", "side": "buy", "amount": 0.001, "price": price} for _ in range(3)])
    canceled = await trading.cancel_all_orders(BTC)
    assert [order["status"] for order in placed] == ["open"] * 3
    assert sorted(order["id"] for order in canceled) == sorted(order["id"] for order in placed)
    assert {(order["status"], order["cancelPending"]) for order in canceled} == {("canceled", False)}
    for order in placed + canceled:
        check_order(trading, order, BTC)


async def test_a_batch_cancel_reports_an_unknown_id_as_not_found(trading):
    placed = await trading.create_order(BTC, "limit", "buy", 0.001, round(await mark(trading) * 0.9, 1))
    canceled, unknown = await trading.cancel_orders([placed["id"], "1"])
    assert (canceled["status"], canceled["notFound"]) == ("canceled", False)
    assert (unknown["id"], unknown["status"], unknown["notFound"]) == ("1", None, True)


async def test_an_ioc_order_that_finds_nothing_to_take_is_expired(trading):
    placed = await trading.create_order(BTC, "limit", "buy", 0.001, round(await mark(trading) * 0.9, 1),
                                        {"timeInForce": "IOC"})
    final = await trading.fetch_order(placed["id"])
    assert (final["status"], final["filled"], final["cancelReason"]) == ("expired", 0.0, "REMAINING_IOC_CANCEL")


async def test_an_ioc_order_filled_in_part_is_canceled_keeping_its_fill(make_sandbox):
    # No liquidity provider: the only offer on the book is the maker's, so the fill size is known.
    from paradex_ccxt import paradex

    sandbox = await make_sandbox(liquidity=False)
    maker, taker = (paradex({"timeout_on_exit": 0,
                             "options": {"paradexAccount": sandbox.create_account().paradex_account}})
                    for _ in range(2))
    try:
        for exchange in (maker, taker):
            exchange.urls["api"] = {"v1": sandbox.api_url}
            await exchange.load_markets()
        price = float(maker.price_to_precision(BTC, float(sandbox.engine.mark_price("BTC-USD-PERP"))))
        await maker.create_order(BTC, "limit", "sell", 0.002, price)
        placed = await taker.create_order(BTC, "limit", "buy", 0.003, price, {"timeInForce": "IOC"})
        final = await taker.fetch_order(placed["id"])
        assert (final["status"], final["cancelReason"]) == ("canceled", "REMAINING_IOC_CANCEL")
        assert (final["filled"], final["remaining"]) == (0.002, 0.001)
        check_order(taker, final, BTC)
    finally:
        await maker.close()
        await taker.close()
