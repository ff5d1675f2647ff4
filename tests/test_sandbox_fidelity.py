"""The sandbox answers every route with Paradex's real shapes: field names, JSON types, required fields, status codes
and error codes, as written down in tests/data/paradex_api_schemas.json (see its "about").

One recorded session drives every route the sandbox serves (public data, onboarding and login, orders, account
reads, subkeys, errors); the tests then check each recorded answer against the data file. A route added to the
server without a described shape, or described but never exercised here, fails the coverage tests.
"""
from __future__ import annotations

import asyncio
import re
import secrets
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from paradex_ccxt import signing
from paradex_ccxt.sandbox import Limit, RateLimitPolicy, Sandbox, SandboxAccount
from paradex_ccxt.sandbox.auth import account_address
from paradex_ccxt.sandbox.catalog import dec_str
from paradex_ccxt.sandbox.server import PRIVATE_ROUTES, PUBLIC_ROUTES
from tests.conftest import load_json
from tests.sandbox_fixture import SEED, SandboxClient

SPEC: dict = load_json("paradex_api_schemas.json")  # type: ignore[assignment]
ERROR_CODES = set(load_json("error-codes.json")["openapi_enum"]) | set(  # type: ignore[index]
    load_json("error-codes.json")["seen_in_docs_only"])  # type: ignore[index]
DECIMAL = re.compile(r"-?\d+(\.\d+)?")
BTC, ETH, OPTION = "BTC-USD-PERP", "ETH-USD-PERP", "BTC-USD-95000-C"
# Routes whose listing may honestly be empty in a sandbox session: nothing there to show.
EMPTY_LISTINGS = {"GET /v1/tradebusts", "GET /v1/liquidations", "GET /v1/account/subaccounts"}


# -- the shape checker -----------------------------------------------------------------------------------------------

def problems(value: Any, kind: Any, where: str) -> list[str]:
    """Why `value` is not of the data file's type `kind` (empty when it is)."""
    if isinstance(kind, dict):
        if "nullable" in kind:
            return [] if value is None else problems(value, kind["nullable"], where)
        if "enum" in kind:
            return [] if value in kind["enum"] else [f"{where}: {value!r} is not one of {kind['enum']}"]
        if "array" in kind:
            if not isinstance(value, list):
                return [f"{where}: {value!r} is not an array"]
            return [p for i, item in enumerate(value) for p in problems(item, kind["array"], f"{where}[{i}]")]
        return schema_problems(value, kind["object"], where)
    if kind == "decimal":
        ok = isinstance(value, str) and (value == "" or DECIMAL.fullmatch(value) is not None)
        return [] if ok else [f"{where}: {value!r} is not a plain decimal string"]
    if kind == "error_code":
        return [] if value in ERROR_CODES else [f"{where}: {value!r} is not a Paradex error code"]
    checks = {"string": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
              "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
              "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
              "object": lambda v: isinstance(v, dict)}
    return [] if checks[kind](value) else [f"{where}: {value!r} is not a JSON {kind}"]


def schema_problems(value: Any, schema: str, where: str) -> list[str]:
    spec = SPEC["schemas"][schema]
    if not isinstance(value, dict):
        return [f"{where}: {value!r} is not a {schema} object"]
    found = [f"{where}.{name}: missing (required by {schema})" for name in spec["required"] if name not in value]
    for name, item in value.items():
        if name not in spec["fields"]:
            found.append(f"{where}.{name}: not a field of Paradex's {schema}")
        else:
            found += problems(item, spec["fields"][name], f"{where}.{name}")
    return found


def body_problems(body: Any, kind: str, schema: str | None) -> list[str]:
    if kind == "empty":
        return [] if body is None else [f"expected no body, got {body!r}"]
    if kind == "schema":
        return schema_problems(body, schema, "body")
    if not isinstance(body, dict) or not isinstance(body.get("results"), list):
        return [f"expected {{results: [...]}}, got {body!r}"]
    expected_keys = {"results"} | ({"next", "prev"} if kind == "page" else set())
    found = [f"body keys {sorted(body)} are not {sorted(expected_keys)}"] if set(body) != expected_keys else []
    for cursor in expected_keys - {"results"}:
        found += problems(body.get(cursor), {"nullable": "string"}, f"body.{cursor}")
    return found + [p for i, row in enumerate(body["results"]) for p in schema_problems(row, schema, f"results[{i}]")]


def test_the_checker_refuses_an_invented_field_a_wrong_type_and_a_missing_field():
    order = {"id": "1", "price": 26000}
    found = " ".join(schema_problems(order | {"oracle_price": "1"}, "OrderResp", "o"))
    assert "o.oracle_price: not a field" in found and "o.price: 26000 is not a plain decimal" in found
    assert "o.market: missing" in found


# -- one recorded session ----------------------------------------------------------------------------------------------

class Clock:
    """The sandbox's clock: real time plus a jump forward (funding accrues over the hour the session skips)."""

    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@dataclass
class Session:
    answers: dict[str, list[tuple[int, Any]]] = field(default_factory=dict)  # route -> (status, body) per call
    errors: dict[str, tuple[int, Any]] = field(default_factory=dict)  # error case -> (status, body)
    throttled: tuple[int, Any] | None = None


class Recorder:
    def __init__(self, client: SandboxClient, session: Session) -> None:
        self.client = client
        self.session = session

    async def call(self, route: str, path: str, body: Any = None, *, params: dict | None = None,
                   headers: dict | None = None, private: bool = True) -> Any:
        method = route.split()[0]
        status, answer, _ = await self.client.request(method, path, body, params=params, headers=headers,
                                                      private=private)
        self.session.answers.setdefault(route, []).append((status, answer))
        return answer

    async def error(self, case: str, method: str, path: str, body: Any = None, *, headers: dict | None = None,
                    private: bool = True, params: dict | None = None) -> None:
        status, answer, _ = await self.client.request(method, path, body, params=params, headers=headers,
                                                      private=private)
        self.session.errors[case] = (status, answer)


def onboarding_headers(sandbox: Sandbox, signer: signing.StarkSigner, address: int) -> dict[str, str]:
    signature = signing.format_signature(*signer.sign(signing.onboarding_hash(sandbox.chain_id, address)))
    return {"PARADEX-ETHEREUM-ACCOUNT": "0x" + secrets.token_hex(20), "PARADEX-STARKNET-ACCOUNT": hex(address),
            "PARADEX-STARKNET-SIGNATURE": signature}


async def resting_bid(rec: Recorder, market: str = BTC, tick: str = "0.1") -> str:
    bbo = await rec.call("GET /v1/bbo/{market}", f"/bbo/{market}", private=False)
    return dec_str((Decimal(bbo["bid"]) * Decimal("0.97")).quantize(Decimal(tick)))


async def public_reads(rec: Recorder) -> None:
    for route, path, params in [
        ("GET /v1/system/config", "/system/config", None), ("GET /v1/system/time", "/system/time", None),
        ("GET /v1/system/state", "/system/state", None), ("GET /v1/jwks.json", "/jwks.json", None),
        ("GET /v1/markets", "/markets", None), ("GET /v1/markets/summary", "/markets/summary", {"market": "ALL"}),
        ("GET /v1/orderbook/{market}", f"/orderbook/{BTC}", {"depth": "5"}),
        ("GET /v1/orderbook/{market}/interactive", f"/orderbook/{ETH}/interactive", None),
        ("GET /v1/bbo/{market}/interactive", f"/bbo/{OPTION}/interactive", None),
        ("GET /v1/trades", "/trades", {"market": BTC, "page_size": "3"}),
        ("GET /v1/funding/data", "/funding/data", {"market": BTC, "page_size": "3"}),
        ("GET /v1/system/portfolio-margin-config", "/system/portfolio-margin-config", None),
        ("GET /v1/insurance", "/insurance", None),
    ]:
        await rec.call(route, path, params=params, private=False)
    now = int(rec.client.sandbox.state.clock() * 1000)
    await rec.call("GET /v1/markets/klines", "/markets/klines", private=False,
                   params={"symbol": BTC, "resolution": "5", "start_at": str(now - 1_800_000), "end_at": str(now)})


async def onboard_and_login(rec: Recorder, sandbox: Sandbox, signer: signing.StarkSigner, address: int) -> None:
    query = {"account_signer_type": "starknet", "public_key": hex(signer.public_key)}
    await rec.call("GET /v1/onboarding", "/onboarding", params=query, private=False)
    await rec.error("login_not_onboarded", "POST", "/auth", headers=rec.client.auth_headers(), private=False)
    await rec.call("POST /v1/onboarding", "/onboarding", {"public_key": hex(signer.public_key)},
                   headers=onboarding_headers(sandbox, signer, address), private=False)
    await rec.call("POST /v1/auth", "/auth", headers=rec.client.auth_headers(), private=False)
    login = await rec.call("POST /v1/auth/{public_key}", f"/auth/{hex(signer.public_key)}",
                           headers=rec.client.auth_headers(), private=False)
    rec.client.jwt = login["jwt_token"]


async def trade_across_an_hour(rec: Recorder, clock: Clock) -> dict:
    """A position opened, an hour of funding, then added to: fills, funding payments, transactions exist."""
    first = await rec.call("POST /v1/orders", "/orders", rec.client.order(BTC, "BUY", "MARKET", "0.01"))
    clock.offset += 3600
    await rec.call("POST /v1/orders", "/orders", rec.client.order(BTC, "BUY", "MARKET", "0.01"))
    opened = await rec.call("POST /v1/orders", "/orders", rec.client.order(OPTION, "BUY", "MARKET", "0.05"))
    await rec.client.wait_for(opened["id"], "CLOSED")
    # selling the option back leaves a closed position
    await rec.call("POST /v1/orders", "/orders", rec.client.order(OPTION, "SELL", "MARKET", "0.05"))
    return await rec.client.wait_for(first["id"], "CLOSED")


async def order_lifecycle(rec: Recorder, filled: dict) -> None:
    price = await resting_bid(rec)
    resting = await rec.call("POST /v1/orders", "/orders", rec.client.order(BTC, "BUY", "LIMIT", "0.001", price,
                                                                            client_id="fid-1"))
    await rec.client.wait_for(resting["id"], "OPEN")
    await rec.call("GET /v1/orders/{order_id}", f"/orders/{resting['id']}")
    await rec.call("GET /v1/orders/by_client_id/{client_id}", "/orders/by_client_id/fid-1")
    far = dec_str((Decimal(price) * Decimal("1.5")).quantize(Decimal("0.1")))
    await rec.call("POST /v1/orders", "/orders", rec.client.order(BTC, "BUY", "STOP_LIMIT", "0.001", far,
                                                                  trigger_price=far))  # waits UNTRIGGERED
    await rec.call("GET /v1/orders", "/orders", params={"market": BTC})
    await rec.call("PUT /v1/orders/{order_id}", f"/orders/{resting['id']}",
                   rec.client.modify(resting["id"], BTC, "BUY", "LIMIT", "0.002", price))
    await rec.call("GET /v1/orders-history", "/orders-history", params={"page_size": "2"})
    eth_price = await resting_bid(rec, ETH, "0.01")
    batch = await rec.call("POST /v1/orders/batch", "/orders/batch", [
        rec.client.order(BTC, "BUY", "LIMIT", "0.001", price, client_id="fid-b1"),
        rec.client.order(ETH, "BUY", "LIMIT", "0.01", eth_price, client_id="fid-b2")])
    await rec.call("DELETE /v1/orders/batch", "/orders/batch",
                   {"order_ids": [batch["orders"][0]["id"], filled["id"]], "client_order_ids": ["fid-b2", "no-such"]})
    await rec.call("DELETE /v1/orders/by_client_id/{client_id}", "/orders/by_client_id/fid-1")
    later = await rec.call("POST /v1/orders", "/orders", rec.client.order(BTC, "BUY", "LIMIT", "0.001", price))
    await rec.call("DELETE /v1/orders/{order_id}", f"/orders/{later['id']}")
    await rec.call("POST /v1/orders", "/orders", rec.client.order(ETH, "BUY", "LIMIT", "0.01", eth_price))
    await rec.call("DELETE /v1/orders", "/orders", params={"market": ETH})


async def account_reads(rec: Recorder) -> None:
    for route, path, params in [
        ("GET /v1/account", "/account", None), ("GET /v1/account/info", "/account/info", None),
        ("GET /v1/account/profile", "/account/profile", None),
        ("GET /v1/account/subaccounts", "/account/subaccounts", None), ("GET /v1/balance", "/balance", None),
        ("GET /v1/positions", "/positions", None), ("GET /v1/fills", "/fills", {"page_size": "2"}),
        ("GET /v1/funding/payments", "/funding/payments", None), ("GET /v1/transfers", "/transfers", None),
        ("GET /v1/transactions", "/transactions", None), ("GET /v1/tradebusts", "/tradebusts", None),
        ("GET /v1/liquidations", "/liquidations", None), ("GET /v1/account/margin", "/account/margin", {"market": BTC}),
    ]:
        await rec.call(route, path, params=params)
    await rec.call("POST /v1/account/margin/{market}", f"/account/margin/{ETH}",
                   {"leverage": 10, "margin_type": "CROSS"})


async def subkeys(rec: Recorder) -> None:
    key = hex(signing.StarkSigner(secrets.randbelow(2**200) + 1).public_key)
    await rec.call("POST /v1/account/keys/subkeys", "/account/keys/subkeys", {"name": "bot", "public_key": key})
    await rec.call("GET /v1/account/keys/subkeys", "/account/keys/subkeys")
    await rec.call("GET /v1/account/keys/subkeys/{public_key}", f"/account/keys/subkeys/{key}")
    await rec.call("PUT /v1/account/keys/subkeys/{public_key}", f"/account/keys/subkeys/{key}", {"name": "bot-2"})
    await rec.call("DELETE /v1/account/keys/subkeys/{public_key}", f"/account/keys/subkeys/{key}")


async def api_tokens(rec: Recorder, resting: dict) -> None:
    """A read-only API token: made, listed, used for a read, refused for an order and a cancel, revoked."""
    made = await rec.call("POST /v1/account/tokens", "/account/tokens",
                          {"name": "dashboard", "token_type": "api_key", "expiry_duration": 86_400})
    await rec.call("GET /v1/account/tokens", "/account/tokens", params={"with_invalid": "true"})
    bearer = {"Authorization": f"Bearer {made['token']}"}
    await rec.call("GET /v1/balance", "/balance", headers=bearer, private=False)
    price = await resting_bid(rec)
    await rec.error("read_only_token_places_order", "POST", "/orders",
                    rec.client.order(BTC, "BUY", "LIMIT", "0.001", price), headers=bearer, private=False)
    await rec.error("read_only_token_cancels_order", "DELETE", f"/orders/{resting['id']}", headers=bearer,
                    private=False)
    lookup_id = made["api_token"]["lookup_id"]
    await rec.call("DELETE /v1/account/tokens/{lookup_id}", f"/account/tokens/{lookup_id}")
    await rec.error("revoked_token", "GET", "/balance", headers=bearer, private=False)
    await rec.error("revoke_unknown_token", "DELETE", f"/account/tokens/{lookup_id}")
    await rec.error("token_expiry_out_of_range", "POST", "/account/tokens",
                    {"name": "forever", "token_type": "api_key", "expiry_duration": 10**9})


async def refusals(rec: Recorder, filled: dict) -> None:
    client = rec.client
    await rec.error("order_unknown", "GET", "/orders/1795315430413201700000000001")
    await rec.error("client_order_unknown", "GET", "/orders/by_client_id/never-sent")
    await rec.error("cancel_closed_order", "DELETE", f"/orders/{filled['id']}")
    await rec.error("no_bearer", "GET", "/account", private=False)
    await rec.error("bad_bearer", "GET", "/account", private=False, headers={"Authorization": "Bearer not.a.jwt"})
    bad_login = client.auth_headers() | {"PARADEX-SIGNATURE-EXPIRATION": str(int(client.sandbox.state.clock()) + 999)}
    await rec.error("login_bad_signature", "POST", "/auth", headers=bad_login, private=False)
    await rec.error("unknown_market", "GET", "/bbo/NOPE-USD-PERP", private=False)
    forged = client.order(BTC, "BUY", "LIMIT", "0.001", "1000") | {"size": "0.002"}
    await rec.error("order_bad_signature", "POST", "/orders", forged)
    price = await resting_bid(rec)
    await client.post("/orders", client.order(BTC, "BUY", "LIMIT", "0.001", price, client_id="fid-dup"))
    await rec.error("order_duplicate_client_id", "POST", "/orders",
                    client.order(BTC, "BUY", "LIMIT", "0.001", price, client_id="fid-dup"))
    await rec.error("batch_too_large", "POST", "/orders/batch",
                    [client.order(BTC, "BUY", "LIMIT", "0.001", price) for _ in range(11)])
    await rec.error("unknown_route", "GET", "/no/such/route", private=False)
    late = client.order(BTC, "BUY", "LIMIT", "0.001", price, recv_window=10)
    await asyncio.sleep(0.02)
    await rec.error("order_past_recv_window", "POST", "/orders", late)
    await rec.error("unknown_portfolio_margin_asset", "GET", "/system/portfolio-margin-config", private=False,
                    params={"base_asset": "NOPE"})


async def record_session() -> Session:
    clock = Clock()
    session = Session()
    async with Sandbox(seed=SEED, rate_limits=None, cancel_delay=0, jwt_lifetime=86_400, clock=clock) as sandbox, \
            aiohttp.ClientSession() as http:
        private_key = secrets.randbelow(2**200) + 1
        signer = signing.StarkSigner(private_key)
        address = account_address(sandbox.state.config, signer.public_key)
        rec = Recorder(SandboxClient(sandbox, SandboxAccount(private_key, signer.public_key, address), http), session)
        await public_reads(rec)
        await onboard_and_login(rec, sandbox, signer, address)
        filled = await trade_across_an_hour(rec, clock)
        await order_lifecycle(rec, filled)
        await account_reads(rec)
        await subkeys(rec)
        open_order = await rec.client.post("/orders", rec.client.order(BTC, "BUY", "LIMIT", "0.001",
                                                                       await resting_bid(rec)))
        await api_tokens(rec, open_order[1])
        await refusals(rec, filled)
    async with Sandbox(seed=SEED, rate_limits=RateLimitPolicy(public=(Limit(1, 60),))) as limited, \
            aiohttp.ClientSession() as http:
        for _ in range(2):
            async with http.get(limited.api_url + "/system/time") as response:
                session.throttled = (response.status, await response.json())
    return session


@pytest.fixture(scope="module")
def session() -> Session:
    return asyncio.run(record_session())


# -- the checks ------------------------------------------------------------------------------------------------------

def served_routes() -> set[str]:
    return {f"{method} {path}" for method, path, _ in PUBLIC_ROUTES + PRIVATE_ROUTES}


def test_every_route_the_sandbox_serves_has_a_described_paradex_shape():
    assert served_routes() == set(SPEC["endpoints"])


def test_the_session_exercises_every_described_route(session: Session):
    assert set(session.answers) == set(SPEC["endpoints"])


@pytest.mark.parametrize("route", sorted(SPEC["endpoints"]))
def test_route_answers_with_paradex_status_and_shape(session: Session, route: str):
    status, kind, schema = SPEC["endpoints"][route]
    for got_status, body in session.answers[route]:
        assert got_status == status, (route, got_status, body)
        assert body_problems(body, kind, schema) == [], route


@pytest.mark.parametrize("route", sorted(r for r, (_, kind, _) in SPEC["endpoints"].items()
                                         if kind in ("results", "page") and r not in EMPTY_LISTINGS))
def test_listing_had_rows_to_check(session: Session, route: str):
    assert any(body["results"] for _, body in session.answers[route]), route


@pytest.mark.parametrize("case, status, code", [(c, s, e) for c, s, e, _ in SPEC["errors"]])
def test_refusal_uses_paradex_status_error_code_and_error_body(session: Session, case: str, status: int, code: str):
    got_status, body = session.errors[case]
    assert (got_status, body["error"]) == (status, code), body
    assert schema_problems(body, "ApiError", "body") == [] and set(body) == {"error", "message", "data"}


def test_a_modified_order_carries_every_request_info_field(session: Session):
    (_, modified), = session.answers["PUT /v1/orders/{order_id}"]
    assert set(modified["request_info"]) == {"id", "request_type", "status", "message"}
    assert schema_problems(modified["request_info"], "RequestInfo", "request_info") == []


def test_an_option_summary_carries_its_greeks_and_ivs(session: Session):
    (_, summary), = session.answers["GET /v1/markets/summary"]
    option = next(row for row in summary["results"] if row["symbol"] == OPTION)
    assert {"delta", "gamma", "vega"} <= set(option["greeks"]) and option["mark_iv"]


def test_server_time_is_a_string_of_unix_milliseconds(session: Session):
    (_, body), = session.answers["GET /v1/system/time"]
    assert isinstance(body["server_time"], str) and abs(int(body["server_time"]) - time.time() * 1000) < 60_000


def test_a_throttled_call_is_a_429_whose_body_invents_no_paradex_error_code(session: Session):
    status, body = session.throttled
    assert status == 429 and "error" not in body and body["message"].startswith("rate limit exceeded")


def test_the_session_shows_an_untriggered_stop_and_a_closed_position(session: Session):
    (_, open_orders), = session.answers["GET /v1/orders"]
    assert "UNTRIGGERED" in {o["status"] for o in open_orders["results"]}
    (_, positions), = session.answers["GET /v1/positions"]
    assert {p["status"] for p in positions["results"]} == {"OPEN", "CLOSED"}


def test_cancel_batch_reports_each_id_with_paradex_statuses(session: Session):
    (_, body), = session.answers["DELETE /v1/orders/batch"]
    assert [r["status"] for r in body["results"]] == ["QUEUED_FOR_CANCELLATION", "ALREADY_CLOSED",
                                                      "QUEUED_FOR_CANCELLATION", "NOT_FOUND"]
    assert body["results"][3] == {"client_id": "no-such", "status": "NOT_FOUND"}


def test_the_data_file_requires_only_fields_its_schemas_define():
    for name, spec in SPEC["schemas"].items():
        assert set(spec["required"]) <= set(spec["fields"]), name
