"""The fixtures other tests use: our exchange class logged in to a sandbox account, ready to trade."""
from __future__ import annotations


async def test_sandbox_exchange_trades_as_the_sandbox_account(sandbox_exchange, sandbox_account, sandbox):
    await sandbox_exchange.load_markets()
    balance = await sandbox_exchange.fetch_balance()
    assert balance["USDC"]["total"] == float(sandbox.settings.starting_balance)
    ticker = await sandbox_exchange.fetch_ticker("BTC/USD:USDC")
    order = await sandbox_exchange.create_order("BTC/USD:USDC", "limit", "buy", 0.001,
                                                float(sandbox_exchange.price_to_precision("BTC/USD:USDC",
                                                                                          ticker["bid"] * 0.98)))
    assert order["info"]["account"] == hex(sandbox_account.address)
    assert (await sandbox_exchange.fetch_order(order["id"]))["status"] == "open"


async def test_make_sandbox_applies_settings(make_sandbox):
    sandbox = await make_sandbox(jwt_lifetime=42, markets=("ETH-USD-PERP",))
    assert sandbox.settings.jwt_lifetime == 42
    assert sandbox.engine.catalog.symbols == ("ETH-USD-PERP",)
