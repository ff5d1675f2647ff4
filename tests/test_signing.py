"""Paradex typed-data hashing, Stark signatures, key derivation and signature timestamps against the vectors made by
the official SDK (paradex-py) and ccxt (tests/data/paradex_signing.json)."""
from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from paradex_ccxt.signing import SigningError
from starknet_py.utils.typed_data import TypedData

from paradex_ccxt import signing
from tests.signing_vectors import (
    ACCOUNT_A, ACCOUNT_B, ALL, PRIVATE_KEYS, STRUCTS, TESTNET_CONFIG, VECTORS, hexint, our_hash, params,
)

ORDERS = VECTORS["orders"]
EXACT_ORDERS = [v for v in ORDERS if v["id"] != "order_limit_buy_over_8dp"]
OVER_8DP = next(v for v in ORDERS if v["id"] == "order_limit_buy_over_8dp")
CHAIN = TESTNET_CONFIG["starknet_chain_id"]
ADDRESS_A = hexint(ACCOUNT_A["l2_address"])


def message_felts(vector: dict) -> tuple[int, ...]:
    data = vector["typed_data"]
    struct = STRUCTS[data["primaryType"]]
    return tuple(signing.felt(data["message"][name]) for name in struct.fields)


# -- typed data, intermediate by intermediate -------------------------------------------------------------------------

def test_domain_type_hash_matches_vectors():
    assert {v["intermediates"]["domain_type_hash"] for v in ALL} == {hex(signing.DOMAIN.type_hash)}


@pytest.mark.parametrize("vector", params(ALL))
def test_primary_type_hash_matches_vector(vector):
    struct = STRUCTS[vector["typed_data"]["primaryType"]]
    assert hex(struct.type_hash) == vector["intermediates"]["primary_type_hash"]


@pytest.mark.parametrize("vector", params(ALL))
def test_domain_separator_matches_vector(vector):
    assert hex(signing.domain_separator(vector["chain"])) == vector["intermediates"]["domain_separator"]


@pytest.mark.parametrize("vector", params(ALL))
def test_felt_encoding_of_typed_data_message_matches_vector(vector):
    assert [hex(f) for f in message_felts(vector)] == vector["intermediates"]["message_felts"]


@pytest.mark.parametrize("vector", params(ORDERS + VECTORS["modify_orders"]))
def test_order_felts_from_order_fields_match_vector(vector):
    message = vector["typed_data"]["message"]
    felts = signing.order_felts(int(message["timestamp"]), vector["order_input"]["market"],
                                vector["order_input"]["side"], vector["order_input"]["type"], int(message["size"]),
                                int(message["price"]))
    assert [hex(f) for f in felts] == vector["intermediates"]["message_felts"][:6]


@pytest.mark.parametrize("vector", params(ALL))
def test_struct_hash_matches_vector(vector):
    struct = STRUCTS[vector["typed_data"]["primaryType"]]
    assert hex(signing.struct_hash(struct, message_felts(vector))) == vector["intermediates"]["message_struct_hash"]


@pytest.mark.parametrize("vector", params(ALL))
def test_message_hash_matches_vector(vector):
    assert hex(our_hash(vector)) == vector["expected"]["message_hash"]
    assert vector["intermediates"]["message_hash"] == vector["expected"]["message_hash"]


@pytest.mark.parametrize("vector", params(ALL))
def test_message_hash_equals_starknet_py_typed_data(vector):
    reference = TypedData.from_dict(vector["typed_data"]).message_hash(hexint(vector["account_address"]))
    assert our_hash(vector) == reference


def test_cached_hash_follows_the_chain_id():
    testnet, prod = (next(v for v in VECTORS["onboarding"] if v["id"] == i)
                     for i in ("onboarding_B_testnet", "onboarding_B_prodchain"))
    account = hexint(testnet["account_address"])
    assert hex(signing.onboarding_hash(testnet["chain"], account)) == testnet["expected"]["message_hash"]
    assert hex(signing.onboarding_hash(prod["chain"], account)) == prod["expected"]["message_hash"]


# -- order values ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("vector", params(EXACT_ORDERS))
def test_chain_units_of_order_input_equal_signed_chain_values(vector):
    order, chain_values = vector["order_input"], vector["chain_values"]
    assert signing.chain_units(order["size"]) == int(chain_values["size"])
    if order["price"] is None:
        # Market-flavoured types carry no price: the caller signs 0.
        assert chain_values["price"] == "0"
    else:
        assert signing.chain_units(order["price"]) == int(chain_values["price"])


def test_more_than_8_decimals_in_size_raises_invalid_order():
    with pytest.raises(SigningError, match="0.123456789"):
        signing.chain_units(OVER_8DP["order_input"]["size"])


def test_more_than_8_decimals_in_price_raises_invalid_order():
    with pytest.raises(SigningError, match="more than 8 decimal places"):
        signing.chain_units(OVER_8DP["order_input"]["price"])


@pytest.mark.parametrize("value, units", [
    ("0.5", 50_000_000),
    ("1e-8", 1),
    ("0.00000001", 1),
    ("65432.1", 6_543_210_000_000),
    ("98765.43210987", 9_876_543_210_987),
    ("1.000000000", 100_000_000),
    ("1E+3", 100_000_000_000),
    ("0", 0),
    ("0e-999999999", 0),
    (3, 300_000_000),
    (Decimal("12.30"), 1_230_000_000),
    ("123456789012345678901234567890.12345678", 12345678901234567890123456789012345678),
])
def test_chain_units_scales_exactly(value, units):
    assert signing.chain_units(value) == units


@pytest.mark.parametrize("value", ["0.000000001", "1e-9", "65432.123456789", "1e-999999999"])
def test_chain_units_rejects_more_than_8_decimal_places(value):
    with pytest.raises(SigningError, match="more than 8 decimal places"):
        signing.chain_units(value)


@pytest.mark.parametrize("value", ["-1", "-0.5", -2, Decimal("-0.00000001")])
def test_chain_units_rejects_negative_values(value):
    with pytest.raises(SigningError, match="negative"):
        signing.chain_units(value)


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", Decimal("NaN"), Decimal("Infinity"), "", "abc",
                                   "1_000", " 1", "0x10", "\u0661"])
def test_chain_units_rejects_non_finite_or_malformed_values(value):
    with pytest.raises(SigningError, match="not a finite decimal number"):
        signing.chain_units(value)


@pytest.mark.parametrize("value", ["1e999999999", "1e68", 10**70])
def test_chain_units_rejects_values_too_large_for_a_felt(value):
    with pytest.raises(SigningError, match="too large"):
        signing.chain_units(value)


@pytest.mark.parametrize("value", [0.5, True])
def test_chain_units_rejects_floats_and_bools(value):
    with pytest.raises(SigningError, match="must be a decimal string"):
        signing.chain_units(value)


# -- felt rules (PARADEX.md §4) --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, encoded", [
    ("1", 1),
    ("POST", 0x504F5354),
    ("/v1/auth", 0x2F76312F61757468),
    ("", 0),
    ("BTC-USD-PERP", 0x4254432D5553442D50455250),
    ("LIMIT", 0x4C494D4954),
    ("0x1f", 31),
    ("1681462103821101699438490000", 1681462103821101699438490000),
    (42, 42),
])
def test_felt_encodes_like_snip12_revision_0(value, encoded):
    assert signing.felt(value) == encoded


@pytest.mark.parametrize("value", ["12345678.9", "0.5", "-1", "1e-8", "+3", ".5"])
def test_felt_refuses_number_like_strings_that_would_become_short_strings(value):
    with pytest.raises(ValueError, match="looks like a number"):
        signing.felt(value)


@pytest.mark.parametrize("value", [-1, signing.FIELD_PRIME, "0x" + "f" * 64, "A" * 32, "prix€", True, 1.5])
def test_felt_rejects_values_outside_the_field_or_short_string_rules(value):
    with pytest.raises(ValueError):
        signing.felt(value)


# -- order hash arguments --------------------------------------------------------------------------------------------

def order(**changes) -> int:
    fields = dict(chain_id=CHAIN, account=ADDRESS_A, timestamp_ms=1_700_000_000_000, market="BTC-USD-PERP",
                  side="BUY", order_type="LIMIT", size=10_000_000, price=6_500_000_000_000)
    return signing.order_hash(**(fields | changes))


@pytest.mark.parametrize("side", ["buy", "1", "LONG"])
def test_order_hash_rejects_sides_other_than_buy_and_sell(side):
    with pytest.raises(SigningError, match="side"):
        order(side=side)


def test_order_hash_rejects_unknown_order_types():
    with pytest.raises(SigningError, match="'limit'"):
        order(order_type="limit")


@pytest.mark.parametrize("size", [-1, 0.5, "10000000", True])
def test_order_hash_rejects_sizes_that_are_not_chain_unit_integers(size):
    with pytest.raises(SigningError, match="size"):
        order(size=size)


def test_order_hash_rejects_a_market_longer_than_a_short_string():
    with pytest.raises(SigningError, match="market"):
        order(market="X" * 32)


@pytest.mark.parametrize("market", ["", None, 4254])
def test_order_hash_rejects_an_empty_or_non_string_market(market):
    with pytest.raises(SigningError, match="market"):
        order(market=market)


@pytest.mark.parametrize("timestamp", [0, -5, 1.7e12])
def test_order_hash_rejects_timestamps_that_are_not_positive_integers(timestamp):
    with pytest.raises(SigningError, match="timestamp"):
        order(timestamp_ms=timestamp)


def test_order_hash_accepts_zero_size_and_price():
    # Position-closing TP/SL market orders are signed with size 0 and price 0.
    assert order(order_type="STOP_LOSS_MARKET", size=0, price=0) != order(order_type="STOP_LOSS_MARKET", size=1,
                                                                          price=0)


@pytest.mark.parametrize("timestamp, expiration", [(0, 180), (1_700_000_000, 0), (1_700_000_000.0, 1_700_000_180)])
def test_auth_hash_rejects_timestamps_that_are_not_positive_integers(timestamp, expiration):
    with pytest.raises(ValueError, match="must be a positive integer"):
        signing.auth_hash(CHAIN, ADDRESS_A, timestamp, expiration)


def test_modify_order_hash_rejects_a_decimal_order_id():
    with pytest.raises(SigningError, match="order id"):
        signing.modify_order_hash(CHAIN, ADDRESS_A, 1_700_000_000_000, "BTC-USD-PERP", "BUY", "LIMIT", 1, 1, "12.5")


# -- signatures ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("vector", params(ALL))
def test_our_signature_verifies_with_the_signer_public_key(vector):
    public_key = hexint(vector["signer_public_key"])
    signer = signing.StarkSigner(PRIVATE_KEYS[public_key])
    msg_hash = our_hash(vector)
    r, s = signer.sign(msg_hash)
    assert signer.public_key == public_key
    assert signing.verify(public_key, msg_hash, r, s)


@pytest.mark.parametrize("vector", params(ALL))
def test_expected_sdk_signature_verifies(vector):
    expected = vector["expected"]
    assert signing.verify(hexint(vector["signer_public_key"]), hexint(expected["message_hash"]),
                          hexint(expected["r"]), hexint(expected["s"]))


@pytest.mark.parametrize("vector", params([v for v in ALL if isinstance(v.get("ccxt"), dict)]))
def test_ccxt_hex_signature_string_parses_and_verifies(vector):
    r, s = signing.parse_signature(vector["ccxt"]["header_or_field_value"])
    assert signing.verify(hexint(vector["signer_public_key"]), hexint(vector["ccxt"]["message_hash"]), r, s)


@pytest.mark.parametrize("vector", params(ALL))
def test_format_signature_writes_the_sdk_string(vector):
    expected = vector["expected"]
    assert signing.format_signature(hexint(expected["r"]), hexint(expected["s"])) == \
        vector["paradex_py"]["header_or_field_value"]


def test_signature_of_another_hash_does_not_verify():
    signer = signing.StarkSigner(hexint(ACCOUNT_B["l2_private_key"]))
    r, s = signer.sign(0x1234)
    assert not signing.verify(signer.public_key, 0x1235, r, s)


def test_signature_does_not_verify_with_another_public_key():
    signer = signing.StarkSigner(hexint(ACCOUNT_B["l2_private_key"]))
    r, s = signer.sign(0x1234)
    assert not signing.verify(hexint(ACCOUNT_A["l2_public_key"]), 0x1234, r, s)


@pytest.mark.parametrize("r, s", [(0, 1), (1, 0), (2**251, 1), (1, signing.EC_ORDER)])
def test_verify_rejects_out_of_range_signature_values(r, s):
    assert not signing.verify(hexint(ACCOUNT_B["l2_public_key"]), 0x1234, r, s)


def test_verify_rejects_a_public_key_that_is_not_on_the_curve():
    signer = signing.StarkSigner(hexint(ACCOUNT_B["l2_private_key"]))
    r, s = signer.sign(0x1234)
    off_curve = next(x for x in range(2, 100) if not signing.on_curve(x))
    assert not signing.verify(off_curve, 0x1234, r, s)


def test_every_public_key_the_signer_derives_is_on_the_curve():
    assert all(signing.on_curve(signing.StarkSigner(key).public_key) for key in (1, 2, 12345, signing.EC_ORDER - 1))


def test_signing_the_same_hash_twice_gives_the_same_signature():
    signer = signing.StarkSigner(hexint(ACCOUNT_B["l2_private_key"]))
    assert signer.sign(0xABC) == signer.sign(0xABC)


@pytest.mark.parametrize("key", [0, signing.EC_ORDER, -1, "0x1"])
def test_stark_signer_rejects_keys_outside_the_curve_order(key):
    with pytest.raises(ValueError, match="Stark private key"):
        signing.StarkSigner(key)


def test_stark_signer_repr_shows_only_the_public_key():
    signer = signing.StarkSigner(hexint(ACCOUNT_B["l2_private_key"]))
    text = repr(signer)
    assert ACCOUNT_B["l2_public_key"] in text
    assert ACCOUNT_B["l2_private_key"][2:] not in text
    assert str(hexint(ACCOUNT_B["l2_private_key"])) not in text


@pytest.mark.parametrize("r, s", [(1, 2), (2**251 - 1, signing.EC_ORDER - 1)])
def test_decimal_signature_string_round_trips(r, s):
    assert signing.parse_signature(signing.format_signature(r, s)) == (r, s)


def test_hex_signature_string_parses():
    assert signing.parse_signature('["0x1f","0xA0"]') == (31, 160)


@pytest.mark.parametrize("text", ['[1,2]', '["0x1"]', '["1","2","3"]', '["-1","2"]', '["1.5","2"]', 'abc', '',
                                  '{"r":"1","s":"2"}'])
def test_parse_signature_rejects_other_shapes(text):
    with pytest.raises(ValueError, match="JSON array of two"):
        signing.parse_signature(text)


# -- key derivation and addresses ------------------------------------------------------------------------------------

@pytest.mark.parametrize("vector", params(VECTORS["key_derivation"]))
def test_stark_key_typed_data_matches_vector(vector):
    assert signing.stark_key_typed_data(vector["l1_chain_id"]) == vector["eip712_typed_data"]


@pytest.mark.parametrize("vector", params(VECTORS["key_derivation"]))
def test_eip712_digest_and_eth_signature_match_vector(vector):
    signed = signing.stark_key_signature(vector["eth_private_key"], vector["l1_chain_id"])
    assert "0x" + signed.message_hash.hex().removeprefix("0x") == vector["eip712_digest"]
    assert (hex(signed.r), hex(signed.s), signed.v) == (vector["eth_signature"]["r"], vector["eth_signature"]["s"],
                                                        vector["eth_signature"]["v"])
    assert hex(signed.r) == vector["grind_seed_r"]


@pytest.mark.parametrize("vector", params(VECTORS["key_derivation"]))
def test_grind_key_of_the_seed_gives_the_vector_l2_key(vector):
    assert hex(signing.grind_key(hexint(vector["grind_seed_r"]))) == vector["paradex_py"]["l2_private_key"]


@pytest.mark.parametrize("vector", params(VECTORS["key_derivation"]))
def test_grind_key_agrees_with_fast_stark_crypto_derivation(vector):
    fast_stark_crypto = pytest.importorskip("fast_stark_crypto")
    private_key, _ = fast_stark_crypto.generate_keypair_from_eth_signature(vector["eth_signature"]["hex"])
    assert signing.grind_key(hexint(vector["grind_seed_r"])) == private_key


@pytest.mark.parametrize("vector", params(VECTORS["key_derivation"]))
def test_derived_l2_key_and_public_key_match_vector(vector):
    private_key = signing.derive_l2_private_key(vector["eth_private_key"], vector["l1_chain_id"])
    assert hex(private_key) == vector["paradex_py"]["l2_private_key"]
    assert hex(signing.StarkSigner(private_key).public_key) == vector["paradex_py"]["l2_public_key"]


def test_testnet_and_prod_derive_different_l2_keys():
    testnet, prod = VECTORS["key_derivation"]
    assert signing.derive_l2_private_key(testnet["eth_private_key"], "11155111") != \
        signing.derive_l2_private_key(prod["eth_private_key"], "1")


@pytest.mark.parametrize("account", [ACCOUNT_A, ACCOUNT_B], ids=["A_testnet", "B_fixed"])
def test_account_address_matches_vector(account):
    address = signing.account_address(hexint(account["l2_public_key"]), TESTNET_CONFIG["paraclear_account_proxy_hash"],
                                      TESTNET_CONFIG["paraclear_account_hash"])
    assert hex(address) == account["l2_address"]


def test_account_address_equals_starknet_py_compute_address():
    from starknet_py.hash.address import compute_address
    from starknet_py.hash.selector import get_selector_from_name

    proxy, implementation = TESTNET_CONFIG["paraclear_account_proxy_hash"], TESTNET_CONFIG["paraclear_account_hash"]
    for public_key in (1, 0x1234, hexint(ACCOUNT_B["l2_public_key"])):
        expected = compute_address(class_hash=int(proxy, 16), salt=public_key, constructor_calldata=[
            int(implementation, 16), get_selector_from_name("initialize"), 2, public_key, 0])
        assert signing.account_address(public_key, proxy, implementation) == expected


@pytest.mark.parametrize("name", ["initialize", signing.ORDER.encoding, signing.DOMAIN.encoding, ""])
def test_selector_equals_starknet_py_selector(name):
    from starknet_py.hash.selector import get_selector_from_name

    assert signing.selector(name) == get_selector_from_name(name)


# -- signature timestamps --------------------------------------------------------------------------------------------

def test_monotonic_millis_is_strictly_increasing_over_many_calls():
    clock = signing.MonotonicMillis()
    values = [clock.next() for _ in range(20_000)]
    assert all(later > earlier for earlier, later in zip(values, values[1:], strict=False))


def test_monotonic_millis_reads_the_wall_clock_in_milliseconds():
    before = time.time_ns() // 1_000_000
    value = signing.MonotonicMillis().next()
    after = time.time_ns() // 1_000_000
    assert before <= value <= after


def test_monotonic_millis_steps_one_millisecond_within_the_same_millisecond():
    clock = signing.MonotonicMillis(clock=lambda: 1_700_000_000_000)
    assert [clock.next() for _ in range(3)] == [1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_002]


def test_monotonic_millis_never_goes_back_when_the_wall_clock_does():
    readings = iter([1_700_000_000_500, 1_700_000_000_000, 1_700_000_000_900])
    clock = signing.MonotonicMillis(clock=lambda: next(readings))
    assert [clock.next() for _ in range(3)] == [1_700_000_000_500, 1_700_000_000_501, 1_700_000_000_900]


def test_monotonic_millis_gives_unique_values_across_threads():
    clock = signing.MonotonicMillis(clock=lambda: 1_700_000_000_000)
    results: list[list[int]] = [[] for _ in range(4)]

    def take(out: list[int]) -> None:
        out.extend(clock.next() for _ in range(2_000))

    threads = [threading.Thread(target=take, args=(out,)) for out in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    values = [value for out in results for value in out]
    assert len(set(values)) == len(values) == 8_000
