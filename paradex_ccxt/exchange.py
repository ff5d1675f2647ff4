"""The ccxt exchange class: describe(), request signing and the JWT flow, error handling.

The unified methods live in the mixins (markets, market data, account data, orders, trading); this file holds
what every request goes through.
"""
from __future__ import annotations

import asyncio
import json
import os
import re
from urllib.parse import quote
from typing import Any

from ccxt.async_support.base.exchange import Exchange
from ccxt.base.decimal_to_precision import TICK_SIZE
from ccxt.base.errors import (
    AuthenticationError, BadResponse, BaseError, ExchangeError, ExchangeNotAvailable, NullResponse, OrderNotFound,
    PermissionDenied, RateLimitExceeded,
)

from . import account, signing
from .account_data import AccountDataMixin
from .account_history import AccountHistoryMixin
from .auth import JwtSession
from .currencies import CurrenciesMixin
from .endpoints import API
from .errors import BROAD, EXACT, TokenRejected, never_sent, paradex_error, with_paradex_error
from .greeks import GreeksMixin
from .implicit_api import ImplicitAPI
from .market_data import MarketDataMixin
from .markets import MarketsMixin
from .orders import OrdersMixin
from .streaming import StreamingMixin
from .ws_orders import WsOrdersMixin
from .vocabulary import BATCH_MAX_ORDERS

PRODUCTION_URL = "https://api.prod.paradex.trade/v1"
TESTNET_URL = "https://api.testnet.paradex.trade/v1"
# Set, this environment variable sends every request to another Paradex REST base (a local `python -m
# paradex_ccxt.sandbox`): a program runs against the sandbox unchanged. A config's own urls['api'] still wins.
API_URL_VARIABLE = "PARADEX_CCXT_API_URL"

# Paths whose requests are signed by headers (Stark signature) instead of a bearer JWT.
SIGNED_HEADER_PATHS = ("auth/{public_key}", "onboarding")
# Paths of the order routes (/orders, /orders/{id}, /orders/by_client_id/{client_id}, /orders/batch).
ORDER_ROUTE = re.compile(r"/v1/orders(/|\?|$)")
# DELETE endpoints that take a JSON body instead of a query string.
DELETE_WITH_BODY = ("orders/batch",)


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
        "createOrders": {"max": BATCH_MAX_ORDERS},
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


class paradex(StreamingMixin, WsOrdersMixin, OrdersMixin, MarketDataMixin, AccountDataMixin, AccountHistoryMixin,
              GreeksMixin, CurrenciesMixin, MarketsMixin, Exchange, ImplicitAPI):
    def __init__(self, config: dict | None = None) -> None:
        super().__init__(config or {})
        api_url = os.environ.get(API_URL_VARIABLE)
        if api_url and "api" not in ((config or {}).get("urls") or {}):
            # Testnet too: set_sandbox_mode(True) must not move the program off the URL it was pointed at.
            self.urls["api"] = {"v1": api_url}
            self.urls["test"] = {"v1": api_url}
        self.jwt_session = JwtSession(self._login, refresh_margin=self.options["jwtRefreshMargin"])
        self.signature_clock = signing.MonotonicMillis()
        # (when measured, ms our clock ran ahead of Paradex's): see PlacementMixin._clock_lead.
        self.clock_lead: tuple[int, int] | None = None
        # Streams (streaming.py, ws_connection.py): JSON-RPC id -> (method, channel) of requests awaiting an answer;
        # symbol -> funding rate as streamed; order id -> highest seq_no seen; order id -> its CLOSED update (the
        # newest options['ordersLimit']); order id -> the cancel confirmations waiting for it.
        self.ws_pending: dict[int, tuple[str, str]] = {}
        self.funding_rates_streamed: dict[str, dict] = {}
        self.order_seq_nos: dict[str, int] = {}
        self.closed_on_stream: dict[str, dict] = {}
        self.close_waiters: dict[str, asyncio.Future] = {}
        self._credentials: account.Credentials | None = None
        self.margin_configs: dict[str, dict] = {}  # market id -> the account's GET /account/margin entry

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
                    "fetchCurrencies": True,
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
                    # Resends of an order whose request may or may not have reached Paradex (looked up first, and
                    # sent again only once its recv_window has run out: placement.py).
                    "createOrderNetworkRetries": 1,
                    # recv_window (ms) of every order; None: the request timeout, so that a request the client gave
                    # up on can no longer create an order once the client acts on that.
                    "orderRecvWindow": None,
                    # Added to a lost order's recv_window before its last look-up and resend (clock skew, ms).
                    "recvWindowMargin": 250,
                    # How long (ms) a look-up after an unknown outcome is retried until Paradex answers.
                    "orderLookupTimeout": 10000,
                    # Resends of a cancel that got no answer (a cancel is idempotent).
                    "cancelOrderRetries": 2,
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
            self._check_credentials()
            config = await self.load_system_config()
            self._credentials = account.resolve_credentials(
                private_key=self.privateKey,
                wallet_address=self.walletAddress,
                paradex_account=self.options.get("paradexAccount"),
                system_config=config,
            )
        return self._credentials

    def _check_credentials(self) -> None:
        """Raise for missing or malformed credentials before any request (the checks that need no system config)."""
        paradex_account = self.options.get("paradexAccount")
        if not (self.privateKey or self.walletAddress or paradex_account) and self.options.get("apiToken"):
            raise AuthenticationError(self.id + " options['apiToken'] is a read-only Paradex API token: placing, "
                                      "editing and cancelling orders need a signing key (" + account.MODES_HELP + ")")
        account.check_credentials(private_key=self.privateKey, wallet_address=self.walletAddress,
                                  paradex_account=paradex_account)

    def _address_mismatch(self, credentials: account.Credentials) -> str | None:
        """Why a login may fail that Paradex would not explain: the key derives another account than the configured
        one, and the user never said it is a subkey (a mistyped address answers NOT_ONBOARDED)."""
        declared = (self.options.get("paradexAccount") or {}).get("subkey") is True
        if declared or credentials.own_address in (None, credentials.address):
            return None
        return (f"the key's own account is {hex(credentials.own_address)}, not the configured address "
                f"{hex(credentials.address)}: check the address; for a subkey registered to that account, set "
                f"options['paradexAccount']['subkey'] = True; {account.ETHEREUM_KEY_HELP}")

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
        try:
            response = await self.publicPostAuthPublicKey({"public_key": hex(credentials.signer.public_key)})
        except AuthenticationError as error:
            mismatch = self._address_mismatch(credentials)
            if mismatch is None:
                raise
            raise with_paradex_error(type(error)(f"{error} ({mismatch})"), *paradex_error(error).values()) from error
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
            # Ids in a path are percent-encoded: a client id may hold '/', '?', '#' or spaces.
            in_path = self.extract_params(path)
            url = base + "/" + self.implode_params(
                path, {name: quote(str(params[name]), safe="") for name in in_path if name in params})
            query = self.omit(params, in_path)
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
        if method != "GET" and self.options.get("apiToken"):
            # Paradex restricts API tokens to GET requests: refuse here, with the reason, rather than send it.
            raise never_sent(PermissionDenied(
                f"{self.id} options['apiToken'] is a read-only Paradex API token (GET requests only): {method} {path} "
                "needs a login with a signing key; unset apiToken to trade with the key"))
        token = await self._token_before_sending()
        try:
            return await super().fetch2(path, api, method, params, config)
        except TokenRejected:
            # The JWT died early (revoked, server restart, clock skew): one fresh login, one retry. A 401 means
            # the request was not processed, so retrying an order placement cannot duplicate it.
            self.jwt_session.invalidate(token)
            await self._token_before_sending()
            return await super().fetch2(path, api, method, params, config)

    async def _token_before_sending(self) -> str:
        """A JWT for the next private request. A login that fails leaves that request unsent, and says so
        (errors.never_sent): an order whose login failed is not an order whose fate is unknown."""
        try:
            return await self.jwt_session.token()
        except BaseError as error:
            never_sent(error)
            raise

    def handle_errors(self, code: int, reason: str, url: str, method: str, headers: dict, body: str,
                      response: Any, request_headers: Any, request_body: Any) -> None:
        error = self.safe_string(response, "error") if isinstance(response, dict) else None
        message = self.safe_string(response, "message", "") if isinstance(response, dict) else ""
        feedback = f"{self.id} {error or code}: {message or body}".strip()
        if code == 429:
            # Throttled whatever the body says: Paradex's 429 body shape is not documented.
            raise with_paradex_error(RateLimitExceeded(feedback), error, message, code)
        if error is not None:
            exception = self.exceptions["exact"].get(error) or self._broad_match(message) or (
                TokenRejected if code == 401 else ExchangeError)
            if error == "NOT_FOUND" and ORDER_ROUTE.search(url):
                # Paradex's API reference serves only NEW and OPEN orders on GET /orders/{id}: a 404 there is an
                # order it does not serve (unknown, or closed), not a malformed request.
                exception = OrderNotFound
            raise with_paradex_error(exception(feedback), error, message, code)
        if code == 401:
            raise TokenRejected(feedback)
        if not 200 <= code < 300:
            # An answer without a Paradex error code that is not a success: a gateway's or a CDN's (502, 524, 599, a
            # redirect). ccxt maps only some statuses, and an unmapped one must not read as an empty success: it is
            # an error whose outcome is unknown (errors.is_refusal).
            broad = self._broad_match(body) if body else None
            fallback = ExchangeNotAvailable if code >= 500 else ExchangeError
            raise with_paradex_error((broad or fallback)(feedback), None, None, code)
        malformed = bool(body and body.strip())
        empty_expected = method == "DELETE" and "/orders/batch" not in url
        if response is None and (malformed or not empty_expected):
            # Paradex answers every successful read, order, modification and batch cancel with JSON (single cancels
            # with an empty 204). A cut or empty body (a proxy or connection failure) must not parse into an empty
            # result, and for an order or a cancel it leaves the outcome unknown, which the order methods resolve
            # by reading Paradex again.
            raise (BadResponse if malformed else NullResponse)(
                f"{self.id} {'malformed' if malformed else 'empty'} response to {method} {url}: {(body or '')[:200]}")
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
