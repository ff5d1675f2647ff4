"""The sandbox's HTTP layer: Paradex's REST API under /v1, and a test-control API under /_sandbox.

Paradex's routes, status codes and the checks that need HTTP (signatures, JWTs, rate limits, faults, the delayed
cancel) live here; what an order does, what an account holds and what the market looks like is the engine's
(engine.py), whose answers are already Paradex-shaped bodies.

Every /v1 request passes one gateway (`gateway` below), in this order:
faults that act before processing -> bearer JWT (private routes; a read-only account API token only on GET,
else 403 INVALID_TOKEN_SCOPE) -> rate limits -> the route -> faults that act after processing -> x-ratelimit-*
headers. Refusals are `{"error": CODE, "message": text, "data": null}` with Paradex's codes. New orders are also
checked against their receive window (`auth.check_recv_window`) before their signature.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, overload

from aiohttp import web

from ..vocabulary import BATCH_MAX_ORDERS
from . import auth
from .apitokens import ApiTokens
from .engine import Engine
from .faults import Fault, FaultKind, Faults
from .ledger import SandboxError
from .ratelimit import RateLimiter, RateLimitPolicy, Scope, Verdict, scopes_for
from .ws import WsSettings
from .ws import install as install_ws

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger(__name__)


@dataclass
class Settings:
    """How one sandbox behaves. Every field is a keyword of `Sandbox(...)`; the CLI exposes the common ones."""

    seed: int = 0
    markets: tuple[str, ...] | None = None  # None: every market the catalog knows
    jwt_lifetime: float = 300.0  # seconds; Paradex: 5 minutes
    cancel_delay: float = 0.05  # seconds between a cancel's 204 and the order closing (the pending-cancel window)
    risk_delay: float = 0.0  # seconds an order stays NEW before its risk check (it runs on the next request after)
    latency: float = 0.0  # seconds added to every /v1 request
    rate_limits: RateLimitPolicy | None = field(default_factory=RateLimitPolicy)  # None: unlimited
    max_clock_skew: float = 60.0  # seconds a login's PARADEX-TIMESTAMP may differ from the server clock
    # Phase (s) of the /funding/data samples. Paradex does not say when its samples fall; 0 puts one on every hour,
    # anything else (the harsher variant) none.
    funding_sample_offset: float = 0.0
    starting_balance: Decimal = Decimal(100000)  # USDC credited to a newly onboarded account
    liquidity: bool = True  # run the built-in liquidity provider
    # How long GET /orders/{id} still serves an order after it closed (seconds): None, forever (as testnet has been
    # seen doing); 0, never: Paradex's API reference serves NEW and OPEN orders only (404 NOT_FOUND otherwise).
    closed_order_ttl: float | None = None
    history_limit: int | None = 100_000  # orders kept per account (the oldest closed ones go first); None: all
    # Deposits shaped as bridged from Ethereum (external chain, its transaction hash and sender); False: the harsher
    # shape of a credit that crossed no bridge, those fields "" (a client must not invent a txid or network then).
    bridged_deposits: bool = True
    ws: WsSettings = field(default_factory=WsSettings)  # the WebSocket endpoint at /v1 (ws.py)


class State:
    """Everything one running sandbox knows. Routes reach it through `request.app[STATE]`."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self.clock = clock
        self.engine = Engine(self.now_ms, seed=settings.seed, symbols=settings.markets,
                             funding_usdc=Decimal(settings.starting_balance), liquidity=settings.liquidity,
                             risk_delay_ms=int(settings.risk_delay * 1000), history_limit=settings.history_limit,
                             funding_sample_offset_ms=int(settings.funding_sample_offset * 1000))
        self.engine.ledger.bridged_deposits = settings.bridged_deposits
        self.config = self.engine.system_config()
        self.chain_id: str = self.config["starknet_chain_id"]
        self.tokens = auth.TokenIssuer(settings.jwt_lifetime, clock)
        self.api_tokens = ApiTokens(self.tokens)
        self.faults = Faults()
        self.limiter = RateLimiter(settings.rate_limits)
        self._pending_cancels: set[asyncio.Task] = set()

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def onboard(self, public_key: int, eth_address: str | None = None, balance: Decimal | None = None) -> int:
        """Register and fund the account of `public_key` (idempotent); returns its address."""
        address = auth.account_address(self.config, public_key)
        self.engine.ledger.onboard(hex(address), hex(public_key), eth_address or "", funding=balance)
        return address

    def cancel_later(self, address: str, order_ids: Iterable[str]) -> None:
        """Apply cancels after the pending-cancel window (at once if it is 0). An order that closed meanwhile
        (filled, say) stays as it closed: the late cancel finds it ORDER_IS_CLOSED and leaves it."""
        ids = list(order_ids)
        if self.settings.cancel_delay <= 0:
            self._cancel_now(address, ids)
            return
        task = asyncio.get_running_loop().create_task(self._cancel_after(self.settings.cancel_delay, address, ids))
        self._pending_cancels.add(task)
        task.add_done_callback(self._pending_cancels.discard)

    async def _cancel_after(self, delay: float, address: str, ids: list[str]) -> None:
        await asyncio.sleep(delay)
        self._cancel_now(address, ids)

    def _cancel_now(self, address: str, ids: list[str]) -> None:
        for order_id in ids:
            try:
                self.engine.cancel(address, order_id)
            except SandboxError as error:
                if error.code != "ORDER_IS_CLOSED":
                    raise

    def drop_pending_cancels(self) -> None:
        for task in self._pending_cancels:
            task.cancel()
        self._pending_cancels.clear()


STATE = web.AppKey("state", State)
CLAIMS = web.RequestKey("claims", auth.TokenClaims)
PRIVATE = web.AppKey("private_routes", set)


# -- responses -------------------------------------------------------------------------------------------------------

def reply(body: Any, status: int = 200) -> web.Response:
    return web.Response(body=json.dumps(body, separators=(",", ":")).encode(), status=status,
                        content_type="application/json")


def refusal(error: SandboxError, headers: dict[str, str] | None = None) -> web.Response:
    response = reply(error.body(), error.status)
    if headers:
        response.headers.update(headers)
    return response


def no_content() -> web.Response:
    return web.Response(status=204)


# -- the gateway -----------------------------------------------------------------------------------------------------

def throttled(verdict: Verdict | None = None, headers: dict[str, str] | None = None) -> web.Response:
    """A 429. Paradex documents the status and the x-ratelimit-* headers, not the body, and its error-code enum
    has no rate-limit code, so the body carries no `error` code: only the message of the Echo framework's rate
    limiter (Paradex's API runs on Echo: its "missing or malformed jwt" is Echo's JWT middleware text). Clients
    then classify by the status, as paradex-py does and as ccxt's built-in class does when `error` is absent."""
    message = "rate limit exceeded"
    if verdict is not None and verdict.limit is not None and verdict.scope is not None:
        message += f": {verdict.limit.requests} requests per {verdict.limit.window:g}s ({verdict.scope.value})"
    response = reply({"message": message}, 429)
    if headers:
        response.headers.update(headers)
    return response


def _drop(request: web.Request) -> web.Response:
    """Close the client's connection without an answer (the returned response is never written)."""
    if request.transport is not None:
        request.transport.abort()
    return web.Response(status=500)


def _break(response: web.StreamResponse, kind: FaultKind) -> web.Response:
    body = response.body if isinstance(response, web.Response) and isinstance(response.body, bytes) else b""
    cut = b"" if kind is FaultKind.EMPTY else (body[: len(body) // 2] if len(body) > 1 else b'{"')
    broken = web.Response(body=cut, status=response.status, content_type="application/json")
    for name, value in response.headers.items():
        if name.lower().startswith("x-ratelimit"):
            broken.headers[name] = value
    return broken


async def _before(request: web.Request, state: State, fired: list[Fault]) -> web.Response | None:
    delay = state.settings.latency + sum(f.delay for f in fired if f.kind is FaultKind.LATENCY)
    if delay:
        await asyncio.sleep(delay)
    for fault in fired:
        if fault.kind is FaultKind.EXPIRE_JWT:
            state.tokens.expire_all()
        elif fault.kind is FaultKind.DROP_BEFORE:
            return _drop(request)
        elif fault.kind is FaultKind.THROTTLE:
            return throttled(headers={"retry-after": "1"})
        elif fault.kind is FaultKind.ERROR:
            if fault.body is not None:
                return web.Response(text=fault.body, status=fault.status, content_type="text/html")
            return refusal(SandboxError(fault.error, fault.message, fault.status))
    return None


def _after(request: web.Request, response: web.StreamResponse, fired: list[Fault]) -> web.StreamResponse:
    for fault in fired:
        if fault.kind is FaultKind.DROP_AFTER:
            return _drop(request)
        if fault.kind in (FaultKind.MALFORMED, FaultKind.EMPTY):
            return _break(response, fault.kind)
    return response


@web.middleware
async def gateway(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/v1/"):
        return await handler(request)
    state = request.app[STATE]
    fired = state.faults.take(request.method, request.path)
    early = await _before(request, state, fired)
    if early is not None:
        return early
    private = request.match_info.route in request.app[PRIVATE]
    ip = request.remote or "unknown"
    keys = {Scope.PUBLIC: ip, Scope.SIGNED: ip, Scope.PRIVATE_IP: ip}
    if private:
        try:
            claims = state.tokens.verify(request.headers.get("Authorization"))
        except SandboxError as refused:
            return refusal(refused)
        if claims.read_only and request.method != "GET":
            # Paradex: read-only tokens are "restricted to GET requests"; it documents no error for the others.
            # INVALID_TOKEN_SCOPE (its error enum) with 403 (authenticated, not allowed) is the sandbox's choice.
            return refusal(SandboxError("INVALID_TOKEN_SCOPE", "a read-only API token allows GET requests only", 403))
        request[CLAIMS] = claims
        keys[Scope.ORDERS] = keys[Scope.PRIVATE_GET] = hex(claims.account)
    verdict = state.limiter.check(scopes_for(request.method, request.path, private), keys)
    if not verdict.allowed:
        return throttled(verdict, verdict.headers())
    try:
        response = await handler(request)
    except SandboxError as refused:
        response = refusal(refused)
    except web.HTTPException as http_error:
        # aiohttp's own answer for an unknown route or method, in Paradex's error shape
        code = "NOT_FOUND" if http_error.status == 404 else "INVALID_REQUEST_PARAMETER"
        response = refusal(SandboxError(code, http_error.reason, http_error.status))
    except Exception:
        # A sandbox bug: logged for whoever runs it, answered the way Paradex answers its own failures.
        log.exception("sandbox failed on %s %s", request.method, request.path)
        response = refusal(SandboxError("INTERNAL_ERROR", "internal error", 500))
    response.headers.update(verdict.headers())
    return _after(request, response, fired)


# -- request helpers -------------------------------------------------------------------------------------------------

async def json_body(request: web.Request) -> Any:
    if not request.can_read_body:
        return {}
    try:
        return json.loads(await request.read())
    except ValueError:
        raise SandboxError("BINDING_ERROR", "request body is not valid JSON") from None


async def json_object(request: web.Request) -> dict:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise SandboxError("BINDING_ERROR", "request body must be a JSON object")
    return body


@overload
def query_int(request: web.Request, name: str, default: int) -> int: ...
@overload
def query_int(request: web.Request, name: str, default: None = None) -> int | None: ...
def query_int(request: web.Request, name: str, default: int | None = None) -> int | None:
    value = request.query.get(name)
    if value in (None, ""):
        return default
    try:
        return int(value)
    except ValueError:
        raise SandboxError("INVALID_REQUEST_PARAMETER", f"{name} must be an integer") from None


def query_text(request: web.Request, name: str) -> str | None:
    return request.query.get(name) or None


def required(request: web.Request, name: str) -> str:
    value = request.query.get(name)
    if not value:
        raise SandboxError("VALIDATION_ERROR", f"{name} is required")
    return value


def page(request: web.Request) -> dict[str, Any]:
    """The cursor pagination parameters of Paradex's listings (plus the time window most of them take)."""
    return {
        "cursor": query_text(request, "cursor"),
        "page_size": query_int(request, "page_size", 100),
        "start_at": query_int(request, "start_at"),
        "end_at": query_int(request, "end_at"),
    }


def engine_of(request: web.Request) -> Engine:
    return request.app[STATE].engine


def address_of(request: web.Request) -> str:
    return hex(request[CLAIMS].account)


# -- public: system and market data ----------------------------------------------------------------------------------

async def get_system_config(request: web.Request) -> web.Response:
    return reply(engine_of(request).system_config())


async def get_system_time(request: web.Request) -> web.Response:
    return reply(engine_of(request).system_time())


async def get_system_state(request: web.Request) -> web.Response:
    return reply(engine_of(request).system_state())


async def get_jwks(request: web.Request) -> web.Response:
    return reply(request.app[STATE].tokens.jwks())


async def get_markets(request: web.Request) -> web.Response:
    return reply(engine_of(request).markets(query_text(request, "market")))


async def get_markets_summary(request: web.Request) -> web.Response:
    return reply(engine_of(request).markets_summary(query_text(request, "market") or "ALL"))


async def get_orderbook(request: web.Request) -> web.Response:
    return reply(engine_of(request).orderbook(request.match_info["market"], query_int(request, "depth", 20)))


async def get_bbo(request: web.Request) -> web.Response:
    return reply(engine_of(request).bbo(request.match_info["market"]))


async def get_trades(request: web.Request) -> web.Response:
    return reply(engine_of(request).trades(required(request, "market"), **page(request)))


async def get_klines(request: web.Request) -> web.Response:
    engine = engine_of(request)
    start = query_int(request, "start_at")
    end = query_int(request, "end_at")
    if start is None or end is None:
        raise SandboxError("VALIDATION_ERROR", "start_at and end_at are required")
    return reply(engine.klines(required(request, "symbol"), required(request, "resolution"), start, end,
                               request.query.get("price_kind") or "last"))


async def get_funding_data(request: web.Request) -> web.Response:
    return reply(engine_of(request).funding_data(required(request, "market"), **page(request)))


async def get_portfolio_margin_config(request: web.Request) -> web.Response:
    return reply(engine_of(request).portfolio_margin_config(query_text(request, "base_asset")))


async def get_insurance(request: web.Request) -> web.Response:
    return reply(engine_of(request).insurance_fund())


# -- public: onboarding and login ------------------------------------------------------------------------------------

async def get_onboarding(request: web.Request) -> web.Response:
    state = request.app[STATE]
    if request.query.get("account_signer_type") != "starknet":
        raise SandboxError("VALIDATION_ERROR", "account_signer_type must be starknet (eip191 is not simulated)")
    public_key = auth.parse_felt_hex(request.query.get("public_key"), "PUBLIC_KEY_INVALID", "public key")
    address = auth.account_address(state.config, public_key)
    return reply({
        "address": hex(address),
        "exists": state.engine.ledger.find(hex(address)) is not None,
        "account_signer_type": "starknet",
        "derivation_info": {
            "class_hash": state.config["paraclear_account_hash"],
            "proxy_class_hash": state.config["paraclear_account_proxy_hash"],
        },
    })


async def post_onboarding(request: web.Request) -> web.Response:
    state = request.app[STATE]
    body = await json_object(request)
    _, public_key, eth_address = auth.verify_onboarding(request.headers, body.get("public_key"),
                                                        chain_id=state.chain_id, config=state.config)
    state.onboard(public_key, eth_address)
    return reply({})


async def post_auth(request: web.Request) -> web.Response:
    state = request.app[STATE]
    account, signer = auth.verify_login(request.headers, request.match_info.get("public_key"),
                                        chain_id=state.chain_id, ledger=state.engine.ledger, now=state.clock(),
                                        max_clock_skew=state.settings.max_clock_skew)
    usage = "interactive" if request.query.get("token_usage") == "interactive" else ""
    return reply({"jwt_token": state.tokens.issue(int(account.address, 16), signer, usage)})


# -- private: account ------------------------------------------------------------------------------------------------

async def get_account(request: web.Request) -> web.Response:
    return reply(engine_of(request).account_summary(address_of(request)))


async def get_account_info(request: web.Request) -> web.Response:
    return reply(engine_of(request).account_info(address_of(request)))


async def get_account_profile(request: web.Request) -> web.Response:
    return reply(engine_of(request).account_profile(address_of(request)))


async def get_balance(request: web.Request) -> web.Response:
    return reply(engine_of(request).balance(address_of(request)))


async def get_positions(request: web.Request) -> web.Response:
    return reply(engine_of(request).positions(address_of(request)))


async def get_fills(request: web.Request) -> web.Response:
    return reply(engine_of(request).fills(address_of(request), query_text(request, "market"), **page(request)))


async def get_funding_payments(request: web.Request) -> web.Response:
    return reply(engine_of(request).funding_payments(address_of(request), query_text(request, "market"),
                                                     **page(request)))


async def get_transfers(request: web.Request) -> web.Response:
    return reply(engine_of(request).transfers(address_of(request), **page(request)))


async def get_transactions(request: web.Request) -> web.Response:
    return reply(engine_of(request).transactions(address_of(request), **page(request)))


async def get_tradebusts(request: web.Request) -> web.Response:
    return reply(engine_of(request).tradebusts(address_of(request), **page(request)))


async def get_liquidations(request: web.Request) -> web.Response:
    # The sandbox reports an account under maintenance margin as LIQUIDATION but never liquidates it.
    return reply({"results": []})


async def get_subaccounts(request: web.Request) -> web.Response:
    # Sandbox accounts are main accounts: isolated-margin and vault sub-accounts are not simulated.
    return reply({"results": []})


async def get_account_margin(request: web.Request) -> web.Response:
    return reply(engine_of(request).margin_config(address_of(request), query_text(request, "market")))


async def post_account_margin(request: web.Request) -> web.Response:
    body = await json_object(request)
    return reply(engine_of(request).set_margin_config(address_of(request), request.match_info["market"], body))


async def get_subkeys(request: web.Request) -> web.Response:
    with_revoked = any(request.query.get(name) == "true" for name in ("with_revoked", "include_revoked"))
    return reply({"results": engine_of(request).ledger.subkeys_json(address_of(request), with_revoked)})


async def post_subkey(request: web.Request) -> web.Response:
    body = await json_object(request)
    name = body.get("name")
    if not isinstance(name, str) or not name:
        raise SandboxError("VALIDATION_ERROR", "name is required")
    public_key = auth.parse_felt_hex(body.get("public_key"), "PUBLIC_KEY_INVALID", "public key")
    engine_of(request).ledger.add_subkey(address_of(request), hex(public_key), name)
    return reply({}, 201)


async def get_subkey(request: web.Request) -> web.Response:
    public_key = auth.parse_felt_hex(request.match_info["public_key"], "PUBLIC_KEY_INVALID", "public key")
    return reply(engine_of(request).ledger.subkey_json(address_of(request), hex(public_key)))


async def put_subkey(request: web.Request) -> web.Response:
    public_key = auth.parse_felt_hex(request.match_info["public_key"], "PUBLIC_KEY_INVALID", "public key")
    name = (await json_object(request)).get("name")
    if not isinstance(name, str) or not name:
        raise SandboxError("VALIDATION_ERROR", "name is required")
    return reply(engine_of(request).ledger.rename_subkey(address_of(request), hex(public_key), name))


async def delete_subkey(request: web.Request) -> web.Response:
    public_key = auth.parse_felt_hex(request.match_info["public_key"], "PUBLIC_KEY_INVALID", "public key")
    engine_of(request).ledger.revoke_subkey(address_of(request), hex(public_key))
    return reply({"public_key": hex(public_key)})


# -- private: account API tokens -------------------------------------------------------------------------------------

async def get_api_tokens(request: web.Request) -> web.Response:
    with_invalid = request.query.get("with_invalid") == "true"
    return reply({"results": request.app[STATE].api_tokens.listing(request[CLAIMS].account,
                                                                   query_text(request, "kind"), with_invalid)})


async def post_api_token(request: web.Request) -> web.Response:
    claims = request[CLAIMS]
    body = await json_object(request)
    return reply(request.app[STATE].api_tokens.create(claims.account, claims.public_key, body))


async def delete_api_token(request: web.Request) -> web.Response:
    return reply(request.app[STATE].api_tokens.revoke(request[CLAIMS].account, request.match_info["lookup_id"]))


# -- private: orders -------------------------------------------------------------------------------------------------

async def verify_signed(request: web.Request, body: Any, order_id: str | None = None) -> None:
    """The order's Stark signature must come from a key of the JWT's account (the logged-in key tried first)."""
    state = request.app[STATE]
    claims = request[CLAIMS]
    if not isinstance(body, dict):
        raise SandboxError("BINDING_ERROR", "an order must be a JSON object")
    signers = auth.signing_keys(state.engine.account(hex(claims.account)), first=claims.public_key)
    # Both verifiers release the GIL while they check the curve equation (~0.5-1 ms an order, the largest cost of
    # an order): on a thread, requests keep being served meanwhile and a second core does the arithmetic.
    await asyncio.to_thread(auth.verify_order, body, chain_id=state.chain_id, account=claims.account,
                            signers=signers, order_id=order_id)


async def verify_new_order(request: web.Request, body: Any) -> None:
    """A new order reached the gateway in time (its recv_window) and is signed by a key of the account."""
    if isinstance(body, dict):
        auth.check_recv_window(body, request.app[STATE].now_ms())
    await verify_signed(request, body)


async def post_order(request: web.Request) -> web.Response:
    body = await json_object(request)
    await verify_new_order(request, body)
    return reply(engine_of(request).submit(address_of(request), body), 201)


async def post_orders_batch(request: web.Request) -> web.Response:
    bodies = await json_body(request)
    if not isinstance(bodies, list) or not 1 <= len(bodies) <= BATCH_MAX_ORDERS:
        raise SandboxError("BATCH_SIZE_OUT_OF_RANGE", f"a batch holds 1 to {BATCH_MAX_ORDERS} orders")
    for body in bodies:
        await verify_new_order(request, body)  # one stale or badly signed order rejects the whole batch
    return reply(engine_of(request).submit_batch(address_of(request), bodies), 201)


async def get_order(request: web.Request) -> web.Response:
    state = request.app[STATE]
    order = state.engine.get_order(address_of(request), request.match_info["order_id"])
    ttl = state.settings.closed_order_ttl
    if ttl is not None and order["status"] == "CLOSED" and state.now_ms() - order["last_updated_at"] >= ttl * 1000:
        raise SandboxError("NOT_FOUND", f"order not found: {order['id']}", 404)
    return reply(order)


async def get_order_by_client_id(request: web.Request) -> web.Response:
    return reply(engine_of(request).get_order_by_client_id(address_of(request), request.match_info["client_id"]))


async def get_open_orders(request: web.Request) -> web.Response:
    return reply(engine_of(request).open_orders(address_of(request), query_text(request, "market")))


async def get_orders_history(request: web.Request) -> web.Response:
    filters: dict[str, Any] = {name: query_text(request, name)
                               for name in ("market", "client_id", "side", "status", "type")}
    return reply(engine_of(request).orders_history(address_of(request), **filters, **page(request)))


async def put_order(request: web.Request) -> web.Response:
    order_id = request.match_info["order_id"]
    body = await json_object(request)
    await verify_signed(request, body, order_id=order_id)
    return reply(engine_of(request).modify(address_of(request), order_id, body))


async def delete_order(request: web.Request) -> web.Response:
    state = request.app[STATE]
    address = address_of(request)
    order = state.engine.cancellable(address, request.match_info["order_id"])
    state.cancel_later(address, [order["id"]])
    return no_content()


async def delete_order_by_client_id(request: web.Request) -> web.Response:
    state = request.app[STATE]
    address = address_of(request)
    client_id = request.match_info["client_id"]
    order = state.engine.get_order_by_client_id(address, client_id)
    market = query_text(request, "market")
    if market is not None and order["market"] != market:
        raise SandboxError("CLIENT_ORDER_ID_NOT_FOUND", f"client order id not found: {client_id}", 404)
    state.cancel_later(address, [order["id"]])
    return no_content()


async def delete_orders(request: web.Request) -> web.Response:
    state = request.app[STATE]
    address = address_of(request)
    market = query_text(request, "market")
    if market is not None and market not in state.engine.catalog:
        raise SandboxError("MARKET_NOT_FOUND", f"market not found: {market}")
    open_orders = state.engine.open_orders(address, market)["results"]
    state.cancel_later(address, [order["id"] for order in open_orders])
    return no_content()


async def delete_orders_batch(request: web.Request) -> web.Response:
    state = request.app[STATE]
    address = address_of(request)
    body = await json_object(request)
    order_ids, client_ids = body.get("order_ids") or [], body.get("client_order_ids") or []
    if not isinstance(order_ids, list) or not isinstance(client_ids, list) or not (order_ids or client_ids):
        raise SandboxError("VALIDATION_ERROR", "order_ids and/or client_order_ids must be non-empty lists")
    answer, to_cancel = state.engine.plan_cancel_batch(address, order_ids, client_ids)
    state.cancel_later(address, to_cancel)
    return reply(answer)


# -- test control: /_sandbox -----------------------------------------------------------------------------------------

async def admin_list_faults(request: web.Request) -> web.Response:
    return reply({"results": [f.to_json() for f in request.app[STATE].faults.rules]})


async def admin_add_fault(request: web.Request) -> web.Response:
    try:
        fault = Fault.from_json(await json_object(request))
    except (ValueError, TypeError) as error:
        raise SandboxError("VALIDATION_ERROR", str(error)) from None
    return reply(request.app[STATE].faults.add(fault).to_json(), 201)


async def admin_clear_faults(request: web.Request) -> web.Response:
    request.app[STATE].faults.clear()
    return no_content()


async def admin_remove_fault(request: web.Request) -> web.Response:
    fault_id = request.match_info["fault_id"]
    if not (fault_id.isdigit() and request.app[STATE].faults.remove(int(fault_id))):
        raise SandboxError("NOT_FOUND", f"no fault {fault_id}", 404)
    return no_content()


async def admin_system_state(request: web.Request) -> web.Response:
    engine = engine_of(request)
    try:
        engine.set_system_status((await json_object(request)).get("status"))
    except ValueError as error:
        raise SandboxError("VALIDATION_ERROR", str(error)) from None
    return reply(engine.system_state())


async def admin_create_account(request: web.Request) -> web.Response:
    """Onboard and fund an account without signatures: {"public_key": "0x..", "balance": "1000"?}."""
    body = await json_object(request)
    public_key = auth.parse_felt_hex(body.get("public_key"), "PUBLIC_KEY_INVALID", "public key")
    balance = body.get("balance")
    address = request.app[STATE].onboard(public_key, body.get("eth_address"),
                                         Decimal(str(balance)) if balance is not None else None)
    return reply({"address": hex(address), "public_key": hex(public_key)}, 201)


@web.middleware
async def admin_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/_sandbox/"):
        return await handler(request)
    try:
        return await handler(request)
    except SandboxError as refused:
        return refusal(refused)


# -- the application -------------------------------------------------------------------------------------------------

PUBLIC_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/v1/system/config", get_system_config),
    ("GET", "/v1/system/time", get_system_time),
    ("GET", "/v1/system/state", get_system_state),
    ("GET", "/v1/jwks.json", get_jwks),
    ("GET", "/v1/markets", get_markets),
    ("GET", "/v1/markets/summary", get_markets_summary),
    ("GET", "/v1/markets/klines", get_klines),
    ("GET", "/v1/orderbook/{market}", get_orderbook),
    ("GET", "/v1/orderbook/{market}/interactive", get_orderbook),  # the sandbox has no RPI-only liquidity
    ("GET", "/v1/bbo/{market}", get_bbo),
    ("GET", "/v1/bbo/{market}/interactive", get_bbo),
    ("GET", "/v1/trades", get_trades),
    ("GET", "/v1/funding/data", get_funding_data),
    ("GET", "/v1/system/portfolio-margin-config", get_portfolio_margin_config),
    ("GET", "/v1/insurance", get_insurance),
    ("GET", "/v1/onboarding", get_onboarding),
    ("POST", "/v1/onboarding", post_onboarding),
    ("POST", "/v1/auth", post_auth),
    ("POST", "/v1/auth/{public_key}", post_auth),
]

PRIVATE_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/v1/account", get_account),
    ("GET", "/v1/account/info", get_account_info),
    ("GET", "/v1/account/profile", get_account_profile),
    ("GET", "/v1/balance", get_balance),
    ("GET", "/v1/positions", get_positions),
    ("GET", "/v1/fills", get_fills),
    ("GET", "/v1/funding/payments", get_funding_payments),
    ("GET", "/v1/transfers", get_transfers),
    ("GET", "/v1/transactions", get_transactions),
    ("GET", "/v1/tradebusts", get_tradebusts),
    ("GET", "/v1/liquidations", get_liquidations),
    ("GET", "/v1/account/subaccounts", get_subaccounts),
    ("GET", "/v1/account/margin", get_account_margin),
    ("POST", "/v1/account/margin/{market}", post_account_margin),
    ("GET", "/v1/account/keys/subkeys", get_subkeys),
    ("POST", "/v1/account/keys/subkeys", post_subkey),
    ("GET", "/v1/account/keys/subkeys/{public_key}", get_subkey),
    ("PUT", "/v1/account/keys/subkeys/{public_key}", put_subkey),
    ("DELETE", "/v1/account/keys/subkeys/{public_key}", delete_subkey),
    ("GET", "/v1/account/tokens", get_api_tokens),
    ("POST", "/v1/account/tokens", post_api_token),
    ("DELETE", "/v1/account/tokens/{lookup_id}", delete_api_token),
    ("POST", "/v1/orders", post_order),
    ("GET", "/v1/orders", get_open_orders),
    ("DELETE", "/v1/orders", delete_orders),
    ("POST", "/v1/orders/batch", post_orders_batch),
    ("DELETE", "/v1/orders/batch", delete_orders_batch),
    ("GET", "/v1/orders-history", get_orders_history),
    ("GET", "/v1/orders/by_client_id/{client_id}", get_order_by_client_id),
    ("DELETE", "/v1/orders/by_client_id/{client_id}", delete_order_by_client_id),
    ("GET", "/v1/orders/{order_id}", get_order),
    ("PUT", "/v1/orders/{order_id}", put_order),
    ("DELETE", "/v1/orders/{order_id}", delete_order),
]

ADMIN_ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/_sandbox/faults", admin_list_faults),
    ("POST", "/_sandbox/faults", admin_add_fault),
    ("DELETE", "/_sandbox/faults", admin_clear_faults),
    ("DELETE", "/_sandbox/faults/{fault_id}", admin_remove_fault),
    ("POST", "/_sandbox/system/state", admin_system_state),
    ("POST", "/_sandbox/accounts", admin_create_account),
]


def build_app(state: State) -> web.Application:
    app = web.Application(middlewares=[gateway, admin_errors])
    app[STATE] = state
    for method, path, handler in PUBLIC_ROUTES + ADMIN_ROUTES:
        app.router.add_route(method, path, handler)
    app[PRIVATE] = {app.router.add_route(method, path, handler) for method, path, handler in PRIVATE_ROUTES}
    install_ws(app, state, state.settings.ws)
    return app
