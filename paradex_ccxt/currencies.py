"""Currencies: what an account can hold on Paradex, from the tokens its bridge carries (GET /system/config).

Paradex's only collateral is USDC; the system config lists it under `bridged_tokens` with its decimals and the
Ethereum token and bridge it comes through. Those tokens are the currencies that can be deposited and withdrawn.
The assets markets are named after (BTC, ETH, USD, ...) are never held: fetch_currencies leaves them out, and
`self.currencies` keeps the entries ccxt derives from the markets for them (MarketsMixin.set_markets).
"""
from __future__ import annotations

from .account_history import CHAIN_NETWORKS
from .mixin_base import ExchangeBase

# The chain Paradex's own bridge (`l1_bridge_address`) connects to, as transfers' `external_chain` names it.
BRIDGE_CHAIN = "ETHEREUM"


class CurrenciesMixin(ExchangeBase):
    async def fetch_currencies(self, params: dict | None = None) -> dict:
        """The system config's bridged tokens as ccxt currencies (cached with the config, one request at most)."""
        config = await self.load_system_config()
        currencies = {}
        for token in self.safe_list(config, "bridged_tokens", []):
            currency = self.parse_bridged_token(token)
            currencies[currency["code"]] = currency
        return currencies

    def parse_bridged_token(self, token: dict) -> dict:
        token_id = self.safe_string(token, "symbol")
        decimals = self.safe_integer(token, "decimals")
        precision = self.parse_number(self.parse_precision(str(decimals))) if decimals is not None else None
        network = CHAIN_NETWORKS.get(BRIDGE_CHAIN, BRIDGE_CHAIN)
        no_limits = {"min": None, "max": None}
        # The token and its one network (the bridge) share their terms. Paradex charges no fee of its own on bridge
        # transfers; the L1 gas is the sender's.
        terms = {"active": True, "deposit": True, "withdraw": True, "fee": None, "precision": precision,
                 "limits": {"deposit": no_limits, "withdraw": no_limits}}
        return self.safe_currency_structure({
            **terms,
            "id": token_id,
            "code": self.safe_currency_code(token_id),
            "name": self.safe_string(token, "name"),
            "type": "crypto",
            "networks": {network: {**terms, "id": BRIDGE_CHAIN, "network": network, "info": token}},
            "info": token,
        })
