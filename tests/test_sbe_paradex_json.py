"""SBE <-> Paradex JSON channel payloads: every channel survives the trip through a frame, and what SBE lacks is
exactly what the module documents."""
from __future__ import annotations

import pytest

from paradex_ccxt.sbe import (
    CHANNELS, SUPPORTED_VERSIONS, SbeEncodeError, decode, encode, from_paradex_json, to_paradex_json,
)
from tests import sbe_samples as s

# JSON keys a frame of that version cannot carry in full (paradex_ccxt/sbe/paradex_json.py docstring)
NOT_IN_SBE = {
    ("markets_summary", 0): {"funding_rate"},  # 8 decimals only: tested below
    ("funding_data", 0): {"impact_premium_rate"},
    ("fills.BTC-USD-PERP", 0): {"fee_currency", "flags"},
    ("fills.BTC-USD-PERP", 1): {"fee_currency", "flags"},
    ("account", 0): {"last_seen_notification"},
    ("account", 1): {"last_seen_notification"},
}


def through_sbe(channel: str, data: dict, version: int) -> tuple[str, dict]:
    message = decode(from_paradex_json(channel, data, version))
    assert message is not None and message.version == version
    return to_paradex_json(message)


@pytest.mark.parametrize("channel, version", [
    (channel, version) for channel in s.CHANNEL_SAMPLES for version in SUPPORTED_VERSIONS
    # trades are tested below; FundingRateComparisonEvent appeared in 1:1
    if channel != "trades.BTC-USD-PERP" and (channel, version) != ("funding_rate_comparison", 0)
])
def test_payload_survives_a_frame_of_every_version(channel, version):
    data = s.CHANNEL_SAMPLES[channel]
    got_channel, got = through_sbe(channel, data, version)
    missing = NOT_IN_SBE.get((channel, version), set())
    assert got_channel == channel
    assert {k: v for k, v in got.items() if k not in missing} == {k: v for k, v in data.items() if k not in missing}


def test_trade_id_is_the_real_id_from_version_2():
    assert through_sbe("trades.BTC-USD-PERP", s.TRADE, 2) == ("trades.BTC-USD-PERP", s.TRADE)


@pytest.mark.parametrize("version", [0, 1])
def test_trade_id_below_version_2_is_the_schemas_truncated_int64(version):
    _, got = through_sbe("trades.BTC-USD-PERP", s.TRADE, version)
    # low 64 bits of 1791421923324000100000000042, as the schema says the deprecated tradeId holds it
    assert got["id"] == str(1791421923324000100000000042 % 2**64)
    assert {k: v for k, v in got.items() if k != "id"} == {k: v for k, v in s.TRADE.items() if k != "id"}


def test_short_position_size_is_signed_and_id_is_account_dash_market():
    _, got = through_sbe("positions", s.POSITION, 2)
    assert got["side"] == "SHORT" and got["size"] == "-0.002"
    assert got["id"] == f"{s.ACCOUNT}-BTC-USD-PERP"


def test_long_position_size_is_positive():
    _, got = through_sbe("positions", {**s.POSITION, "side": "LONG", "size": "0.5"}, 2)
    assert (got["side"], got["size"]) == ("LONG", "0.5")


def test_book_delta_puts_zero_sizes_in_deletes_and_the_rest_in_updates():
    assert through_sbe("order_book.BTC-USD-PERP", s.BOOK_DELTA, 1) == ("order_book.BTC-USD-PERP", s.BOOK_DELTA)


def test_open_order_without_fills_or_trigger_reads_like_paradex_json():
    order = {**s.ORDER, "status": "OPEN", "remaining_size": "0.002", "avg_fill_price": "", "flags": []}
    _, got = through_sbe("orders.BTC-USD-PERP", order, 2)
    assert (got["avg_fill_price"], got["trigger_price"], got["cancel_reason"], got["flags"]) == ("", "0", "", [])


def test_market_order_price_is_zero_string():
    _, got = through_sbe("orders.BTC-USD-PERP", {**s.ORDER, "type": "MARKET", "price": "0"}, 2)
    assert got["price"] == "0"


def test_canceled_order_keeps_cancel_reason():
    order = {**s.ORDER, "cancel_reason": "POST_ONLY_WOULD_CROSS", "remaining_size": "0.002"}
    _, got = through_sbe("orders.BTC-USD-PERP", order, 1)
    assert got["cancel_reason"] == "POST_ONLY_WOULD_CROSS"


def test_modify_request_info_travels_from_version_2():
    info = {"id": "req-17", "request_type": "MODIFY_ORDER", "status": "REJECTED", "message": "INVALID_PRICE"}
    _, got = through_sbe("orders.BTC-USD-PERP", {**s.ORDER, "request_info": info}, 2)
    assert got["request_info"] == info


def test_request_info_is_absent_below_version_2():
    info = {"id": "req-17", "request_type": "MODIFY_ORDER", "status": "PENDING", "message": ""}
    _, got = through_sbe("orders.BTC-USD-PERP", {**s.ORDER, "request_info": info}, 1)
    assert "request_info" not in got


def test_funding_rate_keeps_12_decimals_from_version_1_and_8_at_version_0():
    assert through_sbe("markets_summary", s.MARKETS_SUMMARY, 1)[1]["funding_rate"] == "0.000443605046"
    assert through_sbe("markets_summary", s.MARKETS_SUMMARY, 0)[1]["funding_rate"] == "0.0004436"


def test_channel_without_sbe_template_is_refused():
    with pytest.raises(SbeEncodeError, match="balance_events"):
        from_paradex_json("balance_events", {}, 2)


def test_order_of_early_version_2_layout_reads_without_request_info():
    info = {"id": "req-17", "request_type": "MODIFY_ORDER", "status": "PENDING", "message": ""}
    frame = from_paradex_json("orders.BTC-USD-PERP", {**s.ORDER, "request_info": info}, 2, in_place_additions=False)
    _, got = to_paradex_json(decode(frame))
    assert got == s.ORDER  # without request_info


def test_trade_of_early_version_2_layout_falls_back_to_the_int64_id():
    frame = from_paradex_json("trades.BTC-USD-PERP", s.TRADE, 2, in_place_additions=False)
    assert to_paradex_json(decode(frame))[1]["id"] == str(1791421923324000100000000042 % 2**64)


def test_heartbeat_has_no_channel():
    assert to_paradex_json(decode(encode("HeartbeatEvent", {"ts": 1, "seq": 2}))) is None


def test_channels_with_an_sbe_template():
    assert CHANNELS == ("trades", "bbo", "order_book", "markets_summary", "funding_data", "funding_rate_comparison",
                        "orders", "fills", "positions", "account")


def test_empty_book_side_is_an_empty_string_in_bbo_and_summary():
    bbo = {**s.BBO, "ask": "", "ask_size": ""}
    summary = {**s.MARKETS_SUMMARY, "bid": "", "bid_size": ""}
    assert through_sbe("bbo.BTC-USD-PERP", bbo, 2)[1] == bbo
    assert through_sbe("markets_summary", summary, 2)[1] == summary


def test_empty_string_decimal_is_written_as_the_null_sentinel():
    frame = from_paradex_json("bbo.BTC-USD-PERP", {**s.BBO, "ask": "", "ask_size": ""}, 1)
    assert decode(frame).fields["askPrice"] is None
    assert frame[8 + 32:8 + 40] == (2**63).to_bytes(8, "little")  # INT64_MIN
