"""Credentials: turn what a ccxt user configured into the Paradex account address and a Stark signer.

Three credential modes. ``options['paradexAccount']``, when set, wins over ``privateKey``/``walletAddress``.

1. **Ethereum key** -- ``privateKey`` = the Ethereum private key (0x + 64 hex), ``walletAddress`` = its Ethereum
   address (0x + 40 hex, any case). The Paradex L2 key is derived from it (EIP-712 "STARK Key" signature, grinded)
   with the system config's ``l1_chain_id``, so one Ethereum key gives different L2 keys (and accounts) on testnet
   and prod; the account address comes from the system config class hashes. ``walletAddress`` must be the address
   of ``privateKey``.

2. **Paradex L2 key** (no Ethereum key needed), either way:

   - ``options['paradexAccount'] = {'privateKey': '0x…', 'address': '0x…'}`` -- the same option ccxt's built-in
     ``paradex`` uses (Paradex UI: wallet -> copy private key / address), so existing configs keep working; its
     optional ``publicKey``, if given, must be the key's public key;
   - ``privateKey`` = the L2 private key (0x-hex) and ``walletAddress`` = the Paradex account address (0x-hex longer
     than 20 bytes, which is how it is told apart from an Ethereum address).

   Onboarding sends the Ethereum address (``PARADEX-ETHEREUM-ACCOUNT``): mode 1 has it; with
   ``options['paradexAccount']``, set ``walletAddress`` to it as well (it is kept, not checked).

3. **Subkey** -- ``options['paradexAccount'] = {'privateKey': <subkey private key>, 'address': <MAIN account
   address>, 'subkey': True}``. The signed messages and ``PARADEX-STARKNET-ACCOUNT`` carry the main address, the
   signature is the subkey's and the auth path carries the subkey's public key. No onboarding.

   A key whose own account address (computed from its public key and the system config class hashes) is not the
   configured address is treated as a subkey even without ``'subkey': True``: it cannot own that account by
   derivation, so it is either a registered subkey or the key of an account deployed with older class hashes. Both
   authenticate exactly like a subkey, and neither may onboard: the account already exists.

Keys and addresses given as strings must be 0x-hex (ints are accepted too). Missing or inconsistent credentials
raise ccxt ``AuthenticationError`` naming the field; ``check_credentials`` raises those needing no system config,
so the exchange reports them before any request. A 0x-hex key above the Stark curve order in an L2-key field is
named as a probable Ethereum key. In mode 1, a system config without ``l1_chain_id`` or the class hashes raises
``ExchangeError``. No message or repr ever contains key material.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ccxt.base.errors import AuthenticationError, ExchangeError

from . import signing

_ETH_ADDRESS = re.compile(r"0x[0-9a-fA-F]{40}")
_ETH_PRIVATE_KEY = re.compile(r"(0x)?[0-9a-fA-F]{64}")
_HEX_FELT = re.compile(r"0x[0-9a-fA-F]{1,64}")

MODES_HELP = ("set privateKey + walletAddress (Ethereum key and address, or Paradex L2 key and account address), "
              "or options['paradexAccount'] = {'privateKey': ..., 'address': ...}")


ETHEREUM_KEY_HELP = ("an Ethereum private key goes in privateKey with walletAddress = its Ethereum address "
                     "(0x + 40 hex), not in an L2-key field")


@dataclass(frozen=True, repr=False)
class Credentials:
    """What signing needs: the MAIN account address (in every hash and header) and the signer (main key or subkey).

    `own_address` is the account the signer's key derives (None when the system config lacks the class hashes):
    when it differs from `address`, the key signs for another account (a subkey, or a mistyped address).
    """

    address: int
    signer: signing.StarkSigner
    eth_address: str | None
    is_subkey: bool
    own_address: int | None = None

    def __repr__(self) -> str:
        return (f"Credentials(address={hex(self.address)}, public_key={hex(self.signer.public_key)}, "
                f"eth_address={self.eth_address}, is_subkey={self.is_subkey})")


def check_credentials(*, private_key: Any, wallet_address: Any, paradex_account: Any) -> None:
    """Raise what resolve_credentials would raise for missing or malformed fields, without the system config: these
    checks need no request, so a misconfigured exchange fails before its first one."""
    if paradex_account:
        _paradex_account_fields(paradex_account)
        return
    wallet = _required_pair(private_key, wallet_address)
    if _ETH_ADDRESS.fullmatch(wallet):
        _ethereum_address(str(private_key), wallet)
    else:
        _l2_pair(private_key, wallet)


def resolve_credentials(*, private_key: Any, wallet_address: Any, paradex_account: Any,
                        system_config: dict | None) -> Credentials:
    """Credentials from ccxt's ``privateKey``/``walletAddress`` and ``options['paradexAccount']`` (module docstring)."""
    if paradex_account:
        return _from_paradex_account(paradex_account, wallet_address, system_config)
    wallet = _required_pair(private_key, wallet_address)
    if _ETH_ADDRESS.fullmatch(wallet):
        return _from_ethereum_key(str(private_key), wallet, system_config)
    signer, address = _l2_pair(private_key, wallet)
    own = _own_address(signer, system_config)
    return Credentials(address, signer, None, own is not None and own != address, own)


def _required_pair(private_key: Any, wallet_address: Any) -> str:
    if not private_key:
        raise AuthenticationError("paradex requires privateKey: " + MODES_HELP)
    if not wallet_address:
        raise AuthenticationError("paradex requires walletAddress (the Ethereum address of privateKey, or the "
                                  "Paradex account address of an L2 privateKey): " + MODES_HELP)
    return str(wallet_address)


def _l2_pair(private_key: Any, wallet: str) -> tuple[signing.StarkSigner, int]:
    address = _parse_felt(wallet, "walletAddress is neither an Ethereum address (0x + 40 hex) nor a Paradex "
                                  "account address (0x-hex)")
    return _signer(private_key, "privateKey"), address


def _paradex_account_fields(account: Any) -> tuple[signing.StarkSigner, int]:
    if not isinstance(account, dict):
        raise AuthenticationError("paradex options['paradexAccount'] must be a dict with privateKey and address")
    if not account.get("privateKey"):
        raise AuthenticationError("paradex requires options['paradexAccount']['privateKey'] (Paradex L2 private key "
                                  "or subkey private key)")
    if not account.get("address"):
        raise AuthenticationError("paradex requires options['paradexAccount']['address'] (the Paradex account "
                                  "address; for a subkey, the main account's address)")
    signer = _signer(account["privateKey"], "options['paradexAccount']['privateKey']")
    address = _parse_felt(account["address"], "options['paradexAccount']['address'] is not a 0x-hex address")
    public_key = account.get("publicKey")
    if public_key and _parse_felt(public_key, "options['paradexAccount']['publicKey'] is not 0x-hex") \
            != signer.public_key:
        raise AuthenticationError("paradex options['paradexAccount']['publicKey'] is not the public key of "
                                  "options['paradexAccount']['privateKey']")
    return signer, address


def _from_paradex_account(account: Any, wallet_address: Any, system_config: dict | None) -> Credentials:
    signer, address = _paradex_account_fields(account)
    wallet = str(wallet_address) if wallet_address else None
    eth_address = wallet if wallet is not None and _ETH_ADDRESS.fullmatch(wallet) else None
    own = _own_address(signer, system_config)
    is_subkey = account.get("subkey") is True or (own is not None and own != address)
    return Credentials(address, signer, eth_address, is_subkey, own)


def _ethereum_address(private_key: str, wallet_address: str) -> str:
    from eth_account import Account

    if not _ETH_PRIVATE_KEY.fullmatch(private_key):
        raise AuthenticationError("paradex privateKey must be an Ethereum private key (0x + 64 hex) when walletAddress "
                                  "is an Ethereum address")
    eth_address = Account.from_key(private_key).address
    if eth_address.lower() != wallet_address.lower():
        raise AuthenticationError("paradex walletAddress is not the Ethereum address of privateKey")
    return eth_address


def _from_ethereum_key(private_key: str, wallet_address: str, system_config: dict | None) -> Credentials:
    eth_address = _ethereum_address(private_key, wallet_address)
    config = _require_config(system_config, "l1_chain_id", "paraclear_account_proxy_hash", "paraclear_account_hash")
    signer = signing.StarkSigner(signing.derive_l2_private_key(private_key, config["l1_chain_id"]))
    address = signing.account_address(signer.public_key, config["paraclear_account_proxy_hash"],
                                      config["paraclear_account_hash"])
    return Credentials(address, signer, eth_address, False, address)


def _own_address(signer: signing.StarkSigner, system_config: dict | None) -> int | None:
    """The account address the key's public key derives; None without the class hashes to derive it from."""
    if not system_config or not system_config.get("paraclear_account_proxy_hash") \
            or not system_config.get("paraclear_account_hash"):
        return None
    return signing.account_address(signer.public_key, system_config["paraclear_account_proxy_hash"],
                                   system_config["paraclear_account_hash"])


def _signer(value: Any, field: str) -> signing.StarkSigner:
    if isinstance(value, str) and _HEX_FELT.fullmatch(value) and not 0 < int(value, 16) < signing.EC_ORDER:
        # Most Ethereum keys (random 256-bit numbers) lie above the Stark curve order: say what it probably is.
        raise AuthenticationError(f"paradex {field} is out of the Stark private key range (1 to "
                                  f"{hex(signing.EC_ORDER - 1)}), so it may be an Ethereum private key: "
                                  + ETHEREUM_KEY_HELP)
    key = _parse_felt(value, f"{field} is not a 0x-hex Stark private key")
    try:
        return signing.StarkSigner(key)
    except ValueError:
        raise AuthenticationError(f"paradex {field} is not a valid Stark private key (out of range)") from None


def _parse_felt(value: Any, problem: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < signing.FIELD_PRIME:
        return value
    if isinstance(value, str) and _HEX_FELT.fullmatch(value):
        number = int(value, 16)
        if number < signing.FIELD_PRIME:
            return number
    raise AuthenticationError("paradex " + problem)


def _require_config(system_config: dict | None, *fields: str) -> dict:
    missing = [name for name in fields if not (system_config or {}).get(name)]
    if missing:
        raise ExchangeError("paradex system config lacks " + ", ".join(missing) + ": load it from GET /system/config")
    return system_config  # type: ignore[return-value]
