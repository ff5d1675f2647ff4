"""Option greeks and implied volatilities from GET /markets/summary, replayed from cassettes
(cassettes/account_history/greeks_*). ccxt ships no greeks validator: the shape is checked against its Greeks type."""
from __future__ import annotations

from ccxt.base.types import Greeks

T = 1795310000000


def test_greeks_have_exactly_ccxt_greeks_fields(trader):
    summary = {"symbol": "BTC-USD-96000-C", "greeks": {"delta": "0.37", "gamma": "0.00004", "vega": "41.2"}}
    assert set(trader.parse_greeks(summary)) == set(Greeks.__annotations__)


async def test_greeks_of_a_perpetual_option(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_perpetual_option.yaml") as cassette:
        greeks = await trader.fetch_greeks("BTC/USD:USDC-96000-C")
    assert cassette.all_played
    assert (greeks["symbol"], greeks["timestamp"], greeks["datetime"]) == (
        "BTC/USD:USDC-96000-C", T + 31, trader.iso8601(T + 31))
    assert (greeks["delta"], greeks["gamma"], greeks["vega"], greeks["rho"]) == (0.3711203, 0.0000402, 41.2051, 0.0)
    assert (greeks["vanna"], greeks["volga"]) == (0.0000113, 2.9183)


async def test_greeks_without_theta_from_paradex_leave_theta_empty(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_perpetual_option.yaml"):
        greeks = await trader.fetch_greeks("BTC/USD:USDC-96000-C")
    assert (greeks["theta"], greeks["charm"]) == (None, None)


async def test_greeks_carry_the_implied_volatilities_as_fractions(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_perpetual_option.yaml"):
        greeks = await trader.fetch_greeks("BTC/USD:USDC-96000-C")
    assert (greeks["bidImpliedVolatility"], greeks["askImpliedVolatility"], greeks["markImpliedVolatility"]) == (
        0.47, 0.49, 0.4812)


async def test_greeks_carry_the_option_prices_and_sizes(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_perpetual_option.yaml"):
        greeks = await trader.fetch_greeks("BTC/USD:USDC-96000-C")
    assert (greeks["bidPrice"], greeks["bidSize"]) == (1890.01, 1.25)
    assert (greeks["askPrice"], greeks["askSize"]) == (1951.3, 0.8)
    assert (greeks["markPrice"], greeks["lastPrice"], greeks["underlyingPrice"]) == (1920.5512, 1911.2, 91233.05321)


async def test_greeks_of_a_dated_option_include_theta(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_dated_option.yaml"):
        greeks = await trader.fetch_greeks("BTC/USD:USDC-261127-100000-P")
    assert greeks["symbol"] == "BTC/USD:USDC-261127-100000-P"
    assert (greeks["delta"], greeks["theta"], greeks["rho"]) == (-0.7531882, -61.0215, -18.4402)


async def test_all_greeks_are_keyed_by_symbol_for_every_listed_market(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_all.yaml") as cassette:
        greeks = await trader.fetch_all_greeks()
    assert cassette.all_played
    # NEWCOIN-USD-PERP is in the summary but not in the loaded markets.
    assert set(greeks) == {"BTC/USD:USDC", "BTC/USD:USDC-96000-C", "BTC/USD:USDC-261127-100000-P"}
    assert all(entry["symbol"] == symbol for symbol, entry in greeks.items())


async def test_all_greeks_of_a_perpetual_are_paradex_constant_ones(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_all.yaml"):
        perpetual = (await trader.fetch_all_greeks())["BTC/USD:USDC"]
    assert (perpetual["delta"], perpetual["gamma"], perpetual["markImpliedVolatility"]) == (1.0, 0.0, None)


async def test_all_greeks_of_chosen_symbols_are_only_those(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_all.yaml"):
        greeks = await trader.fetch_all_greeks(["BTC/USD:USDC-96000-C", "BTC/USD:USDC-261127-100000-P"])
    assert set(greeks) == {"BTC/USD:USDC-96000-C", "BTC/USD:USDC-261127-100000-P"}


async def test_all_greeks_of_one_symbol_ask_only_its_market(trader, vcr_cassette):
    with vcr_cassette("account_history/greeks_dated_option.yaml") as cassette:
        greeks = await trader.fetch_all_greeks(["BTC/USD:USDC-261127-100000-P"])
    assert cassette.all_played
    assert list(greeks) == ["BTC/USD:USDC-261127-100000-P"]
