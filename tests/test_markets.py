"""GET /v1/markets -> ccxt markets: the symbols ccxt's built-in paradex uses, tick-size precision, limits
(min notional, leverage), contract fields, options. Input: tests/data/markets.json (real-shaped response)."""
from __future__ import annotations

import ccxt.async_support
import pytest
from ccxt.test.exchange.base import test_market as check_market

from tests.conftest import load_json

RAW = {m["symbol"]: m for m in load_json("markets.json")["results"]}  # type: ignore[index]
NOW = 1795310000000  # 2026-11-22T09:53:20Z


def market_of(trader, market_id: str) -> dict:
    return trader.markets_by_id[market_id][0]


async def test_symbols_are_spelled_like_ccxt_builtin_paradex(trader):
    builtin = ccxt.async_support.paradex()
    try:
        for market_id, raw in RAW.items():
            assert market_of(trader, market_id)["symbol"] == builtin.parse_market(raw)["symbol"], market_id
    finally:
        await builtin.close()


async def test_perpetual_symbol_and_contract_fields(trader):
    market = trader.market("BTC/USD:USDC")
    assert market["id"] == "BTC-USD-PERP"
    assert (market["type"], market["swap"], market["contract"], market["linear"]) == ("swap", True, True, True)
    assert (market["base"], market["quote"], market["settle"]) == ("BTC", "USD", "USDC")
    assert market["contractSize"] == 1
    assert market["expiry"] is None


async def test_precision_is_price_tick_and_size_increment(trader):
    market = trader.market("SOL/USD:USDC")
    assert market["precision"] == {"amount": 0.01, "price": 0.001}
    assert trader.amount_to_precision("SOL/USD:USDC", 1.23456) == "1.23"
    assert trader.price_to_precision("SOL/USD:USDC", 142.18871) == "142.189"


async def test_limits_carry_min_notional_size_increment_and_max_order_size(trader):
    limits = trader.market("BTC/USD:USDC")["limits"]
    assert limits["cost"] == {"min": 10.0, "max": None}
    assert limits["amount"] == {"min": 0.00001, "max": 100.0}


async def test_max_leverage_is_the_inverse_of_the_base_initial_margin(trader):
    assert trader.market("BTC/USD:USDC")["limits"]["leverage"] == {"min": 1.0, "max": 50.0}
    assert trader.market("SOL/USD:USDC")["limits"]["leverage"]["max"] == 20.0


async def test_max_leverage_rounds_down_to_a_whole_number(trader):
    raw = dict(RAW["ETH-USD-PERP"], delta1_cross_margin_params={
        "imf_base": "0.03", "imf_shift": "0", "imf_factor": "0", "mmf_factor": "0.5"})
    assert trader.parse_market(raw)["limits"]["leverage"]["max"] == 33.0


async def test_fees_are_the_api_order_flow_rates_of_fee_config(trader):
    market = trader.market("ETH/USD:USDC")
    assert (market["maker"], market["taker"]) == (-0.00005, 0.0002)


async def test_fees_fall_back_to_exchange_defaults_without_fee_config(trader):
    raw = {k: v for k, v in RAW["ETH-USD-PERP"].items() if k != "fee_config"}
    market = trader.parse_market(raw)
    assert (market["maker"], market["taker"]) == (trader.fees["swap"]["maker"], trader.fees["swap"]["taker"])


async def test_listed_markets_pass_ccxt_market_validator(trader, monkeypatch):
    monkeypatch.setattr(trader, "milliseconds", lambda: NOW)
    # A perpetual option never expires, while ccxt's validator demands an expiry from every option market:
    # it is checked field by field in test_perpetual_option_has_no_expiry instead.
    for market_id in ("BTC-USD-PERP", "ETH-USD-PERP", "SOL-USD-PERP", "BTC-USD-27NOV26-100000-P"):
        check_market(trader, {}, "fetchMarkets", market_of(trader, market_id))


async def test_perpetual_option_has_no_expiry(trader):
    market = trader.market("BTC/USD:USDC-96000-C")
    assert (market["type"], market["option"], market["contract"]) == ("option", True, True)
    assert (market["strike"], market["optionType"]) == (96000.0, "call")
    assert market["expiry"] is None and market["expiryDatetime"] is None
    assert market["limits"]["leverage"] == {"min": None, "max": None}


async def test_dated_option_symbol_carries_expiry_strike_and_type(trader):
    market = trader.market("BTC/USD:USDC-261127-100000-P")
    assert market["id"] == "BTC-USD-27NOV26-100000-P"
    assert market["expiry"] == 1795766400000
    assert market["expiryDatetime"] == "2026-11-27T08:00:00.000Z"
    assert (market["strike"], market["optionType"]) == (100000.0, "put")


async def test_market_is_inactive_before_open_and_after_expiry(trader, monkeypatch):
    raw = RAW["BTC-USD-27NOV26-100000-P"]
    monkeypatch.setattr(trader, "milliseconds", lambda: raw["open_at"] - 1)
    assert trader.parse_market(raw)["active"] is False
    monkeypatch.setattr(trader, "milliseconds", lambda: raw["open_at"])
    assert trader.parse_market(raw)["active"] is True
    monkeypatch.setattr(trader, "milliseconds", lambda: raw["expiry_at"])
    assert trader.parse_market(raw)["active"] is False


async def test_dated_future_is_a_future_with_an_expiry_suffix(trader):
    raw = dict(RAW["BTC-USD-PERP"], symbol="BTC-USD-27NOV26", asset_kind="FUTURE", expiry_at=1795766400000)
    market = trader.parse_market(raw)
    assert (market["type"], market["future"], market["swap"]) == ("future", True, False)
    assert market["symbol"] == "BTC/USD:USDC-261127"


async def test_spot_market_has_no_settle_nor_contract_fields(trader):
    raw = dict(RAW["ETH-USD-PERP"], symbol="ETH-USD", asset_kind="SPOT")
    market = trader.parse_market(raw)
    assert (market["symbol"], market["type"], market["spot"], market["contract"]) == ("ETH/USD", "spot", True, False)
    assert market["settle"] is None and market["contractSize"] is None and market["linear"] is None


@pytest.mark.parametrize(("market_kind", "modes"), [
    ("cross", {"cross": True, "isolated": False}),
    ("isolated", {"cross": False, "isolated": True}),
    ("isolated_margin", {"cross": False, "isolated": True}),
])
async def test_margin_modes_follow_market_kind(trader, market_kind, modes):
    market = trader.parse_market(dict(RAW["BTC-USD-PERP"], market_kind=market_kind))
    assert market["marginModes"] == modes


async def test_settlement_currency_is_a_known_currency(trader):
    assert trader.currency("USDC")["id"] == "USDC"
    assert trader.safe_currency_code("USDC") == "USDC"


async def test_fetch_markets_reads_every_listed_market(exchange, vcr_cassette):
    with vcr_cassette("market_data/markets.yaml"):
        markets = await exchange.load_markets()
    assert sorted(markets) == sorted([
        "BTC/USD:USDC", "ETH/USD:USDC", "SOL/USD:USDC", "BTC/USD:USDC-96000-C", "BTC/USD:USDC-261127-100000-P"])
    assert exchange.market("BTC/USD:USDC")["info"] == RAW["BTC-USD-PERP"]
