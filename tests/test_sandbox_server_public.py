"""Public Paradex routes of the sandbox: status codes and body shapes as Paradex serves them."""
from __future__ import annotations

import pytest

BTC = "BTC-USD-PERP"


async def get(client, path, **params):
    return await client.request("GET", path, params={k: str(v) for k, v in params.items()} or None, private=False)


async def test_system_config_carries_the_signing_fields(sandbox_client):
    status, body, _ = await get(sandbox_client, "/system/config")
    assert status == 200
    for name in ("starknet_chain_id", "l1_chain_id", "paraclear_account_proxy_hash", "paraclear_account_hash",
                 "paraclear_decimals", "bridged_tokens"):
        assert name in body
    assert body["paraclear_decimals"] == 8


async def test_system_time_is_milliseconds_as_a_string(sandbox_client, sandbox):
    status, body, _ = await get(sandbox_client, "/system/time")
    assert status == 200 and isinstance(body["server_time"], str)
    assert abs(int(body["server_time"]) - sandbox.state.now_ms()) < 5_000


async def test_system_state_follows_the_venue_status(sandbox_client, sandbox):
    assert (await get(sandbox_client, "/system/state"))[1] == {"status": "ok"}
    sandbox.engine.set_system_status("cancel_only")
    assert (await get(sandbox_client, "/system/state"))[1] == {"status": "cancel_only"}


async def test_markets_list_and_filter(sandbox_client):
    status, body, _ = await get(sandbox_client, "/markets")
    assert status == 200 and {m["symbol"] for m in body["results"]} >= {BTC, "ETH-USD-PERP"}
    (btc,) = (await get(sandbox_client, "/markets", market=BTC))[1]["results"]
    assert btc["symbol"] == BTC and btc["price_tick_size"] == "0.1" and btc["order_size_increment"] == "0.00001"
    assert isinstance(btc["max_open_orders"], int) and btc["min_notional"] == "10"


async def test_markets_summary_for_one_market_and_all(sandbox_client):
    (row,) = (await get(sandbox_client, "/markets/summary", market=BTC))[1]["results"]
    assert row["symbol"] == BTC and float(row["bid"]) < float(row["ask"])
    assert set(row) >= {"mark_price", "last_traded_price", "funding_rate", "open_interest", "volume_24h"}
    everything = (await get(sandbox_client, "/markets/summary", market="ALL"))[1]["results"]
    assert len(everything) > 1


async def test_orderbook_levels_are_price_size_string_pairs(sandbox_client):
    status, book, _ = await get(sandbox_client, f"/orderbook/{BTC}", depth=3)
    assert status == 200 and book["market"] == BTC
    assert len(book["bids"]) == 3 and len(book["asks"]) == 3
    assert all(isinstance(p, str) and isinstance(s, str) for p, s in book["bids"] + book["asks"])
    assert float(book["bids"][0][0]) < float(book["asks"][0][0])
    assert book["best_bid_api"] == book["bids"][0] and book["best_ask_api"] == book["asks"][0]


async def test_bbo_matches_the_top_of_book(sandbox_client):
    _, book, _ = await get(sandbox_client, f"/orderbook/{BTC}", depth=1)
    status, bbo, _ = await get(sandbox_client, f"/bbo/{BTC}")
    assert status == 200
    assert (bbo["bid"], bbo["bid_size"], bbo["ask"], bbo["ask_size"]) == (*book["bids"][0], *book["asks"][0])


async def test_trades_paginate_with_cursors_without_overlap(sandbox_client):
    status, first, _ = await get(sandbox_client, "/trades", market=BTC, page_size=3)
    assert status == 200 and len(first["results"]) == 3 and first["next"]
    _, second, _ = await get(sandbox_client, "/trades", market=BTC, page_size=3, cursor=first["next"])
    first_ids = {t["id"] for t in first["results"]}
    assert second["results"] and not first_ids & {t["id"] for t in second["results"]}
    assert set(first["results"][0]) >= {"id", "market", "side", "size", "price", "created_at", "trade_type"}


async def test_klines_rows_are_timestamp_and_ohlcv(sandbox_client, sandbox):
    now = sandbox.state.now_ms()
    status, body, _ = await get(sandbox_client, "/markets/klines", symbol=BTC, resolution=1,
                                start_at=now - 5 * 60_000, end_at=now)
    assert status == 200 and len(body["results"]) >= 5
    ts, o, h, low, c, v = body["results"][0]
    assert isinstance(ts, int) and low <= min(o, c) <= max(o, c) <= h and v >= 0


async def test_klines_bad_resolution_is_an_invalid_parameter(sandbox_client, sandbox):
    now = sandbox.state.now_ms()
    status, body, _ = await get(sandbox_client, "/markets/klines", symbol=BTC, resolution=7, start_at=now - 60_000,
                                end_at=now)
    assert (status, body["error"]) == (400, "INVALID_REQUEST_PARAMETER")


async def test_funding_data_is_paginated(sandbox_client):
    status, body, _ = await get(sandbox_client, "/funding/data", market=BTC, page_size=2)
    assert status == 200 and len(body["results"]) == 2 and body["next"]
    assert set(body["results"][0]) >= {"market", "funding_rate", "funding_index", "created_at"}


@pytest.mark.parametrize("path", ["/orderbook/NOPE-USD-PERP", "/bbo/NOPE-USD-PERP"])
async def test_unknown_market_is_market_not_found(sandbox_client, path):
    status, body, _ = await get(sandbox_client, path)
    assert (status, body["error"]) == (400, "MARKET_NOT_FOUND") and body["message"]


async def test_unknown_route_answers_in_paradex_error_shape(sandbox_client):
    status, body, _ = await get(sandbox_client, "/no/such/route")
    assert status == 404 and set(body) == {"error", "message", "data"} and body["error"] == "NOT_FOUND"


async def test_missing_required_query_parameter_is_a_validation_error(sandbox_client):
    status, body, _ = await get(sandbox_client, "/trades")
    assert (status, body["error"]) == (400, "VALIDATION_ERROR")


async def test_onboarding_lookup_gives_address_and_existence(sandbox_client, sandbox_account):
    status, body, _ = await get(sandbox_client, "/onboarding", account_signer_type="starknet",
                                public_key=hex(sandbox_account.public_key))
    assert status == 200
    assert body["address"] == hex(sandbox_account.address) and body["exists"] is True
    assert body["account_signer_type"] == "starknet" and set(body["derivation_info"]) == {"class_hash",
                                                                                           "proxy_class_hash"}
    _, stranger, _ = await get(sandbox_client, "/onboarding", account_signer_type="starknet", public_key="0x1234")
    assert stranger["exists"] is False


async def test_jwks_serves_the_token_verification_key(sandbox_client):
    status, body, _ = await get(sandbox_client, "/jwks.json")
    assert status == 200 and body["keys"][0]["alg"] == "ES256"


async def test_portfolio_margin_config_has_a_row_of_24_scenarios_per_listed_base_asset(sandbox_client, sandbox):
    status, body, _ = await get(sandbox_client, "/system/portfolio-margin-config")
    assert status == 200
    assert [row["base_asset"] for row in body["results"]] == ["BTC", "ETH", "SOL", "DOGE", "ARB"]
    btc = body["results"][0]
    assert len(btc["scenarios"]) == 24 and {s["weight"] for s in btc["scenarios"]} == {1}
    assert (btc["mmf_factor"], btc["funding_provision_hour"]) == (0.5, 8)  # docs: MMR at 50%, 8 hours of funding


async def test_portfolio_margin_config_for_one_base_asset(sandbox_client):
    _, body, _ = await get(sandbox_client, "/system/portfolio-margin-config", base_asset="eth")
    assert [row["base_asset"] for row in body["results"]] == ["ETH"]


async def test_portfolio_margin_config_of_an_unlisted_asset_is_not_found(sandbox_client):
    status, body, _ = await get(sandbox_client, "/system/portfolio-margin-config", base_asset="XRP")
    assert (status, body["error"]) == (404, "PORTFOLIO_MARGIN_CONFIG_NOT_FOUND")


async def test_insurance_fund_is_a_usdc_account_that_no_liquidation_moves(sandbox_client, sandbox):
    status, body, _ = await get(sandbox_client, "/insurance")
    assert status == 200 and set(body) == {"account", "account_value", "settlement_asset", "updated_at"}
    assert (body["settlement_asset"], body["updated_at"]) == ("USDC", sandbox.engine.genesis)
    assert body["account"].startswith("0x") and float(body["account_value"]) > 0


async def test_a_sandbox_failure_is_answered_as_paradex_internal_error(sandbox, sandbox_client, monkeypatch):
    def broken() -> dict:
        raise RuntimeError("boom")

    monkeypatch.setattr(sandbox.engine, "system_time", broken)
    status, body, _ = await get(sandbox_client, "/system/time")
    assert (status, body) == (500, {"error": "INTERNAL_ERROR", "message": "internal error", "data": None})
