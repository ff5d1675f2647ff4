"""The sandbox's market list and system endpoints in Paradex's shapes, readable by ccxt's built-in paradex."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import ccxt
import pytest

from paradex_ccxt.sandbox.catalog import Catalog, dec_str, system_config, system_state, system_time

VECTORS = Path(__file__).parent / "data" / "paradex_signing.json"


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    return Catalog().markets()


def test_every_market_row_parses_in_ccxt_builtin_paradex(rows: list[dict]):
    exchange = ccxt.paradex()
    parsed = {m["id"]: m for m in (exchange.parse_market(r) for r in rows)}
    assert parsed["BTC-USD-PERP"]["symbol"] == "BTC/USD:USDC"
    assert parsed["BTC-USD-95000-C"]["symbol"] == "BTC/USD:USDC-95000-C"
    assert parsed["BTC-USD-PERP"]["precision"] == {"amount": 0.00001, "price": 0.1}
    assert parsed["ETH-USD-PERP"]["limits"]["cost"]["min"] == 10.0
    assert parsed["BTC-USD-95000-C"]["option"] is True and parsed["BTC-USD-95000-C"]["optionType"] == "call"


def test_market_rows_carry_paradex_fields_as_decimal_strings(rows: list[dict]):
    btc = next(r for r in rows if r["symbol"] == "BTC-USD-PERP")
    for name in ("order_size_increment", "price_tick_size", "min_notional", "max_order_size", "position_limit",
                 "price_bands_width", "max_slippage", "max_funding_rate", "interest_rate", "clamp_rate"):
        assert isinstance(btc[name], str) and Decimal(btc[name]) >= 0, name
    assert (btc["quote_currency"], btc["settlement_currency"], btc["asset_kind"], btc["market_kind"]) == (
        "USD", "USDC", "PERP", "cross")
    assert (btc["max_open_orders"], btc["expiry_at"], btc["funding_period_hours"]) == (100, 0, 8)
    assert set(btc["delta1_cross_margin_params"]) == {"imf_base", "imf_factor", "imf_shift", "mmf_factor"}
    assert {"fee_maker", "fee_taker", "symbol"} <= set(btc["chain_details"])
    assert set(btc["fee_config"]["api_fee"]) == {"maker_fee", "taker_fee"}


def test_option_row_has_option_margin_params_instead_of_delta1(rows: list[dict]):
    option = next(r for r in rows if r["asset_kind"] == "PERP_OPTION")
    assert "delta1_cross_margin_params" not in option
    assert set(option["option_cross_margin_params"]["imf"]) == {"long_itm", "premium_multiplier", "short_itm",
                                                                "short_otm", "short_put_cap"}
    assert (option["option_type"], option["strike_price"]) == ("CALL", "95000")


def test_listing_an_option_brings_its_underlying():
    assert Catalog(["BTC-USD-95000-C"]).symbols == ("BTC-USD-95000-C", "BTC-USD-PERP")


def test_unknown_market_in_a_catalog_is_refused():
    with pytest.raises(ValueError):
        Catalog(["FOO-USD-PERP"])


# What key derivation, addresses and signatures depend on: these must equal testnet's for keys to match.
SIGNING_FIELDS = ("starknet_chain_id", "l1_chain_id", "paraclear_account_proxy_hash", "paraclear_account_hash",
                  "paraclear_decimals", "paraclear_address", "bridged_tokens")


def test_system_config_is_paradex_testnet_so_derived_keys_match_testnet():
    recorded = json.loads(VECTORS.read_text())["inputs"]["system_config_testnet"]
    config = system_config()
    assert {k: config[k] for k in SIGNING_FIELDS} == {k: recorded[k] for k in SIGNING_FIELDS}


def test_system_config_carries_testnets_current_gateway_and_explorer():
    config = system_config()
    assert config["starknet_gateway_url"] == ""  # deprecated: testnet now sends it empty
    assert config["block_explorer_url"] == "https://app.testnet.paradex.trade/explorer"


def test_system_state_and_time_shapes():
    assert system_state() == {"status": "ok"}
    assert system_time(1790000000123) == {"server_time": "1790000000123"}
    with pytest.raises(ValueError):
        system_state("halted")


@pytest.mark.parametrize("value, text", [(Decimal("0.0500"), "0.05"), (Decimal("26000"), "26000"),
                                         (Decimal("-1.50"), "-1.5"), (Decimal("0E-8"), "0"),
                                         (Decimal("8.9E-7"), "0.00000089"), (Decimal("1E+3"), "1000")])
def test_numbers_are_written_as_plain_decimal_strings(value: Decimal, text: str):
    assert dec_str(value) == text
