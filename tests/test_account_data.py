"""Account reads: balance, positions, leverage and margin mode, trading fees, funding payments and fills,
replayed from cassettes (cassettes/account/) and checked with ccxt's own structure validators."""
from __future__ import annotations

import json

import pytest
from ccxt.base.errors import ArgumentsRequired, BadRequest
from ccxt.test.exchange.base import test_balance as check_balance
from ccxt.test.exchange.base import test_margin_mode as check_margin_mode
from ccxt.test.exchange.base import test_position as check_position
from ccxt.test.exchange.base import test_trade as check_trade
from ccxt.test.exchange.base import test_trading_fee as check_trading_fee

T = 1795310000000  # the account's updated_at in the cassettes
LATER = T + 60_000
# An isolated position's collateral is not in the account's figures.
ISOLATED_POSITION_SKIPS = {"collateral": True}
# GET /account in the position cassettes.
ACCOUNT_VALUE = 10498.87712341
ACCOUNT_MMR = 1143.73796755


# -- balance --------------------------------------------------------------------------------------------------

async def test_balance_collateral_has_numeric_free_used_total(trader, vcr_cassette):
    with vcr_cassette("account/balance.yaml"):
        balance = await trader.fetch_balance()
    check_balance(trader, {}, "fetchBalance", balance)
    assert balance["USDC"] == {"free": 8211.40118831, "used": 2287.4759351, "total": 10498.87712341}
    assert balance["timestamp"] == T


async def test_balance_mirrors_usdc_under_usd_for_usd_quoted_bots(trader, vcr_cassette):
    trader.options["balanceUsdAlias"] = True
    with vcr_cassette("account/balance.yaml"):
        balance = await trader.fetch_balance()
    assert balance["USD"] == balance["USDC"]
    assert balance["free"]["USD"] == 8211.40118831


async def test_balance_reports_only_the_usdc_the_account_holds_by_default(trader, vcr_cassette):
    with vcr_cassette("account/balance.yaml"):
        balance = await trader.fetch_balance()
    assert "USD" not in balance and "USD" not in balance["total"]
    assert balance["total"]["USDC"] == 10498.87712341


async def test_balance_of_an_empty_account_is_zero_not_missing(trader, vcr_cassette):
    with vcr_cassette("account/balance_new_account.yaml"):
        balance = await trader.fetch_balance()
    check_balance(trader, {}, "fetchBalance", balance)
    assert balance["USDC"] == {"free": 0.0, "used": 0.0, "total": 0.0}


# -- positions ------------------------------------------------------------------------------------------------

async def test_positions_are_the_open_ones_with_mark_price_and_margin_mode(trader, vcr_cassette):
    with vcr_cassette("account/positions.yaml") as cassette:
        positions = await trader.fetch_positions()
    assert cassette.all_played
    assert [p["symbol"] for p in positions] == ["BTC/USD:USDC", "ETH/USD:USDC"]
    for position in positions:
        skips = ISOLATED_POSITION_SKIPS if position["marginMode"] == "isolated" else {}
        check_position(trader, skips, "fetchPositions", position, position["symbol"], LATER)


async def test_cross_position_collateral_is_the_account_value(trader, vcr_cassette):
    with vcr_cassette("account/positions.yaml"):
        btc = (await trader.fetch_positions())[0]
    assert (btc["marginMode"], btc["collateral"]) == ("cross", ACCOUNT_VALUE)


async def test_cross_position_margin_ratio_is_the_accounts_maintenance_over_its_value(trader, vcr_cassette):
    with vcr_cassette("account/positions.yaml"):
        btc = (await trader.fetch_positions())[0]
    assert btc["marginRatio"] == pytest.approx(ACCOUNT_MMR / ACCOUNT_VALUE)


async def test_isolated_position_has_no_collateral_from_the_account(trader, vcr_cassette):
    with vcr_cassette("account/positions.yaml"):
        eth = (await trader.fetch_positions())[1]
    assert (eth["marginMode"], eth["collateral"], eth["marginRatio"]) == ("isolated", None, None)


async def test_maintenance_margin_is_the_notional_times_base_imf_times_mmf_factor(trader, vcr_cassette):
    # BTC-USD-PERP: imf_base 0.02, mmf_factor 0.5, no growth with size (imf_factor 0).
    with vcr_cassette("account/positions.yaml"):
        btc = (await trader.fetch_positions())[0]
    assert btc["maintenanceMarginPercentage"] == 0.01
    assert btc["maintenanceMargin"] == pytest.approx(0.25 * 91245.31830121 * 0.01)


def test_maintenance_margin_fraction_grows_with_the_square_root_of_notional_beyond_the_shift(trader):
    market = trader.safe_market("BTC-USD-PERP")
    market["info"] = {**market["info"], "delta1_cross_margin_params": {
        "imf_base": "0.02", "imf_factor": "0.0005", "imf_shift": "1563", "mmf_factor": "0.5"}}
    raw = {"market": "BTC-USD-PERP", "status": "OPEN", "side": "LONG", "size": "0.05", "cost_usd": "4563.00",
           "average_entry_price": "91260", "unrealized_pnl": "12.5", "leverage": "", "liquidation_price": "",
           "created_at": 1763787600000, "last_updated_at": 1763787600000}
    position = trader.parse_position(raw)
    # IMF = max(0.02, 0.0005 x sqrt(4563 - 1563)) = 0.0273861; MMF = 0.5 x IMF
    assert position["maintenanceMarginPercentage"] == pytest.approx(0.5 * 0.0005 * 3000 ** 0.5)
    assert position["maintenanceMargin"] == pytest.approx(4563 * 0.5 * 0.0005 * 3000 ** 0.5)


async def test_isolated_position_keeps_paradexs_missing_liquidation_price(trader, vcr_cassette):
    # ccxt would estimate one from the initial and maintenance margins; Paradex named none.
    with vcr_cassette("account/positions.yaml"):
        eth = (await trader.fetch_positions())[1]
    assert eth["maintenanceMargin"] is not None and eth["liquidationPrice"] is None


async def test_long_position_fields(trader, vcr_cassette):
    with vcr_cassette("account/positions.yaml"):
        btc = (await trader.fetch_positions())[0]
    assert (btc["side"], btc["contracts"], btc["contractSize"]) == ("long", 0.25, 1.0)
    assert (btc["entryPrice"], btc["markPrice"]) == (90012.4, 91245.31830121)
    assert btc["notional"] == pytest.approx(0.25 * 91245.31830121)
    assert (btc["unrealizedPnl"], btc["liquidationPrice"]) == (308.1345753, 51234.5)
    assert (btc["leverage"], btc["marginMode"]) == (10, "cross")
    assert btc["initialMargin"] == pytest.approx(0.25 * 91245.31830121 / 10)


async def test_short_position_without_liquidation_price_or_leverage_field(trader, vcr_cassette):
    with vcr_cassette("account/positions.yaml"):
        eth = (await trader.fetch_positions())[1]
    assert (eth["side"], eth["contracts"]) == ("short", 3.2)
    assert eth["liquidationPrice"] is None
    # Paradex sent leverage "": the market's margin configuration (5, isolated) fills it in.
    assert (eth["leverage"], eth["marginMode"]) == (5, "isolated")


async def test_position_of_one_symbol_asks_only_its_mark_and_margin(trader, vcr_cassette):
    with vcr_cassette("account/position_btc.yaml") as cassette:
        position = await trader.fetch_position("BTC/USD:USDC")
    assert cassette.all_played
    assert (position["symbol"], position["contracts"]) == ("BTC/USD:USDC", 0.25)


async def test_position_without_an_open_one_is_flat(trader, vcr_cassette):
    with vcr_cassette("account/position_none.yaml"):
        position = await trader.fetch_position("SOL/USD:USDC")
    assert (position["symbol"], position["contracts"], position["side"]) == ("SOL/USD:USDC", 0, None)


# -- leverage and margin mode ---------------------------------------------------------------------------------

async def test_leverage_comes_from_the_margin_configuration(trader, vcr_cassette):
    with vcr_cassette("account/leverage_btc.yaml"):
        leverage = await trader.fetch_leverage("BTC/USD:USDC")
    assert leverage["symbol"] == "BTC/USD:USDC"
    assert (leverage["longLeverage"], leverage["shortLeverage"], leverage["marginMode"]) == (10, 10, "cross")


async def test_set_leverage_keeps_the_current_margin_type(trader, vcr_cassette):
    with vcr_cassette("account/set_leverage_keeps_margin_type.yaml") as cassette:
        response = await trader.set_leverage(20, "BTC/USD:USDC")
    assert cassette.all_played
    assert json.loads(cassette.requests[1].body) == {"leverage": 20, "margin_type": "CROSS"}
    assert response["leverage"] == 20


async def test_set_leverage_with_margin_mode_sends_both(trader, vcr_cassette):
    with vcr_cassette("account/set_leverage_isolated.yaml") as cassette:
        await trader.set_leverage(5, "ETH/USD:USDC", {"marginMode": "isolated"})
    assert cassette.play_count == 1


@pytest.mark.parametrize("leverage", [0, 51, 2.5])
async def test_set_leverage_outside_the_market_range_is_refused_before_sending(trader, leverage):
    with pytest.raises(BadRequest, match="leverage"):
        await trader.set_leverage(leverage, "BTC/USD:USDC", {"marginMode": "cross"})


async def test_set_leverage_needs_a_symbol(trader):
    with pytest.raises(ArgumentsRequired):
        await trader.set_leverage(5)


async def test_margin_mode_comes_from_the_margin_configuration(trader, vcr_cassette):
    with vcr_cassette("account/margin_mode_eth.yaml"):
        mode = await trader.fetch_margin_mode("ETH/USD:USDC")
    check_margin_mode(trader, {}, "fetchMarginMode", mode)
    assert (mode["symbol"], mode["marginMode"]) == ("ETH/USD:USDC", "isolated")


async def test_set_margin_mode_keeps_the_current_leverage(trader, vcr_cassette):
    with vcr_cassette("account/set_margin_mode_keeps_leverage.yaml") as cassette:
        await trader.set_margin_mode("isolated", "SOL/USD:USDC")
    assert cassette.all_played
    assert json.loads(cassette.requests[1].body) == {"leverage": 15, "margin_type": "ISOLATED"}


async def test_set_margin_mode_with_a_leverage_param(trader, vcr_cassette):
    with vcr_cassette("account/set_margin_mode_with_leverage.yaml") as cassette:
        await trader.set_margin_mode("cross", "SOL/USD:USDC", {"leverage": 3})
    assert cassette.play_count == 1


async def test_set_margin_mode_refuses_unknown_modes(trader):
    with pytest.raises(BadRequest, match="cross"):
        await trader.set_margin_mode("portfolio", "SOL/USD:USDC", {"leverage": 3})


async def test_positions_use_the_margin_mode_just_set(trader, vcr_cassette):
    with vcr_cassette("account/positions_after_set_margin_mode.yaml") as cassette:
        await trader.set_margin_mode("cross", "ETH/USD:USDC", {"leverage": 5})
        positions = await trader.fetch_positions()
    assert cassette.all_played
    assert positions[0]["marginMode"] == "cross"


# -- trading fees ---------------------------------------------------------------------------------------------

async def test_trading_fees_of_every_market(trader, vcr_cassette):
    with vcr_cassette("account/trading_fees.yaml"):
        fees = await trader.fetch_trading_fees()
    assert set(fees) == set(trader.symbols)
    for symbol, fee in fees.items():
        check_trading_fee(trader, {}, "fetchTradingFees", symbol, fee)
    assert (fees["BTC/USD:USDC"]["maker"], fees["BTC/USD:USDC"]["taker"]) == (-0.00005, 0.0002)
    assert fees["BTC/USD:USDC-96000-C"]["maker"] == 0.0003


async def test_trading_fee_of_one_market(trader, vcr_cassette):
    with vcr_cassette("account/trading_fee_sol.yaml"):
        fee = await trader.fetch_trading_fee("SOL/USD:USDC")
    check_trading_fee(trader, {}, "fetchTradingFee", "SOL/USD:USDC", fee)
    assert (fee["symbol"], fee["taker"]) == ("SOL/USD:USDC", 0.0002)


# -- funding payments -----------------------------------------------------------------------------------------

async def test_funding_history_reads_every_page_since(trader, vcr_cassette):
    since = T - 4 * 3600_000
    with vcr_cassette("account/funding_history_since.yaml") as cassette:
        payments = await trader.fetch_funding_history("BTC/USD:USDC", since=since)
    assert cassette.play_count == 2
    assert [p["timestamp"] for p in payments] == [since + h * 3600_000 for h in range(4)]
    assert [p["amount"] for p in payments] == [-0.10002, 0.01204, -0.09981, -0.10254]
    assert {(p["symbol"], p["code"]) for p in payments} == {("BTC/USD:USDC", "USDC")}


async def test_funding_history_needs_a_symbol(trader):
    with pytest.raises(ArgumentsRequired):
        await trader.fetch_funding_history()


# -- fills ----------------------------------------------------------------------------------------------------

async def test_my_trades_read_every_page_since(trader, vcr_cassette):
    since = T - 600_000
    with vcr_cassette("account/my_trades_since.yaml") as cassette:
        trades = await trader.fetch_my_trades("BTC/USD:USDC", since=since)
    assert cassette.play_count == 2
    assert [t["timestamp"] for t in trades] == [since + 100_000, since + 200_000, since + 300_000]
    for trade in trades:
        check_trade(trader, {}, "fetchMyTrades", trade, "BTC/USD:USDC", LATER, False)


async def test_my_trade_carries_order_id_fee_and_liquidity(trader, vcr_cassette):
    with vcr_cassette("account/my_trades_since.yaml"):
        trades = await trader.fetch_my_trades("BTC/USD:USDC", since=T - 600_000)
    taker, maker = trades[1], trades[2]
    assert (taker["order"], taker["takerOrMaker"], taker["side"]) == ("1795309400000201703992340000", "taker", "buy")
    assert taker["fee"] == {"cost": 1.825028, "currency": "USDC", "rate": 0.0002}
    assert (maker["takerOrMaker"], maker["side"], maker["fee"]["cost"]) == ("maker", "sell", -0.22815)
    assert maker["fee"]["rate"] == pytest.approx(-0.00005)
    assert maker["cost"] == pytest.approx(0.05 * 91260)


async def test_my_trades_without_symbol_or_since_are_the_latest_page(trader, vcr_cassette):
    with vcr_cassette("account/my_trades_latest.yaml") as cassette:
        trades = await trader.fetch_my_trades()
    assert cassette.play_count == 1
    assert [t["id"] for t in trades] == ["1795309600000201703986670002", "1795309700000201703986670003"]


def test_position_parsed_without_a_mark_price_is_valued_at_its_cost(trader):
    raw = {"market": "BTC-USD-PERP", "status": "OPEN", "side": "LONG", "size": "0.05", "cost_usd": "4563.00",
           "average_entry_price": "91260", "unrealized_pnl": "12.5", "leverage": "", "liquidation_price": "",
           "created_at": 1763787600000, "last_updated_at": 1763787600000}
    assert trader.parse_position(raw)["notional"] == 4563.0


async def test_flat_position_has_every_unified_field(trader, vcr_cassette):
    with vcr_cassette("account/positions.yaml"):
        position = await trader.fetch_position("SOL/USD:USDC")
    assert (position["contracts"], position["side"], position["symbol"]) == (0, None, "SOL/USD:USDC")
    assert {"timestamp", "entryPrice", "notional", "unrealizedPnl", "marginMode"} <= set(position)
