"""Who may do what in the sandbox: Stark-signed onboarding, login and orders, and the JWTs the sandbox issues.

Checks mirror Paradex (PARADEX.md §5, §6):

- onboarding: PARADEX-STARKNET-ACCOUNT must be the address the body's public key derives to, and
  PARADEX-STARKNET-SIGNATURE must sign the `Constant(action="Onboarding")` typed data with that key;
- login: PARADEX-STARKNET-SIGNATURE must sign `Request(POST, /v1/auth, "", PARADEX-TIMESTAMP,
  PARADEX-SIGNATURE-EXPIRATION)` for the main account address, by the main key (POST /auth) or by the key named in
  the path (POST /auth/{public_key}: the main key or an active subkey);
- private calls: `Authorization: Bearer <JWT>`, ES256-signed by the sandbox, `exp` checked against its clock;
- account API tokens (POST /account/tokens, see apitokens.py): JWTs too, but read-only: the gateway lets them
  through on GET requests only;
- orders: the Stark signature of the body, by the main key or an active subkey, and the receive window
  (`check_recv_window`).

Signatures are accepted in both wire forms seen in production: decimal (official SDK) and 0x-hex (ccxt).
"""
from __future__ import annotations

import itertools
import math
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from .. import signing
from ..vocabulary import MARKET_TYPES, MIN_RECV_WINDOW_MS
from .ledger import Account, Ledger, SandboxError


def parse_felt_hex(text: str | None, code: str, what: str) -> int:
    """A 0x-hex felt from a header or a path (addresses, public keys)."""
    try:
        if text is None or not text.lower().startswith("0x"):
            raise ValueError
        value = int(text, 16)
    except ValueError:
        raise SandboxError(code, f"invalid {what}: {text!r}") from None
    if not 0 < value < signing.FIELD_PRIME:
        raise SandboxError(code, f"invalid {what}: {text!r}")
    return value


def account_address(config: Mapping[str, Any], public_key: int) -> int:
    """The Paradex account address of a Stark public key under this system config's class hashes."""
    return signing.account_address(public_key, config["paraclear_account_proxy_hash"],
                                   config["paraclear_account_hash"])


def signing_keys(account: Account, first: int | None = None) -> list[int]:
    """The keys that may sign for an account: `first` (the key that logged in) first, then main key, active subkeys."""
    keys = [int(account.public_key, 16)]
    keys += [int(key, 16) for key, sub in account.subkeys.items() if sub.state == "active"]
    if first is not None and first in keys:
        keys.remove(first)
        keys.insert(0, first)
    return keys


# -- Stark-signed headers --------------------------------------------------------------------------------------------

def _header(headers: Mapping[str, str], name: str) -> str:
    value = headers.get(name)
    if not value:
        raise SandboxError("VALIDATION_ERROR", f"missing header {name}")
    return value


def _signature(headers: Mapping[str, str]) -> tuple[int, int]:
    try:
        return signing.parse_signature(_header(headers, "PARADEX-STARKNET-SIGNATURE"))
    except ValueError as error:
        raise SandboxError("INVALID_STARKNET_SIGNATURE", str(error)) from None


def verify_onboarding(headers: Mapping[str, str], public_key_text: str | None, *, chain_id: str,
                      config: Mapping[str, Any]) -> tuple[int, int, str]:
    """Check an onboarding request; returns (address, public key, ethereum address). Registers nothing."""
    eth_address = _header(headers, "PARADEX-ETHEREUM-ACCOUNT")
    if not (eth_address.lower().startswith("0x") and len(eth_address) == 42):
        raise SandboxError("INVALID_ETHEREUM_ADDRESS", f"invalid ethereum address: {eth_address!r}")
    try:
        int(eth_address, 16)
    except ValueError:
        raise SandboxError("INVALID_ETHEREUM_ADDRESS", f"invalid ethereum address: {eth_address!r}") from None
    address = parse_felt_hex(_header(headers, "PARADEX-STARKNET-ACCOUNT"), "INVALID_STARKNET_ADDRESS",
                             "starknet account")
    public_key = parse_felt_hex(public_key_text, "PUBLIC_KEY_INVALID", "public key")
    if account_address(config, public_key) != address:
        raise SandboxError("INVALID_STARKNET_ADDRESS",
                           "PARADEX-STARKNET-ACCOUNT is not the account address of the given public key")
    r, s = _signature(headers)
    if not signing.verify(public_key, signing.onboarding_hash(chain_id, address), r, s):
        raise SandboxError("INVALID_STARKNET_SIGNATURE", "onboarding signature does not verify")
    return address, public_key, eth_address


def verify_login(headers: Mapping[str, str], path_public_key: str | None, *, chain_id: str, ledger: Ledger,
                 now: float, max_clock_skew: float) -> tuple[Account, int]:
    """Check a POST /auth[/{public_key}] request; returns (account, the key that signed)."""
    address = parse_felt_hex(_header(headers, "PARADEX-STARKNET-ACCOUNT"), "INVALID_STARKNET_ADDRESS",
                             "starknet account")
    timestamp = _seconds(_header(headers, "PARADEX-TIMESTAMP"), "PARADEX-TIMESTAMP")
    expiration = _seconds(_header(headers, "PARADEX-SIGNATURE-EXPIRATION"), "PARADEX-SIGNATURE-EXPIRATION")
    if abs(timestamp - now) > max_clock_skew:
        raise SandboxError("INVALID_TIMESTAMP",
                           f"timestamp {timestamp} is more than {max_clock_skew:g}s away from server time {int(now)}")
    if expiration <= now or expiration <= timestamp:
        raise SandboxError("INVALID_TIMESTAMP", f"signature expiration {expiration} is in the past")
    r, s = _signature(headers)
    account = ledger.find(hex(address))
    if account is None:
        raise SandboxError("NOT_ONBOARDED", "User has never called /onboarding endpoint")
    if path_public_key is None:
        signer = int(account.public_key, 16)
    else:
        signer = parse_felt_hex(path_public_key, "PUBLIC_KEY_INVALID", "public key")
        if not ledger.key_allowed(account.address, hex(signer)):
            raise SandboxError("INVALID_SUBKEY", f"public key {path_public_key} is not an active key of the account",
                               401)
    if not signing.verify(signer, signing.auth_hash(chain_id, address, timestamp, expiration), r, s):
        raise SandboxError("STARKNET_SIGNATURE_VERIFICATION_FAILED", "auth signature does not verify", 401)
    return account, signer


def _seconds(text: str, name: str) -> int:
    if not text.isdigit():
        raise SandboxError("INVALID_TIMESTAMP", f"{name} must be unix seconds, got {text!r}")
    return int(text)


# -- order signatures ------------------------------------------------------------------------------------------------

def _body_text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise SandboxError("VALIDATION_ERROR", f"{name} is required")
    return value


def _body_units(body: Mapping[str, Any], name: str) -> int:
    value = body.get(name)
    if not isinstance(value, str):
        raise SandboxError("VALIDATION_ERROR", f"{name} must be a decimal string")
    try:
        return signing.chain_units(value)
    except signing.SigningError as error:
        raise SandboxError("VALIDATION_ERROR", f"{name}: {error}") from None


def _signature_timestamp(body: Mapping[str, Any]) -> int:
    value = body.get("signature_timestamp")
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise SandboxError("VALIDATION_ERROR", "signature_timestamp must be unix milliseconds")
    return value


DEFAULT_RECV_WINDOW_MS = 300_000  # docs.paradex.trade "Receive Window": 5 minutes when the order sets none


def check_recv_window(body: Mapping[str, Any], now_ms: int) -> None:
    """An order must reach the gateway within ``recv_window`` ms of its ``signature_timestamp`` (Paradex's default
    window when it sets none). Paradex documents the rule ("current_time > recv_window + signature_time -> reject
    the order") but not its error: the sandbox refuses with ``INVALID_TIMESTAMP`` and nothing is created
    (unconfirmed; paradex-py's "will be created if it is received within" says refused, not created-then-closed).
    """
    window = body.get("recv_window")
    if window is None:
        window = DEFAULT_RECV_WINDOW_MS
    elif isinstance(window, bool) or not isinstance(window, int) or window < MIN_RECV_WINDOW_MS:
        raise SandboxError("VALIDATION_ERROR", f"recv_window must be an integer of at least {MIN_RECV_WINDOW_MS} ms")
    signed_at = _signature_timestamp(body)
    if now_ms > signed_at + window:
        raise SandboxError("INVALID_TIMESTAMP", f"order received at {now_ms}, {now_ms - signed_at} ms after its "
                                                f"signature_timestamp {signed_at}: outside recv_window {window} ms")


def verify_order(body: Mapping[str, Any], *, chain_id: str, account: int, signers: Sequence[int],
                 order_id: str | None = None) -> int:
    """Check the Stark signature of a new order (or, given `order_id`, of a modification); returns the signing key.

    The signed values are read from the body the way Paradex's clients sign them (PARADEX.md §7): size and price
    x 10^8, side 1/2, the type as a short string, `signature_timestamp` in ms. Market-flavoured types are signed
    with price 0 by ccxt; the official SDK signs the body's price when one is given, so both are accepted.
    """
    market = _body_text(body, "market")
    side = _body_text(body, "side")
    order_type = _body_text(body, "type")
    size = _body_units(body, "size")
    timestamp = _signature_timestamp(body)
    prices = [0] if order_type in MARKET_TYPES else []
    if body.get("price") not in (None, ""):
        price = _body_units(body, "price")
        if price not in prices:
            prices.append(price)
    if not prices:
        raise SandboxError("VALIDATION_ERROR", f"price is required for {order_type} orders")
    signature = body.get("signature")
    try:
        r, s = signing.parse_signature(signature)  # type: ignore[arg-type]
    except ValueError as error:
        raise SandboxError("INVALID_ORDER_SIGNATURE", str(error)) from None
    for price in prices:
        try:
            if order_id is None:
                msg_hash = signing.order_hash(chain_id, account, timestamp, market, side, order_type, size, price)
            else:
                msg_hash = signing.modify_order_hash(chain_id, account, timestamp, market, side, order_type, size,
                                                     price, order_id)
        except signing.SigningError as error:
            raise SandboxError("VALIDATION_ERROR", str(error)) from None
        for key in signers:
            if signing.verify(key, msg_hash, r, s):
                return key
    raise SandboxError("INVALID_ORDER_SIGNATURE", "order signature does not verify with the account's keys")


# -- JWTs ------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TokenClaims:
    account: int  # main account address
    public_key: int  # the key that logged in (main key or subkey)
    token_usage: str  # "interactive" for retail tokens, else ""
    token_id: int
    expires_at: float
    lookup_id: str = ""  # an account API token's (POST /account/tokens); "" for a login JWT

    @property
    def read_only(self) -> bool:
        """API tokens carry no signing key and Paradex restricts them to GET requests (docs "API Authentication":
        read-only tokens "cannot place orders or modify account settings")."""
        return bool(self.lookup_id)


class TokenIssuer:
    """Issues and checks the sandbox's JWTs: ES256 like Paradex's (public key at /v1/jwks.json)."""

    def __init__(self, lifetime: float = 300.0, clock: Callable[[], float] = time.time) -> None:
        self.lifetime = lifetime
        self.clock = clock
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._kid = secrets.token_hex(8)
        self._ids = itertools.count(1)
        self._first_valid_id = 1
        self._revoked: set[str] = set()  # lookup ids of revoked API tokens
        # Checking an ES256 signature costs ~0.15 ms; a token already checked once is only re-checked for expiry.
        self._checked: OrderedDict[str, TokenClaims] = OrderedDict()

    def issue(self, account: int, public_key: int, token_usage: str = "", *, lifetime: float | None = None,
              lookup_id: str = "") -> str:
        """A login JWT, or with ``lookup_id`` a read-only account API token living ``lifetime`` seconds."""
        now = self.clock()
        token_id = next(self._ids)
        claims = {
            "sub": hex(account),
            "pubkey": hex(public_key),
            "token_usage": token_usage,
            "iat": int(now),
            # Whole seconds like Paradex; rounded up so a token never lives shorter than the configured lifetime.
            "exp": math.ceil(now + (self.lifetime if lifetime is None else lifetime)),
            "jti": str(token_id),
            "iss": "paradex-sandbox",
            **({"lookup_id": lookup_id} if lookup_id else {}),
        }
        return jwt.encode(claims, self._key, algorithm="ES256", headers={"kid": self._kid})

    def expire_all(self) -> None:
        """Every login JWT issued so far stops working (a fault: the server forgot its sessions). API tokens are
        stored credentials, not sessions: they keep working until they expire or are revoked."""
        self._first_valid_id = next(self._ids) + 1
        self._checked.clear()

    def revoke(self, lookup_id: str) -> None:
        self._revoked.add(lookup_id)

    def verify(self, authorization: str | None) -> TokenClaims:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise SandboxError("UNAUTHORIZED_ERROR", "missing or malformed jwt", 401)
        token = token.strip()
        claims = self._checked.get(token)
        if claims is None:
            claims = self._decode(token)
            self._checked[token] = claims
            if len(self._checked) > 4096:
                self._checked.popitem(last=False)
        gone = claims.lookup_id in self._revoked if claims.read_only else claims.token_id < self._first_valid_id
        if gone or self.clock() >= claims.expires_at:
            raise SandboxError("INVALID_TOKEN", "invalid or expired jwt", 401)
        return claims

    def _decode(self, token: str) -> TokenClaims:
        try:
            # Times are checked against the sandbox's clock (which tests may move), not PyJWT's wall clock.
            payload = jwt.decode(token, self._key.public_key(), algorithms=["ES256"],
                                 options={"verify_exp": False, "verify_iat": False, "verify_nbf": False,
                                          "require": ["exp", "sub", "pubkey", "jti"]})
            return TokenClaims(int(payload["sub"], 16), int(payload["pubkey"], 16), payload.get("token_usage", ""),
                               int(payload["jti"]), float(payload["exp"]), str(payload.get("lookup_id", "")))
        except (jwt.PyJWTError, ValueError, TypeError):
            raise SandboxError("INVALID_TOKEN", "invalid or expired jwt", 401) from None

    def jwks(self) -> dict:
        key = ECAlgorithm.to_jwk(self._key.public_key(), as_dict=True)
        return {"keys": [{**key, "alg": "ES256", "kid": self._kid, "use": "sig"}]}
