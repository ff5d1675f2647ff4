"""Paradex order object -> unified order: every field a bot reads."""
from __future__ import annotations

import pytest

from tests.conftest import load_json
from tests.orders_support import check_order, ex, paradex_order  # noqa: F401 (fixture)


def test_the_mcp_reference_payload_gives_exactly_its_expected_order(ex):
    entry = load_json("mcp-paradex-py.json")["entries"][0]
    order = ex.parse_order(entry["response"]["body"])
    assert {key: order[key] for key in entry["expected"]} == entry["expected"]
    check_order(ex, order, "BTC/USD:USDC")


def test_an_open_limit_order_maps_every_field(ex):
    raw = paradex_order("open_limit")
    order = ex.parse_order(raw)
    assert order["id"] == "1763787600100201709190000001"
    assert order["clientOrderId"] == "bot-1"
    assert order["timestamp"] == 1763787600100
    assert order["datetime"] == "2025-11-22T05:00:00.100Z"
    assert order["lastUpdateTimestamp"] == 1763787600350
    assert order["lastTradeTimestamp"] is None
    assert (order["status"], order["symbol"], order["type"], order["side"]) == ("open", "BTC/USD:USDC", "limit", "buy")
    assert (order["timeInForce"], order["postOnly"], order["reduceOnly"]) == ("GTC", False, False)
    assert (order["price"], order["amount"], order["filled"], order["remaining"]) == (60000.0, 0.01, 0.0, 0.01)
    assert (order["average"], order["cost"]) == (None, 0.0)
    assert order["triggerPrice"] is None
    assert order["cancelReason"] is None
    assert order["info"] is raw
    check_order(ex, order, "BTC/USD:USDC")


def test_filled_is_size_minus_remaining_and_cost_is_filled_times_average(ex):
    order = ex.parse_order(paradex_order("open_partially_filled"))
    assert (order["amount"], order["filled"], order["remaining"]) == (0.5, 0.3, 0.2)
    assert order["average"] == 3000.5
    assert order["cost"] == 900.15
    check_order(ex, order, "ETH/USD:USDC")


def test_an_open_order_has_no_last_trade_time_its_last_update_may_have_been_an_edit(ex):
    order = ex.parse_order(paradex_order("open_partially_filled"))
    assert order["lastTradeTimestamp"] is None


def test_a_filled_market_order_has_no_limit_price_and_its_zero_signature_timestamp_means_absent(ex):
    order = ex.parse_order(paradex_order("filled_market"))
    assert (order["status"], order["type"]) == ("closed", "market")
    assert order["filled"] == 0.01
    assert order["average"] == 60012.3
    # Paradex writes price "0" for market orders; ccxt shows the average fill price there.
    assert order["price"] == 60012.3
    assert order["clientOrderId"] is None
    assert order["timestamp"] == 1763787600200
    assert order["lastTradeTimestamp"] == 1763787600450
    check_order(ex, order, "BTC/USD:USDC")


def test_a_zero_creation_time_means_no_timestamp(ex):
    order = ex.parse_order(paradex_order("open_limit", created_at=0, last_updated_at=0))
    assert (order["timestamp"], order["datetime"], order["lastUpdateTimestamp"]) == (None, None, None)
    check_order(ex, order)


def test_a_user_cancel_keeps_the_raw_reason(ex):
    order = ex.parse_order(paradex_order("canceled_by_user"))
    assert order["status"] == "canceled"
    assert order["cancelReason"] == "USER_CANCELED"
    assert order["info"]["cancel_reason"] == "USER_CANCELED"
    assert (order["filled"], order["remaining"], order["cost"]) == (0.0, 0.01, 0.0)
    check_order(ex, order)


def test_a_cancel_after_a_partial_fill_preserves_the_fill(ex):
    order = ex.parse_order(paradex_order("canceled_partially_filled"))
    assert order["status"] == "canceled"
    assert (order["filled"], order["remaining"], order["average"]) == (0.004, 0.006, 59990.5)
    assert order["cost"] == pytest.approx(239.962)
    # The last update of a cancelled order is the cancel, not a fill.
    assert order["lastTradeTimestamp"] is None
    check_order(ex, order)


def test_a_margin_refusal_is_rejected(ex):
    order = ex.parse_order(paradex_order("rejected_margin"))
    assert (order["status"], order["cancelReason"], order["filled"]) == ("rejected", "NOT_ENOUGH_MARGIN", 0.0)
    check_order(ex, order)


def test_an_unfilled_ioc_remainder_is_expired(ex):
    order = ex.parse_order(paradex_order("ioc_remainder_expired"))
    assert (order["status"], order["timeInForce"], order["cancelReason"]) == ("expired", "IOC", "REMAINING_IOC_CANCEL")
    check_order(ex, order)


def test_a_partly_filled_ioc_is_canceled_with_its_fill(ex):
    order = ex.parse_order(paradex_order("ioc_partially_filled"))
    assert (order["status"], order["filled"], order["remaining"]) == ("canceled", 0.006, 0.004)
    check_order(ex, order)


def test_a_post_only_order_that_would_cross_is_rejected_and_post_only(ex):
    order = ex.parse_order(paradex_order("post_only_would_cross"))
    assert (order["status"], order["timeInForce"], order["postOnly"]) == ("rejected", "PO", True)
    check_order(ex, order)


def test_an_unknown_reason_is_canceled_with_the_raw_reason_kept(ex):
    order = ex.parse_order(paradex_order("unknown_reason"))
    assert (order["status"], order["cancelReason"]) == ("canceled", "SOME_FUTURE_REASON")
    check_order(ex, order)


def test_an_untriggered_stop_loss_market_order_is_an_open_reduce_only_market_order_with_its_stop(ex):
    order = ex.parse_order(paradex_order("untriggered_stop_loss_market"))
    assert (order["status"], order["type"], order["reduceOnly"]) == ("open", "market", True)
    assert (order["triggerPrice"], order["stopLossPrice"], order["takeProfitPrice"]) == (55000.0, 55000.0, None)
    assert order["price"] is None
    check_order(ex, order)


def test_a_whole_position_stop_loss_has_no_size_of_its_own_until_it_fires(ex):
    order = ex.parse_order(paradex_order("untriggered_stop_loss_market", size="0", remaining_size="0"))
    assert (order["status"], order["amount"], order["filled"], order["remaining"]) == ("open", None, 0.0, None)
    check_order(ex, order)


def test_a_whole_position_stop_loss_cancelled_before_firing_is_canceled_not_filled(ex):
    order = ex.parse_order(paradex_order("untriggered_stop_loss_market", size="0", remaining_size="0",
                                         status="CLOSED", cancel_reason="USER_CANCELED"))
    assert (order["status"], order["filled"], order["cancelReason"]) == ("canceled", 0.0, "USER_CANCELED")
    check_order(ex, order)


def test_a_take_profit_limit_order_keeps_its_limit_and_trigger(ex):
    order = ex.parse_order(paradex_order("take_profit_limit"))
    assert (order["type"], order["price"]) == ("limit", 70100.0)
    assert (order["triggerPrice"], order["takeProfitPrice"], order["stopLossPrice"]) == (70000.0, 70000.0, None)
    check_order(ex, order)


def test_a_stop_limit_order_has_a_trigger_price_only(ex):
    order = ex.parse_order(paradex_order("stop_limit"))
    assert (order["type"], order["price"], order["triggerPrice"]) == ("limit", 65100.0, 65000.0)
    assert (order["stopLossPrice"], order["takeProfitPrice"]) == (None, None)
    check_order(ex, order)


def test_an_rpi_order_is_post_only(ex):
    order = ex.parse_order(paradex_order("rpi_open"))
    assert (order["timeInForce"], order["postOnly"]) == ("PO", True)
    assert order["info"]["instruction"] == "RPI"
    check_order(ex, order)


def test_a_new_order_is_open(ex):
    order = ex.parse_order(paradex_order("new_limit"))
    assert order["status"] == "open"
    check_order(ex, order)
