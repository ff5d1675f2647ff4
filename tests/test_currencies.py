"""fetch_currencies: the tokens Paradex's bridge carries (system config bridged_tokens), read from the sandbox, which
serves Paradex testnet's system config."""
from __future__ import annotations

from ccxt.test.exchange.base import test_currency as check_currency

from paradex_ccxt import paradex


async def test_currencies_are_the_bridged_tokens(sandbox_exchange):
    assert list(await sandbox_exchange.fetch_currencies()) == ["USDC"]


async def test_usdc_passes_ccxts_currency_check(sandbox_exchange):
    await sandbox_exchange.load_markets()
    usdc = (await sandbox_exchange.fetch_currencies())["USDC"]
    check_currency(sandbox_exchange, {}, "fetchCurrencies", usdc)


async def test_usdc_can_be_deposited_and_withdrawn_over_ethereum(sandbox_exchange):
    usdc = (await sandbox_exchange.fetch_currencies())["USDC"]
    assert (usdc["deposit"], usdc["withdraw"], usdc["active"]) == (True, True, True)
    assert list(usdc["networks"]) == ["ERC20"]
    assert usdc["networks"]["ERC20"]["id"] == "ETHEREUM"


async def test_usdc_precision_is_its_token_decimals(sandbox_exchange):
    usdc = (await sandbox_exchange.fetch_currencies())["USDC"]
    assert (usdc["precision"], usdc["name"]) == (0.000001, "TEST USDC")


async def test_loaded_currencies_keep_the_assets_markets_name(sandbox_exchange):
    await sandbox_exchange.load_markets()
    assert {"BTC", "USD", "USDC"} <= set(sandbox_exchange.currencies)
    assert sandbox_exchange.currency("USDC")["deposit"] is True
    assert sandbox_exchange.currency("BTC")["deposit"] is None


async def test_a_config_without_bridged_tokens_gives_no_currencies():
    exchange = paradex({"options": {"systemConfig": {"starknet_chain_id": "PRIVATE_SN_POTC_SEPOLIA"}}})
    try:
        assert await exchange.fetch_currencies() == {}
    finally:
        await exchange.close()
