"""Paradex's REST endpoints as ccxt's describe()['api'] table: section -> HTTP method -> path -> rate-limit cost.

paradex_ccxt/implicit_api.py is generated from this table (tools/generate_implicit_api.py): change both together.
"""
from __future__ import annotations


def _endpoints(paths: list[str], cost: float) -> dict[str, dict[str, float]]:
    return {path: {"cost": cost} for path in paths}


# Paradex limits: public 1500/min per IP (one token every 40 ms); private GETs 600/min per account;
# order entry 17250/min per account, but every private call also counts against 1500/min per IP.
API: dict = {
    "public": {
        "get": _endpoints(
            [
                "system/config", "system/time", "system/state", "markets", "markets/summary", "markets/klines",
                "orderbook/{market}", "orderbook/{market}/interactive", "bbo/{market}", "bbo/{market}/interactive",
                "trades", "funding/data", "insurance", "onboarding", "system/portfolio-margin-config",
            ],
            1,
        ),
        # Stark-signed by headers, no JWT; 600/min per IP.
        "post": _endpoints(["auth/{public_key}", "onboarding"], 2.5),
    },
    "private": {
        "get": _endpoints(
            [
                "account", "account/info", "account/profile", "account/margin", "account/subaccounts",
                "account/keys/subkeys", "account/keys/subkeys/{public_key}", "account/tokens",
                "balance", "positions", "fills", "funding/payments", "transfers", "transactions", "liquidations",
                "tradebusts", "orders", "orders-history", "orders/{order_id}", "orders/by_client_id/{client_id}",
                "algo/orders", "algo/orders-history", "algo/orders/{algo_id}",
            ],
            2.5,
        ),
        "post": _endpoints(
            ["orders", "orders/batch", "account/margin/{market}", "account/keys/subkeys", "account/tokens",
             "algo/orders"],
            1,
        ),
        "put": _endpoints(["orders/{order_id}"], 1),
        "delete": _endpoints(
            ["orders", "orders/batch", "orders/{order_id}", "orders/by_client_id/{client_id}",
             "algo/orders/{algo_id}", "account/tokens/{lookup_id}"],
            1,
        ),
    },
}
