"""Credential modes: Ethereum key, Paradex L2 key, subkey; and the errors for missing or inconsistent credentials."""
from __future__ import annotations

import pytest
from ccxt.base.errors import AuthenticationError, ExchangeError

from paradex_ccxt import signing
from paradex_ccxt.account import check_credentials, resolve_credentials
from tests.signing_vectors import ACCOUNT_A, ACCOUNT_B, ETH_ADDRESS, ETH_PRIVATE_KEY, TESTNET_CONFIG, VECTORS, hexint

PROD_DERIVATION = next(v for v in VECTORS["key_derivation"] if v["id"] == "derive_prod")
SUBKEY_AUTH = next(v for v in VECTORS["auth"] if v["id"] == "auth_subkey_B_for_account_A_testnet")
# A second, unrelated Ethereum key (obviously fake).
OTHER_ETH_PRIVATE_KEY = "0x" + "22" * 32
SECRETS = (ETH_PRIVATE_KEY[2:].lower(), ACCOUNT_A["l2_private_key"][2:], ACCOUNT_B["l2_private_key"][2:],
           OTHER_ETH_PRIVATE_KEY[2:])


def resolve(private_key=None, wallet_address=None, paradex_account=None, system_config=TESTNET_CONFIG):
    return resolve_credentials(private_key=private_key, wallet_address=wallet_address,
                               paradex_account=paradex_account, system_config=system_config)


def rejected(error_type=AuthenticationError, **credentials) -> str:
    with pytest.raises(error_type) as caught:
        resolve(**credentials)
    message = str(caught.value)
    assert not any(secret in message.lower() for secret in SECRETS), "key material in an error message"
    return message


# -- mode: Ethereum key ----------------------------------------------------------------------------------------------

def test_ethereum_key_derives_the_testnet_account():
    credentials = resolve(ETH_PRIVATE_KEY, ETH_ADDRESS)
    assert hex(credentials.address) == ACCOUNT_A["l2_address"]
    assert hex(credentials.signer.public_key) == ACCOUNT_A["l2_public_key"]
    assert credentials.eth_address == ETH_ADDRESS
    assert credentials.is_subkey is False


def test_ethereum_key_accepts_a_lowercase_wallet_address():
    assert hex(resolve(ETH_PRIVATE_KEY, ETH_ADDRESS.lower()).address) == ACCOUNT_A["l2_address"]


def test_ethereum_key_derives_another_l2_key_with_the_prod_l1_chain_id():
    credentials = resolve(ETH_PRIVATE_KEY, ETH_ADDRESS, system_config=dict(TESTNET_CONFIG, l1_chain_id="1"))
    assert hex(credentials.signer.public_key) == PROD_DERIVATION["paradex_py"]["l2_public_key"]


def test_ethereum_key_signs_onboarding_that_verifies_against_the_vector_hash():
    credentials = resolve(ETH_PRIVATE_KEY, ETH_ADDRESS)
    vector = next(v for v in VECTORS["onboarding"] if v["id"] == "onboarding_A_testnet")
    msg_hash = signing.onboarding_hash(TESTNET_CONFIG["starknet_chain_id"], credentials.address)
    assert hex(msg_hash) == vector["expected"]["message_hash"]
    assert signing.verify(credentials.signer.public_key, msg_hash, *credentials.signer.sign(msg_hash))


def test_wallet_address_of_another_ethereum_key_is_rejected():
    assert "walletAddress is not the Ethereum address of privateKey" in rejected(
        private_key=OTHER_ETH_PRIVATE_KEY, wallet_address=ETH_ADDRESS)


def test_malformed_ethereum_private_key_is_rejected():
    assert "Ethereum private key" in rejected(private_key="0x1234", wallet_address=ETH_ADDRESS)


def test_ethereum_key_needs_the_l1_chain_id_from_system_config():
    config = {k: v for k, v in TESTNET_CONFIG.items() if k != "l1_chain_id"}
    assert "l1_chain_id" in rejected(ExchangeError, private_key=ETH_PRIVATE_KEY, wallet_address=ETH_ADDRESS,
                                     system_config=config)


# -- mode: Paradex L2 key --------------------------------------------------------------------------------------------

def test_paradex_account_option_in_ccxt_form_gives_the_main_account():
    credentials = resolve(paradex_account={"privateKey": ACCOUNT_B["l2_private_key"],
                                           "publicKey": ACCOUNT_B["l2_public_key"],
                                           "address": ACCOUNT_B["l2_address"]})
    assert hex(credentials.address) == ACCOUNT_B["l2_address"]
    assert hex(credentials.signer.public_key) == ACCOUNT_B["l2_public_key"]
    assert credentials.is_subkey is False
    assert credentials.eth_address is None


def test_l2_private_key_with_a_starknet_wallet_address_gives_the_main_account():
    credentials = resolve(ACCOUNT_B["l2_private_key"], ACCOUNT_B["l2_address"])
    assert hex(credentials.address) == ACCOUNT_B["l2_address"]
    assert hex(credentials.signer.public_key) == ACCOUNT_B["l2_public_key"]
    assert credentials.is_subkey is False


def test_paradex_account_option_wins_over_private_key_and_keeps_the_ethereum_wallet_address():
    credentials = resolve(OTHER_ETH_PRIVATE_KEY, ETH_ADDRESS,
                          paradex_account={"privateKey": ACCOUNT_A["l2_private_key"],
                                           "address": ACCOUNT_A["l2_address"]})
    assert hex(credentials.signer.public_key) == ACCOUNT_A["l2_public_key"]
    # Kept for the PARADEX-ETHEREUM-ACCOUNT onboarding header.
    assert credentials.eth_address == ETH_ADDRESS


def test_paradex_account_public_key_of_another_key_is_rejected():
    assert "['publicKey'] is not the public key" in rejected(paradex_account={
        "privateKey": ACCOUNT_B["l2_private_key"], "publicKey": ACCOUNT_A["l2_public_key"],
        "address": ACCOUNT_B["l2_address"]})


# -- mode: subkey ----------------------------------------------------------------------------------------------------

def test_subkey_flag_signs_for_the_main_account_address():
    credentials = resolve(paradex_account={"privateKey": ACCOUNT_B["l2_private_key"],
                                           "address": ACCOUNT_A["l2_address"], "subkey": True})
    assert hex(credentials.address) == ACCOUNT_A["l2_address"]
    assert hex(credentials.signer.public_key) == ACCOUNT_B["l2_public_key"]
    assert credentials.is_subkey is True


def test_subkey_auth_hash_matches_the_sdk_subkey_vector_and_verifies_with_the_subkey():
    credentials = resolve(paradex_account={"privateKey": ACCOUNT_B["l2_private_key"],
                                           "address": ACCOUNT_A["l2_address"], "subkey": True})
    msg_hash = signing.auth_hash(SUBKEY_AUTH["chain"], credentials.address, SUBKEY_AUTH["timestamp_s"],
                                 SUBKEY_AUTH["expiration_s"])
    assert hex(msg_hash) == SUBKEY_AUTH["expected"]["message_hash"]
    assert signing.verify(hexint(SUBKEY_AUTH["signer_public_key"]), msg_hash, *credentials.signer.sign(msg_hash))


def test_key_that_does_not_derive_the_address_is_treated_as_a_subkey():
    credentials = resolve(paradex_account={"privateKey": ACCOUNT_B["l2_private_key"],
                                           "address": ACCOUNT_A["l2_address"]})
    assert credentials.is_subkey is True
    assert hex(credentials.address) == ACCOUNT_A["l2_address"]


def test_l2_private_key_with_another_accounts_wallet_address_is_treated_as_a_subkey():
    credentials = resolve(ACCOUNT_B["l2_private_key"], ACCOUNT_A["l2_address"])
    assert credentials.is_subkey is True


# -- missing or malformed credentials --------------------------------------------------------------------------------

def test_no_credentials_asks_for_private_key():
    assert rejected().startswith("paradex requires privateKey")


def test_private_key_without_wallet_address_asks_for_wallet_address():
    assert rejected(private_key=ETH_PRIVATE_KEY).startswith("paradex requires walletAddress")


def test_wallet_address_without_private_key_asks_for_private_key():
    assert rejected(wallet_address=ETH_ADDRESS).startswith("paradex requires privateKey")


def test_paradex_account_without_private_key_names_the_field():
    assert "options['paradexAccount']['privateKey']" in rejected(
        paradex_account={"address": ACCOUNT_A["l2_address"]})


def test_paradex_account_without_address_names_the_field():
    assert "options['paradexAccount']['address']" in rejected(
        paradex_account={"privateKey": ACCOUNT_B["l2_private_key"]})


def test_paradex_account_that_is_not_a_dict_is_rejected():
    assert "must be a dict" in rejected(paradex_account=ACCOUNT_B["l2_private_key"])


@pytest.mark.parametrize("key", [ACCOUNT_B["l2_private_key"][2:], "0xnothex", "12345"])
def test_l2_private_key_that_is_not_0x_hex_is_rejected(key):
    assert "not a 0x-hex Stark private key" in rejected(paradex_account={"privateKey": key,
                                                                         "address": ACCOUNT_B["l2_address"]})


def test_l2_private_key_outside_the_curve_order_is_rejected():
    assert "out of the Stark private key range" in rejected(paradex_account={"privateKey": hex(signing.EC_ORDER),
                                                                             "address": ACCOUNT_B["l2_address"]})


def test_ethereum_key_in_the_l2_key_field_is_named_as_one():
    # 0x22...22 is above the Stark curve order, as most Ethereum keys are.
    message = rejected(paradex_account={"privateKey": OTHER_ETH_PRIVATE_KEY, "address": ACCOUNT_B["l2_address"]})
    assert "may be an Ethereum private key" in message
    assert "privateKey with walletAddress = its Ethereum address" in message


def test_ethereum_key_as_private_key_with_a_paradex_address_is_named_as_one():
    message = rejected(private_key=OTHER_ETH_PRIVATE_KEY, wallet_address=ACCOUNT_A["l2_address"])
    assert "privateKey is out of the Stark private key range" in message


# -- checks that need no system config -------------------------------------------------------------------------------

def checked(**credentials) -> str:
    fields = {"private_key": None, "wallet_address": None, "paradex_account": None} | credentials
    with pytest.raises(AuthenticationError) as caught:
        check_credentials(**fields)
    return str(caught.value)


def test_check_without_config_asks_for_private_key():
    assert checked().startswith("paradex requires privateKey")


def test_check_without_config_finds_an_ethereum_key_of_another_address():
    assert "walletAddress is not the Ethereum address" in checked(private_key=OTHER_ETH_PRIVATE_KEY,
                                                                  wallet_address=ETH_ADDRESS)


def test_check_without_config_finds_a_paradex_account_without_address():
    assert "options['paradexAccount']['address']" in checked(
        paradex_account={"privateKey": ACCOUNT_B["l2_private_key"]})


@pytest.mark.parametrize("credentials", [
    {"private_key": ETH_PRIVATE_KEY, "wallet_address": ETH_ADDRESS},
    {"private_key": ACCOUNT_B["l2_private_key"], "wallet_address": ACCOUNT_B["l2_address"]},
    {"paradex_account": {"privateKey": ACCOUNT_B["l2_private_key"], "address": ACCOUNT_A["l2_address"]}},
])
def test_check_without_config_accepts_every_well_formed_mode(credentials):
    fields = {"private_key": None, "wallet_address": None, "paradex_account": None} | credentials
    check_credentials(**fields)


def test_key_of_another_account_knows_its_own_address():
    credentials = resolve(paradex_account={"privateKey": ACCOUNT_B["l2_private_key"],
                                           "address": ACCOUNT_A["l2_address"]})
    assert hex(credentials.own_address) == ACCOUNT_B["l2_address"]


def test_wallet_address_that_is_no_address_is_rejected():
    assert "walletAddress is neither" in rejected(private_key=ACCOUNT_B["l2_private_key"], wallet_address="alice")


def test_credentials_repr_hides_the_private_key():
    text = repr(resolve(ETH_PRIVATE_KEY, ETH_ADDRESS))
    assert ACCOUNT_A["l2_address"] in text
    assert ACCOUNT_A["l2_private_key"][2:] not in text
    assert str(hexint(ACCOUNT_A["l2_private_key"])) not in text
    assert ETH_PRIVATE_KEY[2:] not in text
