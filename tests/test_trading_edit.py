"""edit_order: PUT /orders/{id} with a signed ModifyOrder; the order keeps its id, market, side and type."""
from __future__ import annotations

import json

import pytest
from ccxt.base.errors import InvalidOrder, OrderNotFound

from tests.orders_support import check_order, ex  # noqa: F401 (fixture)

BTC = "BTC/USD:USDC"
A = "1763787600100201709190000040"


async def test_a_new_price_keeps_the_current_amount_and_returns_the_order_as_paradex_reports_it(ex, vcr_cassette):
    with vcr_cassette("orders/edit_price.yaml") as cassette:
        order = await ex.edit_order(A, BTC, "limit", "buy", None, 61000)
    assert cassette.all_played
    sent = json.loads(cassette.requests[1].body)
    assert (sent["size"], sent["price"]) == ("0.01", "61000")
    assert sent["signature"] and sent["signature_timestamp"]
    assert (order["id"], order["price"], order["amount"], order["status"]) == (A, 61000.0, 0.01, "open")
    assert order["info"]["request_info"]["request_type"] == "MODIFY_ORDER"
    check_order(ex, order, BTC)


async def test_a_stop_loss_market_order_edits_its_trigger_price(ex, vcr_cassette):
    with vcr_cassette("orders/edit_stop_loss_trigger.yaml") as cassette:
        order = await ex.edit_order("1763787600100201709190000047", BTC, "market", "sell", None, None,
                                    {"triggerPrice": 54000})
    assert cassette.all_played
    assert "price" not in json.loads(cassette.requests[1].body)
    assert (order["stopLossPrice"], order["triggerPrice"]) == (54000.0, 54000.0)
    check_order(ex, order, BTC)


@pytest.mark.parametrize(("order_type", "side", "message"), [
    ("limit", "sell", "side"),
    ("market", "buy", "type"),
])
async def test_changing_side_or_type_is_refused_before_anything_is_sent(ex, vcr_cassette, order_type, side, message):
    with vcr_cassette("orders/edit_lookup_open.yaml") as cassette:
        with pytest.raises(InvalidOrder, match=message):
            await ex.edit_order(A, BTC, order_type, side, 0.02, 61000)
    assert cassette.all_played  # the look-up only, no PUT


async def test_editing_a_closed_order_raises_order_not_found(ex, vcr_cassette):
    with vcr_cassette("orders/edit_lookup_closed.yaml"):
        with pytest.raises(OrderNotFound, match="no longer open"):
            await ex.edit_order(A, BTC, "limit", "buy", None, 61000)
