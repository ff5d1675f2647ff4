"""The ccxt exchange class: describe(), request signing and the JWT flow, error handling.

The unified methods live in the mixins (markets, market data, account data, orders, trading); this file holds
what every request goes through.
"""
from __future__ import annotations

import json
import re
from typing import Any

from ccxt.async_support.base.exchange import Exchange
from ccxt.base.decimal_to_precision import TICK_SIZE
from ccxt.base.types import Entry
from ccxt.base.errors import AuthenticationError, BadResponse, ExchangeError, NullResponse, RateLimitExceeded

from . import account, signing
from .account_data import AccountDataMixin
from .account_history import AccountHistoryMixin
from .auth import JwtSession
from .errors import BROAD, EXACT, TokenRejected, with_paradex_error
from .greeks import GreeksMixin
from .market_data import MarketDataMixin
from .markets import MarketsMixin
from .orders import OrdersMixin
from .streaming import StreamingMixin
from .trading import TradingMixin

PRODUCTION_URL = "https://api.prod.paradex.trade/v1"
TESTNET_URL = "https://api.testnet.paradex.trade/v1"

# Paths whose requests are signed by headers (Stark signature) instead of a bearer JWT.
SIGNED_HEADER_PATHS = ("auth/{public_key}", "onboarding")
# DELETE endpoints that take a JSON body instead of a query string.
DELETE_WITH_BODY = ("orders/batch",)


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


# What createOrder and the fetch methods accept, in ccxt's `features` shape (bots such as freqtrade read it).
FEATURES: dict = {
    "spot": None,
    "forSwap": {
        "sandbox": True,
        "createOrder": {
            "marginMode": False,
            "triggerPrice": True,
            "triggerDirection": True,
            "triggerPriceType": None,
            "stopLossPrice": True,
            "takeProfitPrice": True,
            "attachedStopLossTakeProfit": None,
            "timeInForce": {"IOC": True, "FOK": False, "PO": True, "GTD": False},
            "hedged": False,
            "trailing": False,
            "leverage": False,
            "marketBuyByCost": False,
            "marketBuyRequiresPrice": False,
            "selfTradePrevention": True,
            "iceberg": False,
        },
        "createOrders": {"max": 10},
        "fetchMyTrades": {"marginMode": False, "limit": 1000, "daysBack": None, "untilDays": None,
                          "symbolRequired": False},
        "fetchOrder": {"marginMode": False, "trigger": False, "trailing": False, "symbolRequired": False},
        "fetchOpenOrders": {"marginMode": False, "limit": None, "trigger": False, "trailing": False,
                            "symbolRequired": False},
        "fetchOrders": {"marginMode": False, "limit": None, "daysBack": None, "untilDays": None, "trigger": False,
                        "trailing": False, "symbolRequired": False},
        "fetchClosedOrders": {"marginMode": False, "limit": None, "daysBack": None, "daysBackCanceled": None,
                              "untilDays": None, "trigger": False, "trailing": False, "symbolRequired": False},
        "fetchOHLCV": {"limit": 1000},
    },
    "swap": {"linear": {"extends": "forSwap"}, "inverse": None},
    "future": {"linear": None, "inverse": None},
}


def _install_implicit_api(cls: type) -> type:
    """Give the class ccxt's implicit endpoint methods (privateGetOrders, private_get_orders, ...) for API."""
    for section, methods in API.items():
        for method, paths in methods.items():
            for path, config in paths.items():
                words = [w for w in re.split(r"[^a-zA-Z0-9]", path) if w]
                camel = section + method.capitalize() + "".join(w[0].upper() + w[1:] for w in words)
                snake = "_".join([section, method, *(w.lower() for w in words)])
                entry = Entry(path, [section], method.upper(), config)
                setattr(cls, camel, entry)
                setattr(cls, snake, entry)
    return cls


@_install_implicit_api
class paradex(StreamingMixin, TradingMixin, OrdersMixin, MarketDataMixin, AccountDataMixin, AccountHistoryMixin,
              GreeksMixin, MarketsMixin, Exchange):
    def __init__(self, config: dict | None = None) -> None:
        super().__init__(config or {})
        self.jwt_session = JwtSession(self._login, refresh_margin=self.options["jwtRefreshMargin"])
        self.signature_clock = signing.MonotonicMillis()
        self._credentials: account.Credentials | None = None

    def describe(self) -> dict:
        return self.deep_extend(
            super().describe(),
            {
                "id": "paradex",
                "name": "Paradex",
                "countries": [],
                "version": "v1",
                "rateLimit": 40,
                "certified": False,
                "pro": True,  # streams: streaming.py
                "dex": True,
                "has": {
                    "CORS": None,
                    "spot": False,
                    "margin": False,
                    "swap": True,
                    "future": False,
                    "option": True,
                    "sandbox": True,
                    "cancelAllOrders": True,
                    "cancelOrder": True,
                    "cancelOrders": True,
                    "createMarketOrder": True,
                    "createLimitOrder": True,
                    "createOrder": True,
                    "createOrders": True,
                    "createPostOnlyOrder": True,
                    "createReduceOnlyOrder": True,
                    "createStopOrder": True,
                    "createStopLimitOrder": True,
                    "createStopMarketOrder": True,
                    "createTriggerOrder": True,
                    "createStopLossOrder": True,
                    "createTakeProfitOrder": True,
                    "editOrder": True,
                    "fetchAllGreeks": True,
                    "fetchBalance": True,
                    "fetchCanceledOrders": True,
                    "fetchClosedOrders": True,
                    "fetchDeposits": True,
                    "fetchDepositsWithdrawals": True,
                    "fetchFundingHistory": True,
                    "fetchFundingRate": True,
                    "fetchFundingRateHistory": True,
                    "fetchFundingRates": True,
                    "fetchGreeks": True,
                    "fetchIndexOHLCV": True,
                    "fetchLeverage": True,
                    "fetchMarginMode": True,
                    "fetchMarkets": True,
                    "fetchMarkOHLCV": True,
                    "fetchMyLiquidations": True,
                    "fetchMyTrades": True,
                    "fetchOHLCV": True,
                    "fetchOpenInterest": True,
                    "fetchOpenOrders": True,
                    "fetchOrder": True,
                    "fetchOrderBook": True,
                    "fetchOrders": True,
                    "fetchPosition": True,
                    "fetchPositions": True,
                    "fetchStatus": True,
                    "fetchTicker": True,
                    "fetchTickers": True,
                    "fetchTime": True,
                    "fetchTrades": True,
                    "fetchTradingFee": True,
                    "fetchTradingFees": True,
                    "fetchTransfers": True,
                    "fetchWithdrawals": True,
                    "setLeverage": True,
                    "setMarginMode": True,
                    "withdraw": False,
                    "transfer": False,
                },
                "features": FEATURES,
                "timeframes": {"1m": 1, "3m": 3, "5m": 5, "15m": 15, "30m": 30, "1h": 60},
                "urls": {
                    "logo": "https://www.paradex.trade/favicon.ico",
                    "api": {"v1": PRODUCTION_URL},
                    "test": {"v1": TESTNET_URL},
                    "www": "https://www.paradex.trade/",
                    "doc": "https://docs.paradex.trade/",
                },
                "api": API,
                # Defaults only: each market carries Paradex's own API fee rates (fee_config).
                "fees": {
                    "swap": {"taker": self.parse_number("0.0002"), "maker": self.parse_number("0.0002")},
                },
                "requiredCredentials": {
                    "apiKey": False,
                    "secret": False,
                    # Either an Ethereum key pair, or options['paradexAccount'] (README: credential modes).
                    "walletAddress": False,
                    "privateKey": False,
                },
                "precisionMode": TICK_SIZE,
                "exceptions": {"exact": dict(EXACT), "broad": dict(BROAD)},
                "httpExceptions": {"429": RateLimitExceeded},
                "options": {
                    "paradexAccount": None,
                    # A Paradex API token (POST /account/tokens) for read-only use without a private key.
                    "apiToken": None,
                    "systemConfig": None,
                    # A fresh JWT is fetched when the current one has less than this many seconds left.
                    "jwtRefreshMargin": 60,
                    # Expiration of the auth request signature (not of the JWT); the official SDK signs 24 h.
                    "authSignatureLifetime": 86400,
                    # Cancels are confirmed by looking the order up every Interval ms for at most Timeout ms
                    # (0: return at once, pending); params.confirmTimeout overrides per call.
                    "cancelOrderConfirmTimeout": 2000,
                    "cancelOrderConfirmInterval": 250,
                    # Resends of an order whose first request may or may not have reached Paradex (looked up first).
                    "createOrderNetworkRetries": 1,
                    "ordersHistoryPageSize": 100,
                    # Prefix of the client ids generated for orders placed without one.
                    "clientOrderIdPrefix": "pccxt-",
                    # fetch_balance also reports the USDC collateral under USD, the markets' quote (for bots that
                    # look their stake up there; paradex_ccxt.freqtrade turns it on).
                    "balanceUsdAlias": False,
                    # Candles Paradex returns per klines call; fetch_ohlcv splits longer ranges.
                    "klinesPerCall": 1000,
                },
            },
        )

    # -- configuration and credentials ---------------------------------------------------------------------

    async def load_system_config(self, reload: bool = False) -> dict:
        """GET /system/config once per instance: chain ids and class hashes that signing depends on."""
        if reload or self.options.get("systemConfig") is None:
            self.options["systemConfig"] = await self.publicGetSystemConfig()
        return self.options["systemConfig"]

    async def load_credentials(self) -> account.Credentials:
        if self._credentials is None:
            config = await self.load_system_config()
            self._credentials = account.resolve_credentials(
                private_key=self.privateKey,
                wallet_address=self.walletAddress,
                paradex_account=self.options.get("paradexAccount"),
                system_config=config,
            )
        return self._credentials

    @property
    def chain_id(self) -> str | None:
        """Starknet chain id of every L2 typed-data domain; None until load_system_config() has run.

        A property that raised would break ccxt's constructor, which reads every attribute once.
        """
        return self.safe_string(self.options.get("systemConfig") or {}, "starknet_chain_id")

    # -- auth ------------------------------------------------------------------------------------------------

    async def _login(self) -> str:
        api_token = self.safe_string(self.options, "apiToken")
        if api_token is not None:
            # A long-lived Paradex API token is its own bearer: no signed login. It carries no signing key, so
            # anything that must be signed (orders) still needs credentials.
            return api_token
        credentials = await self.load_credentials()
        response = await self.publicPostAuthPublicKey({"public_key": hex(credentials.signer.public_key)})
        return response["jwt_token"]

    async def authenticate(self) -> str:
        """Log in (or reuse a live JWT) and return the bearer token."""
        return await self.jwt_session.token()

    async def onboarding(self, params: dict | None = None) -> dict:
        """POST /onboarding: register the account's Stark key (Ethereum-key mode, once per account)."""
        credentials = await self.load_credentials()
        if credentials.is_subkey:
            raise AuthenticationError(self.id + " onboarding registers an account's own key; a subkey (or a key that "
                                      "does not derive options['paradexAccount']['address']) cannot onboard")
        body = self.extend({"public_key": hex(credentials.signer.public_key)}, params or {})
        return await self.publicPostOnboarding(body)

    def _stark_headers(self, path: str) -> dict[str, str]:
        credentials = self._credentials
        if credentials is None or self.chain_id is None:
            raise ExchangeError(self.id + " credentials are not loaded: await load_credentials() first")
        headers = {"PARADEX-STARKNET-ACCOUNT": hex(credentials.address)}
        if path == "onboarding":
            msg_hash = signing.onboarding_hash(self.chain_id, credentials.address)
            if credentials.eth_address is not None:
                headers["PARADEX-ETHEREUM-ACCOUNT"] = credentials.eth_address
        else:
            timestamp = self.seconds()
            expiration = timestamp + int(self.options["authSignatureLifetime"])
            msg_hash = signing.auth_hash(self.chain_id, credentials.address, timestamp, expiration)
            headers["PARADEX-TIMESTAMP"] = str(timestamp)
            headers["PARADEX-SIGNATURE-EXPIRATION"] = str(expiration)
        headers["PARADEX-STARKNET-SIGNATURE"] = signing.format_signature(*credentials.signer.sign(msg_hash))
        return headers

    # -- requests --------------------------------------------------------------------------------------------

    def sign(self, path: str, api: Any = "public", method: str = "GET", params: Any = None, headers: Any = None,
             body: Any = None) -> dict:
        section = api[0] if isinstance(api, list) else api
        params = {} if params is None else params
        request_headers: dict[str, str] = {"Accept": "application/json"}
        base = self.urls["api"]["v1"]
        if isinstance(params, list):
            # Batch endpoints take a bare JSON array.
            url = base + "/" + path
            query: Any = params
        else:
            url = base + "/" + self.implode_params(path, params)
            query = self.omit(params, self.extract_params(path))
        if path in SIGNED_HEADER_PATHS:
            request_headers.update(self._stark_headers(path))
        if section == "private":
            token = self.jwt_session.current
            if token is None:
                raise TokenRejected(self.id + " no live JWT: private calls must go through fetch2()")
            request_headers["Authorization"] = "Bearer " + token
        sends_body = method in ("POST", "PUT") or (method == "DELETE" and path in DELETE_WITH_BODY)
        if sends_body:
            if query or isinstance(query, list):
                body = json.dumps(query, separators=(",", ":"))
                request_headers["Content-Type"] = "application/json"
        elif query:
            url += "?" + self.urlencode(query)
        return {"url": url, "method": method, "body": body, "headers": request_headers}

    async def fetch2(self, path: str, api: Any = "public", method: str = "GET", params: Any = None,
                     config: dict | None = None) -> Any:
        params = {} if params is None else params
        config = {} if config is None else config
        section = api[0] if isinstance(api, list) else api
        if path in SIGNED_HEADER_PATHS:
            await self.load_credentials()
        if section != "private":
            return await super().fetch2(path, api, method, params, config)
        token = await self.jwt_session.token()
        try:
            return await super().fetch2(path, api, method, params, config)
        except TokenRejected:
            # The JWT died early (revoked, server restart, clock skew): one fresh login, one retry. A 401 means
            # the request was not processed, so retrying an order placement cannot duplicate it.
            self.jwt_session.invalidate(token)
            await self.jwt_session.token()
            return await super().fetch2(path, api, method, params, config)

    def handle_errors(self, code: int, reason: str, url: str, method: str, headers: dict, body: str,
                      response: Any, request_headers: Any, request_body: Any) -> None:
        error = self.safe_string(response, "error") if isinstance(response, dict) else None
        message = self.safe_string(response, "message", "") if isinstance(response, dict) else ""
        feedback = f"{self.id} {error or code}: {message or body}".strip()
        if code == 429:
            # Throttled whatever the body says: Paradex's 429 body shape is not documented.
            raise with_paradex_error(RateLimitExceeded(feedback), error, message)
        if error is not None:
            exception = self.exceptions["exact"].get(error) or self._broad_match(message) or (
                TokenRejected if code == 401 else ExchangeError)
            raise with_paradex_error(exception(feedback), error, message)
        if code == 401:
            raise TokenRejected(feedback)
        if 200 <= code < 300 and response is None and method != "DELETE" and code != 204:
            # Paradex answers every successful read, order and modification with JSON. A cut or empty body (a proxy
            # or connection failure) must not parse into an empty result, and for an order it leaves the outcome
            # unknown, which the order methods resolve by looking the order up.
            what = "malformed" if body and body.strip() else "empty"
            raise (BadResponse if what == "malformed" else NullResponse)(
                f"{self.id} {what} response to {method} {url}: {(body or '')[:200]}")
        broad = self._broad_match(body) if body else None
        if broad is not None:
            raise broad(feedback)
        return None

    def _broad_match(self, text: str | None) -> type | None:
        key = self.find_broadly_matched_key(self.exceptions["broad"], text or "")
        return self.exceptions["broad"][key] if key is not None else None

    # -- system ----------------------------------------------------------------------------------------------

    async def fetch_time(self, params: dict | None = None) -> int | None:
        response = await self.publicGetSystemTime(params or {})
        return self.safe_integer(response, "server_time")

    async def fetch_status(self, params: dict | None = None) -> dict:
        response = await self.publicGetSystemState(params or {})
        state = self.safe_string(response, "status")
        # cancel_only: nothing new can be placed, which a bot must treat as maintenance; post_only still trades.
        status = {"ok": "ok", "post_only": "ok", "cancel_only": "maintenance", "maintenance": "maintenance"}
        return {
            "status": status.get(state, "error") if state is not None else None,
            "updated": None,
            "eta": None,
            "url": None,
            "info": response,
        }
