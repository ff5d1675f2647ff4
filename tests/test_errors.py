"""Paradex error bodies become the most specific ccxt exception, with Paradex's code and text in the message."""
from __future__ import annotations

import json

import pytest
from ccxt.base.errors import (
    BaseError,
    AccountNotEnabled,
    AuthenticationError,
    BadRequest,
    BadResponse,
    BadSymbol,
    DuplicateOrderId,
    ExchangeError,
    ExchangeNotAvailable,
    InsufficientFunds,
    InvalidOrder,
    MarketClosed,
    OnMaintenance,
    OrderNotFound,
    PermissionDenied,
    RateLimitExceeded,
    RequestTimeout,
)

from paradex_ccxt import paradex
from paradex_ccxt.errors import EXACT, TokenRejected, is_refusal, paradex_error
from tests.conftest import load_json

ALL_CODES = load_json("error-codes.json")
DOCUMENTED_CODES = ALL_CODES["openapi_enum"] + ALL_CODES["seen_in_docs_only"]  # type: ignore[index]


# handle_errors needs no connection: one instance serves every case.
EXCHANGE = paradex()


def raise_for(status: int, body: dict | str, url: str = "https://api.testnet.paradex.trade/v1/account") -> None:
    text = body if isinstance(body, str) else json.dumps(body)
    response = body if isinstance(body, dict) else None
    EXCHANGE.handle_errors(status, "", url, "POST", {}, text, response, {}, None)


@pytest.mark.parametrize("code", DOCUMENTED_CODES)
def test_every_documented_code_maps_to_a_ccxt_exception_naming_it(code):
    with pytest.raises(BaseError) as raised:
        raise_for(400, {"error": code, "message": "details from paradex"})
    assert type(raised.value) is EXACT[code]
    assert code in str(raised.value)
    assert "details from paradex" in str(raised.value)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("ORDER_ID_NOT_FOUND", OrderNotFound),
        ("CLIENT_ORDER_ID_NOT_FOUND", OrderNotFound),
        ("ORDER_IS_CLOSED", OrderNotFound),
        ("INVALID_ORDER_SIZE", InvalidOrder),
        ("INVALID_PRICE_PRECISION", InvalidOrder),
        ("BATCH_SIZE_OUT_OF_RANGE", InvalidOrder),
        ("DUPLICATED_CLIENT_ID", DuplicateOrderId),
        ("VALIDATION_ERROR", BadRequest),
        ("MARKET_NOT_FOUND", BadSymbol),
        ("INVALID_SYMBOL", BadSymbol),
        ("NOT_ENOUGH_MARGIN", InsufficientFunds),
        ("INVALID_TOKEN", AuthenticationError),
        ("INVALID_STARKNET_SIGNATURE", AuthenticationError),
        ("INVALID_ORDER_SIGNATURE", AuthenticationError),
        ("NOT_ONBOARDED", AccountNotEnabled),
        ("GEO_IP_BLOCK", PermissionDenied),
        ("IP_NOT_ALLOWED", PermissionDenied),
        ("SYSTEM_STATUS_CANCEL_ONLY", OnMaintenance),
        ("SYSTEM_STATUS_POST_ONLY", OnMaintenance),
        ("SERVICE_UNAVAILABLE", ExchangeNotAvailable),
    ],
)
def test_code_maps_to_its_specific_class(code, expected):
    with pytest.raises(expected):
        raise_for(400, {"error": code, "message": "m"})


def test_cancel_of_a_closed_order_is_order_not_found():
    entry = load_json("sumzerotrading.json")["entries"][0]  # type: ignore[index]
    response = entry["response"]
    with pytest.raises(OrderNotFound, match="ORDER_IS_CLOSED"):
        raise_for(response["status"], response["body"])


def test_http_429_is_rate_limit_whatever_the_body_says():
    with pytest.raises(RateLimitExceeded):
        raise_for(429, {"error": "VALIDATION_ERROR", "message": "too many requests"})


def test_http_429_with_an_html_body_is_rate_limit():
    with pytest.raises(RateLimitExceeded):
        raise_for(429, "<html>slow down</html>")


def test_unknown_code_is_an_exchange_error_naming_it():
    with pytest.raises(ExchangeError, match="SOMETHING_NEW"):
        raise_for(400, {"error": "SOMETHING_NEW", "message": "m"})


def test_http_401_without_a_code_rejects_the_token():
    with pytest.raises(TokenRejected):
        raise_for(401, "missing or malformed jwt")


def test_invalid_token_code_rejects_the_token():
    with pytest.raises(TokenRejected):
        raise_for(401, {"error": "INVALID_TOKEN", "message": "token expired"})


def test_success_bodies_raise_nothing():
    assert raise_for(200, {"results": []}) is None


def test_exceptions_carry_paradex_error_and_message():
    with pytest.raises(InvalidOrder) as raised:
        raise_for(400, {"error": "INVALID_ORDER_SIZE", "message": "size below minimum"})
    assert paradex_error(raised.value) == {"error": "INVALID_ORDER_SIZE", "message": "size below minimum"}


def test_an_error_without_a_paradex_body_reports_its_text():
    assert paradex_error(ValueError("boom")) == {"error": None, "message": "boom"}


def test_not_found_on_an_order_route_is_an_unknown_order():
    # Paradex's API reference serves only NEW and OPEN orders on GET /orders/{id}: its 404 NOT_FOUND is an order.
    with pytest.raises(OrderNotFound, match="NOT_FOUND"):
        raise_for(404, {"error": "NOT_FOUND", "message": "order not found"},
                  "https://api.testnet.paradex.trade/v1/orders/1763787600100201709190000041")


def test_not_found_elsewhere_is_a_bad_request():
    with pytest.raises(BadRequest, match="NOT_FOUND"):
        raise_for(404, {"error": "NOT_FOUND", "message": "not found"}, "https://api.testnet.paradex.trade/v1/bbo/X")


def test_a_market_not_open_is_closed_not_an_unknown_symbol():
    with pytest.raises(MarketClosed, match="MARKET_NOT_OPEN"):
        raise_for(400, {"error": "MARKET_NOT_OPEN", "message": "market is not open"})


@pytest.mark.parametrize(("status", "body", "refusal"), [
    (400, {"error": "INVALID_ORDER_SIZE", "message": "bad size"}, True),
    (429, {"message": "slow down"}, True),
    (500, {"error": "INTERNAL_ERROR", "message": "boom"}, False),
    (503, {"error": "SERVICE_UNAVAILABLE", "message": "later"}, False),
])
def test_only_a_coded_answer_below_500_or_a_throttle_is_a_refusal(status, body, refusal):
    with pytest.raises(BaseError) as raised:
        raise_for(status, body)
    assert is_refusal(raised.value) is refusal


def test_an_error_without_any_paradex_answer_is_not_a_refusal():
    assert is_refusal(RequestTimeout("paradex POST timed out")) is False
    assert is_refusal(BadResponse("paradex malformed response")) is False
