"""The sandbox's checks of onboarding, login, orders and bearer tokens, fed with real SDK and ccxt requests."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from paradex_ccxt.sandbox.auth import (
    TokenIssuer,
    account_address,
    signing_keys,
    verify_login,
    verify_onboarding,
    verify_order,
)
from paradex_ccxt.sandbox.ledger import IdGen, Ledger, SandboxError
from tests.clocks import ManualClock

VECTORS = json.loads((Path(__file__).parent / "data" / "paradex_signing.json").read_text())
CONFIG = VECTORS["inputs"]["system_config_testnet"]
CHAIN = CONFIG["starknet_chain_id"]
A = VECTORS["accounts"]["A_testnet"]
B = VECTORS["accounts"]["B_fixed"]


def vector(group: str, vector_id: str) -> dict:
    return next(v for v in VECTORS[group] if v["id"] == vector_id)


@pytest.fixture
def ledger() -> Ledger:
    def clock() -> int:
        return 1_700_000_000_000

    return Ledger(clock, IdGen(clock))


def onboarded(ledger: Ledger, account: dict = A) -> Ledger:
    ledger.onboard(account["l2_address"], account["l2_public_key"], VECTORS["inputs"]["eth_address"])
    return ledger


def with_subkey_b(ledger: Ledger) -> Ledger:
    onboarded(ledger).add_subkey(A["l2_address"], B["l2_public_key"], "bot")
    return ledger


def login(ledger: Ledger, headers: dict, path_key: str | None = None, now: float = 1_700_000_005):
    return verify_login(headers, path_key, chain_id=CHAIN, ledger=ledger, now=now, max_clock_skew=60)


def refused(call) -> SandboxError:
    with pytest.raises(SandboxError) as info:
        call()
    return info.value


# -- onboarding ------------------------------------------------------------------------------------------------------

def test_account_address_is_derived_from_the_public_key_and_class_hashes():
    assert account_address(CONFIG, int(A["l2_public_key"], 16)) == int(A["l2_address"], 16)


def onboard_check(headers: dict, public_key: str):
    return verify_onboarding(headers, public_key, chain_id=CHAIN, config=CONFIG)


def test_sdk_onboarding_request_is_accepted():
    request = vector("onboarding", "onboarding_A_testnet")["request"]
    address, public_key, eth = onboard_check(request["headers"], request["body"]["public_key"])
    assert (address, public_key) == (int(A["l2_address"], 16), int(A["l2_public_key"], 16))
    assert eth == VECTORS["inputs"]["eth_address"]


def test_onboarding_with_hex_signature_is_accepted():
    item = vector("onboarding", "onboarding_A_testnet")
    headers = dict(item["request"]["headers"], **{"PARADEX-STARKNET-SIGNATURE": item["ccxt"]["header_or_field_value"]})
    onboard_check(headers, item["request"]["body"]["public_key"])


def test_onboarding_for_another_accounts_address_is_refused():
    request = vector("onboarding", "onboarding_A_testnet")["request"]
    headers = dict(request["headers"], **{"PARADEX-STARKNET-ACCOUNT": B["l2_address"]})
    error = refused(lambda: onboard_check(headers, request["body"]["public_key"]))
    assert (error.status, error.code) == (400, "INVALID_STARKNET_ADDRESS")


def test_onboarding_signed_for_another_chain_is_refused():
    request = vector("onboarding", "onboarding_B_prodchain")["request"]
    error = refused(lambda: onboard_check(request["headers"], request["body"]["public_key"]))
    assert (error.status, error.code) == (400, "INVALID_STARKNET_SIGNATURE")


def test_onboarding_needs_the_ethereum_account_header():
    request = vector("onboarding", "onboarding_A_testnet")["request"]
    headers = {k: v for k, v in request["headers"].items() if k != "PARADEX-ETHEREUM-ACCOUNT"}
    error = refused(lambda: onboard_check(headers, request["body"]["public_key"]))
    assert error.code == "VALIDATION_ERROR"


# -- login -----------------------------------------------------------------------------------------------------------

def test_sdk_login_with_24h_expiration_is_accepted(ledger):
    account, signer = login(onboarded(ledger), vector("auth", "auth_A_testnet_24h")["request"]["headers"])
    assert int(account.address, 16) == int(A["l2_address"], 16)
    assert signer == int(A["l2_public_key"], 16)


def test_ccxt_login_with_hex_signature_is_accepted(ledger):
    item = vector("auth", "auth_A_testnet_180s")
    headers = dict(item["request"]["headers"], **{"PARADEX-STARKNET-SIGNATURE": item["ccxt"]["header_or_field_value"]})
    login(onboarded(ledger), headers)


def test_login_by_public_key_path_with_the_main_key(ledger):
    headers = vector("auth", "auth_A_testnet_180s")["request"]["headers"]
    _, signer = login(onboarded(ledger), headers, path_key=A["l2_public_key"])
    assert signer == int(A["l2_public_key"], 16)


def test_login_of_an_unknown_account_is_not_onboarded(ledger):
    error = refused(lambda: login(ledger, vector("auth", "auth_A_testnet_24h")["request"]["headers"]))
    assert (error.status, error.code) == (400, "NOT_ONBOARDED")


@pytest.mark.parametrize("now", [1_700_000_000 - 61, 1_700_000_000 + 61])
def test_login_timestamp_far_from_server_time_is_refused(ledger, now):
    headers = vector("auth", "auth_A_testnet_24h")["request"]["headers"]
    error = refused(lambda: login(onboarded(ledger), headers, now=now))
    assert (error.status, error.code) == (400, "INVALID_TIMESTAMP")


def test_expired_login_signature_is_refused(ledger):
    headers = vector("auth", "auth_A_testnet_180s")["request"]["headers"]
    error = refused(lambda: verify_login(headers, None, chain_id=CHAIN, ledger=onboarded(ledger),
                                         now=1_700_000_181, max_clock_skew=3600))
    assert error.code == "INVALID_TIMESTAMP"


def test_login_signature_over_other_values_fails_verification(ledger):
    headers = dict(vector("auth", "auth_A_testnet_24h")["request"]["headers"], **{"PARADEX-TIMESTAMP": "1700000001"})
    error = refused(lambda: login(onboarded(ledger), headers))
    assert (error.status, error.code) == (401, "STARKNET_SIGNATURE_VERIFICATION_FAILED")


@pytest.mark.parametrize("signature", ["", "[1,2]", "0x12,0x34", '["0x1"]', "not a signature"])
def test_unreadable_login_signature_is_invalid(ledger, signature):
    headers = dict(vector("auth", "auth_A_testnet_24h")["request"]["headers"],
                   **{"PARADEX-STARKNET-SIGNATURE": signature})
    error = refused(lambda: login(onboarded(ledger), headers))
    assert error.code in ("INVALID_STARKNET_SIGNATURE", "VALIDATION_ERROR")
    assert error.status == 400


def test_subkey_login_needs_the_subkey_registered(ledger):
    item = vector("auth", "auth_subkey_B_for_account_A_testnet")
    error = refused(lambda: login(onboarded(ledger), item["request"]["headers"], path_key=B["l2_public_key"]))
    assert (error.status, error.code) == (401, "INVALID_SUBKEY")


def test_registered_subkey_logs_in_to_the_main_account(ledger):
    item = vector("auth", "auth_subkey_B_for_account_A_testnet")
    account, signer = login(with_subkey_b(ledger), item["request"]["headers"], path_key=B["l2_public_key"])
    assert int(account.address, 16) == int(A["l2_address"], 16) and signer == int(B["l2_public_key"], 16)


def test_subkey_signature_without_its_public_key_in_the_path_is_checked_against_the_main_key(ledger):
    item = vector("auth", "auth_subkey_B_for_account_A_testnet")
    error = refused(lambda: login(with_subkey_b(ledger), item["request"]["headers"]))
    assert error.code == "STARKNET_SIGNATURE_VERIFICATION_FAILED"


def test_revoked_subkey_cannot_log_in(ledger):
    item = vector("auth", "auth_subkey_B_for_account_A_testnet")
    with_subkey_b(ledger).revoke_subkey(A["l2_address"], B["l2_public_key"])
    error = refused(lambda: login(ledger, item["request"]["headers"], path_key=B["l2_public_key"]))
    assert error.code == "INVALID_SUBKEY"


# -- JWTs ------------------------------------------------------------------------------------------------------------

def test_issued_token_carries_account_key_and_expiry():
    clock = ManualClock(1_700_000_000.5)
    issuer = TokenIssuer(lifetime=300, clock=clock)
    claims = issuer.verify("Bearer " + issuer.issue(0xABC, 0xDEF, "interactive"))
    assert (claims.account, claims.public_key, claims.token_usage) == (0xABC, 0xDEF, "interactive")
    assert claims.expires_at == 1_700_000_301


def test_token_expires_after_its_lifetime():
    clock = ManualClock(1_700_000_000.0)
    issuer = TokenIssuer(lifetime=300, clock=clock)
    header = "Bearer " + issuer.issue(1, 2)
    clock.now += 299.9
    issuer.verify(header)
    clock.now += 0.1
    error = refused(lambda: issuer.verify(header))
    assert (error.status, error.code) == (401, "INVALID_TOKEN")


def test_expire_all_kills_issued_tokens_but_not_new_ones():
    issuer = TokenIssuer()
    old = "Bearer " + issuer.issue(1, 2)
    issuer.expire_all()
    assert refused(lambda: issuer.verify(old)).code == "INVALID_TOKEN"
    issuer.verify("Bearer " + issuer.issue(1, 2))


@pytest.mark.parametrize("header", [None, "", "Bearer", "Bearer ", "Basic abc", "token-without-scheme"])
def test_missing_or_malformed_bearer_is_unauthorized(header):
    error = refused(lambda: TokenIssuer().verify(header))
    assert (error.status, error.code, error.message) == (401, "UNAUTHORIZED_ERROR", "missing or malformed jwt")


def test_token_from_another_sandbox_is_invalid():
    foreign = TokenIssuer().issue(1, 2)
    error = refused(lambda: TokenIssuer().verify("Bearer " + foreign))
    assert (error.status, error.code) == (401, "INVALID_TOKEN")


def test_jwks_publishes_the_es256_verification_key():
    (key,) = TokenIssuer().jwks()["keys"]
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("EC", "P-256", "ES256", "sig")


# -- order signatures ------------------------------------------------------------------------------------------------

ACCOUNT_A = int(A["l2_address"], 16)
KEY_A = int(A["l2_public_key"], 16)
KEY_B = int(B["l2_public_key"], 16)


def check_order(body: dict, order_id: str | None = None, signers=(KEY_A,)) -> int:
    return verify_order(body, chain_id=CHAIN, account=ACCOUNT_A, signers=list(signers), order_id=order_id)


@pytest.mark.parametrize("vector_id", ["order_limit_buy_btc", "order_market_sell_eth", "order_stop_limit_buy_sol",
                                       "order_stop_market_sell_btc", "order_take_profit_limit_sell_btc",
                                       "order_limit_sell_min_units", "order_limit_buy_large_8dp"])
def test_sdk_order_bodies_verify(vector_id):
    assert check_order(vector("orders", vector_id)["paradex_py_request_body"]) == KEY_A


def test_ccxt_hex_signature_of_a_market_type_without_price_verifies():
    item = vector("orders", "order_stop_market_sell_btc")
    body = dict(item["paradex_py_request_body"], signature=item["ccxt"]["header_or_field_value"])
    assert check_order(body) == KEY_A


def test_order_signature_over_another_size_is_rejected():
    body = dict(vector("orders", "order_limit_buy_btc")["paradex_py_request_body"], size="0.2")
    error = refused(lambda: check_order(body))
    assert (error.status, error.code) == (400, "INVALID_ORDER_SIGNATURE")


def test_order_signed_by_a_key_outside_the_account_is_rejected():
    body = vector("orders", "order_limit_buy_btc")["paradex_py_request_body"]
    assert refused(lambda: check_order(body, signers=(KEY_B,))).code == "INVALID_ORDER_SIGNATURE"


def test_any_active_key_of_the_account_may_sign_orders():
    body = vector("orders", "order_limit_buy_btc")["paradex_py_request_body"]
    assert check_order(body, signers=(KEY_B, KEY_A)) == KEY_A


def test_signing_keys_put_the_logged_in_key_first_and_skip_revoked_subkeys(ledger):
    account = with_subkey_b(ledger).get(A["l2_address"])
    assert signing_keys(account) == [KEY_A, KEY_B]
    assert signing_keys(account, first=KEY_B) == [KEY_B, KEY_A]
    ledger.revoke_subkey(A["l2_address"], B["l2_public_key"])
    assert signing_keys(account, first=KEY_B) == [KEY_A]


@pytest.mark.parametrize("signature", [None, "", "[1,2]", '["0x1"]'])
def test_unreadable_order_signature_is_invalid(signature):
    body = dict(vector("orders", "order_limit_buy_btc")["paradex_py_request_body"], signature=signature)
    assert refused(lambda: check_order(body)).code == "INVALID_ORDER_SIGNATURE"


@pytest.mark.parametrize(("field", "value"), [("size", "0.123456789"), ("size", 0.1), ("price", "abc"),
                                              ("side", "LONG"), ("type", "ICEBERG"), ("market", ""),
                                              ("signature_timestamp", "soon"), ("price", None)])
def test_malformed_order_fields_are_validation_errors(field, value):
    body = dict(vector("orders", "order_limit_buy_btc")["paradex_py_request_body"], **{field: value})
    error = refused(lambda: check_order(body))
    assert (error.status, error.code) == (400, "VALIDATION_ERROR")


def test_modify_signature_covers_the_order_id():
    item = vector("modify_orders", "modify_limit_buy_btc")
    body = item["request"]["body"]
    assert check_order(body, order_id=item["order_input"]["id"]) == KEY_A
    assert refused(lambda: check_order(body, order_id="1681462103821101699438490001")).code == "INVALID_ORDER_SIGNATURE"


def test_ccxt_modify_signature_verifies():
    item = vector("modify_orders", "modify_limit_buy_btc")
    body = dict(item["request"]["body"], signature=item["ccxt"]["header_or_field_value"])
    assert check_order(body, order_id=item["order_input"]["id"]) == KEY_A


def test_token_issued_by_a_clock_ahead_of_real_time_is_valid():
    issuer = TokenIssuer(lifetime=300, clock=ManualClock(time.time() + 3600))
    issuer.verify("Bearer " + issuer.issue(1, 2))
