"""Paradex L2 signing: SNIP-12 revision 0 typed data, Stark ECDSA, key derivation, signature timestamps.

Pure functions over ints and strings (no ccxt dicts). Every Paradex L2 signature covers

    message_hash = H("StarkNet Message", domain_separator(chain_id), account, struct_hash(T, fields))

with H(xs) = reduce(pedersen, [*xs, len(xs)], 0), all fields typed ``felt`` (PARADEX.md §4).

Speed: an order costs 9 Pedersen calls and one ECDSA signature, because everything that does not change between
orders is cached: the type hashes, ``pedersen(0, type_hash)`` (the first link of every struct hash) and, per
(chain id, account), the first three links of the message hash. Providers are chosen by measurement
(bench/signing.py, this 2-vCPU box): Pedersen from starknet-pathfinder-crypto (Rust, ~25-32 us a call, takes ints)
ahead of fast-stark-crypto (~31-60 us, hex strings) and crypto-cpp (~100 us); ECDSA from fast-stark-crypto
(~0.28 ms a signature, ~0.55 ms a verification) ahead of crypto-cpp (~100-160 ms, ~0.95 ms). Together ~1750
orders/s against ~1400 with fast-stark-crypto alone (starknet-pathfinder-crypto 0.1.0 ships wheels up to CPython
3.11 only; newer Pythons get the latter). fast-stark-crypto picks its own deterministic k, not RFC 6979 with seed
32, so its (r, s) differ from the official SDK's while verifying the same. Whatever is not importable falls back to
starknet-py's crypto-cpp (same hashes, SDK-identical signatures, slow signing).

starknet-py is never imported unless a fallback is needed: it loads sympy (~50 MiB, ~0.4 s) for code the order path
does not use. Selectors (keccak from pycryptodome) and contract addresses (the backend's Pedersen) are computed here;
tests check both against starknet-py. No ccxt either: errors are `SigningError`, which the exchange raises as
InvalidOrder, so the sandbox imports this module without ccxt.
"""
from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property, lru_cache, reduce

from .vocabulary import ORDER_TYPES, SIDE_CODES


FIELD_PRIME = 2**251 + 17 * 2**192 + 1
EC_ORDER = 0x0800000000000010FFFFFFFFFFFFFFFFB781126DCAE7B2321E66A241ADC64D2F
# Paraclear fixed point: quantities and prices are signed as integers scaled by 10^8 (system config
# `paraclear_decimals`).
CHAIN_DECIMALS = 8



class SigningError(ValueError):
    """A value Paradex would not accept in a signed order. The exchange raises it as ccxt's InvalidOrder; this module
    stays free of ccxt so that the sandbox runs without it."""


_HEX = re.compile(r"0x[0-9a-fA-F]+")
# Anything a human or a float formatter would read as a number. Such a string must never be typed-data encoded as a
# short string (that is how "0.5" silently becomes the ASCII text "0.5").
_NUMBER_LIKE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")


# -- felts -----------------------------------------------------------------------------------------------------------

def felt(value: int | str) -> int:
    """Encode a typed-data ``felt`` value the way SNIP-12 revision 0 (starknet-py) does, minus its traps.

    int -> itself; ``"0x…"`` -> hex; a string of ASCII decimal digits -> that integer; any other string -> Cairo short
    string (ASCII, big-endian, at most 31 characters). Raises ValueError for a number-like string that is not plain
    digits ("0.5", "-1", "1e-8"), a value outside [0, FIELD_PRIME), or a string that cannot be a short string.
    """
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"felt expects an int or a str, got {type(value).__name__}")
    if isinstance(value, str):
        if _HEX.fullmatch(value):
            number = int(value, 16)
        elif value.isascii() and value.isdigit():
            number = int(value)
        elif _NUMBER_LIKE.fullmatch(value):
            raise ValueError(f"felt: {value!r} looks like a number but is not an integer; it would be signed as text")
        else:
            return short_string(value)
    else:
        number = value
    if not 0 <= number < FIELD_PRIME:
        raise ValueError(f"felt: {number} is outside the field [0, 2**251 + 17 * 2**192 + 1)")
    return number


def short_string(text: str) -> int:
    """Cairo short string: ASCII bytes read as a big-endian integer (at most 31 characters)."""
    if len(text) > 31 or not text.isascii():
        raise ValueError(f"short string must be ASCII and at most 31 characters, got {text!r}")
    return int.from_bytes(text.encode("ascii"), "big")


def chain_units(value: str | int | Decimal) -> int:
    """`value` × 10^8 as an exact integer (Paraclear fixed point), with no float anywhere.

    Accepts an int, a finite Decimal, or a plain decimal string ("0.5", "1e-8"). Raises SigningError if the value is
    negative, not a finite number, or has more than 8 decimal places: round to the market's increments first.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
        raise SigningError(f"paradex amount {value!r} must be a decimal string, an int or a Decimal, "
                           f"not {type(value).__name__} (floats are not exact)")
    if isinstance(value, str) and not _NUMBER_LIKE.fullmatch(value):
        raise SigningError(f"paradex amount {value!r} is not a finite decimal number")
    number = Decimal(value)
    if not number.is_finite():
        raise SigningError(f"paradex amount {value!r} is not a finite decimal number")
    if number < 0:
        raise SigningError(f"paradex amount {value!r} is negative")
    if number.is_zero():
        return 0
    # 10**76 > FIELD_PRIME: refuse by magnitude before building any big power of ten from user input.
    if number.adjusted() + CHAIN_DECIMALS >= 76:
        raise SigningError(f"paradex amount {value!r} is too large to sign")
    _, digits, exponent = number.as_tuple()
    significant = "".join(map(str, digits)).rstrip("0")
    places = len(digits) - len(significant) + exponent  # type: ignore[operator]  # finite: the exponent is an int
    if places + CHAIN_DECIMALS < 0:
        raise SigningError(f"paradex amount {value!r} has more than {CHAIN_DECIMALS} decimal places; "
                           f"round it to the market's increment first")
    units = int(significant) * 10 ** (places + CHAIN_DECIMALS)
    if units >= FIELD_PRIME:
        raise SigningError(f"paradex amount {value!r} is too large to sign")
    return units


# -- crypto backends -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Backend:
    """The Stark-curve primitives the hot paths need. `hash_chain(start, xs)` = reduce(pedersen, xs, start);
    `verify(public_key, msg_hash, r, s)` receives values already range-checked and a key on the curve."""

    pedersen: str
    ecdsa: str
    hash_chain: Callable[[int, Sequence[int]], int]
    sign: Callable[[int, int], tuple[int, int]]
    public_key: Callable[[int], int]
    verify: Callable[[int, int, int, int], bool]


Ecdsa = tuple[Callable[[int, int], tuple[int, int]], Callable[[int], int], Callable[[int, int, int, int], bool]]


def _pathfinder_chain() -> Callable[[int, Sequence[int]], int]:
    from starknet_pathfinder_crypto import pedersen_hash

    return lambda start, items: reduce(pedersen_hash, items, start)


def _fast_stark_crypto_chain() -> Callable[[int, Sequence[int]], int]:
    from fast_stark_crypto.fast_stark_crypto import rs_compute_pedersen_hash

    # rs_* take hex strings (bare digits are read as hex too) and return decimal strings; calling them directly
    # skips the wrappers' extra conversions.
    def hash_chain(start: int, items: Sequence[int]) -> int:
        acc = hex(start)
        for item in items:
            acc = hex(int(rs_compute_pedersen_hash(acc, hex(item))))
        return int(acc, 16)

    return hash_chain


def _crypto_cpp_chain() -> Callable[[int, Sequence[int]], int]:
    from starknet_py.hash.utils import pedersen_hash

    return lambda start, items: reduce(pedersen_hash, items, start)


def _fast_stark_crypto_ecdsa() -> Ecdsa:
    from fast_stark_crypto.fast_stark_crypto import rs_get_public_key, rs_sign_message, rs_verify_signature

    def sign(private_key: int, msg_hash: int) -> tuple[int, int]:
        r, s = rs_sign_message(hex(private_key), hex(msg_hash))
        return int(r), int(s)

    def verify(public_key: int, msg_hash: int, r: int, s: int) -> bool:
        return bool(rs_verify_signature(hex(public_key), hex(msg_hash), hex(r), hex(s)))

    return sign, lambda private_key: int(rs_get_public_key(hex(private_key))), verify


def _crypto_cpp_ecdsa() -> Ecdsa:
    # RFC 6979 with seed 32, like the official SDK: identical (r, s), but ~130 ms per signature. Importing starknet-py
    # costs ~50 MiB (it loads sympy), which is why it is only a fallback and only loaded here.
    from starknet_py.hash.utils import message_signature, private_to_stark_key, verify_message_signature

    def sign(private_key: int, msg_hash: int) -> tuple[int, int]:
        r, s = message_signature(msg_hash, private_key)
        return r, s

    def verify(public_key: int, msg_hash: int, r: int, s: int) -> bool:
        return bool(verify_message_signature(msg_hash, [r, s], public_key))

    return sign, private_to_stark_key, verify


# Fastest first (bench/signing.py measures them).
PEDERSEN_PROVIDERS = {
    "starknet-pathfinder-crypto": _pathfinder_chain,
    "fast-stark-crypto": _fast_stark_crypto_chain,
    "crypto-cpp": _crypto_cpp_chain,
}
ECDSA_PROVIDERS = {
    "fast-stark-crypto": _fast_stark_crypto_ecdsa,
    "crypto-cpp": _crypto_cpp_ecdsa,
}


def make_backend(pedersen: str, ecdsa: str) -> Backend:
    """A backend from named providers; raises ImportError if one is not installed."""
    sign, public_key, verify = ECDSA_PROVIDERS[ecdsa]()
    return Backend(pedersen, ecdsa, PEDERSEN_PROVIDERS[pedersen](), sign, public_key, verify)


def load_backend() -> Backend:
    """The fastest importable Pedersen and ECDSA providers (crypto-cpp, a starknet-py dependency, always is)."""
    return make_backend(_first_importable(PEDERSEN_PROVIDERS), _first_importable(ECDSA_PROVIDERS))


def _first_importable(providers: Mapping[str, Callable[[], object]]) -> str:
    for name, load in providers.items():
        try:
            load()
        except ImportError:
            continue
        return name
    raise ImportError("no Stark crypto provider is importable: " + ", ".join(providers))


_backend: Backend = load_backend()


def backend() -> Backend:
    return _backend


def use_backend(new: Backend) -> Backend:
    """Switch the crypto backend (tests force the fallback with it); returns the previous one."""
    global _backend
    previous, _backend = _backend, new
    _struct_seed.cache_clear()
    _message_seed.cache_clear()
    return previous


def selector(name: str) -> int:
    """Starknet keccak of an ASCII name: keccak-256 truncated to 250 bits (type hashes, entry point selectors)."""
    # Imported on first use: pycryptodome's loader costs ~20 ms of import time for a handful of cached hashes.
    from Crypto.Hash import keccak

    return int.from_bytes(keccak.new(digest_bits=256, data=name.encode("ascii")).digest(), "big") & (2**250 - 1)


# -- typed data ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class StructType:
    """A SNIP-12 revision 0 struct whose fields are all `felt`."""

    name: str
    fields: tuple[str, ...]

    @cached_property
    def type_hash(self) -> int:
        return selector(self.encoding)

    @property
    def encoding(self) -> str:
        return f"{self.name}(" + ",".join(f"{name}:felt" for name in self.fields) + ")"


DOMAIN = StructType("StarkNetDomain", ("name", "chainId", "version"))
CONSTANT = StructType("Constant", ("action",))
REQUEST = StructType("Request", ("method", "path", "body", "timestamp", "expiration"))
ORDER = StructType("Order", ("timestamp", "market", "side", "orderType", "size", "price"))
MODIFY_ORDER = StructType("ModifyOrder", (*ORDER.fields, "id"))
STARKNET_MESSAGE = short_string("StarkNet Message")


@cache
def _struct_seed(struct: StructType) -> int:
    return _backend.hash_chain(0, (struct.type_hash,))


def struct_hash(struct: StructType, felts: Sequence[int]) -> int:
    """H([type_hash, *felts]) over already-encoded field values, in declared order."""
    if len(felts) != len(struct.fields):
        raise ValueError(f"{struct.name} has {len(struct.fields)} fields, got {len(felts)} values")
    return _backend.hash_chain(_struct_seed(struct), (*felts, len(felts) + 1))


def domain_separator(chain_id: str) -> int:
    return struct_hash(DOMAIN, (short_string("Paradex"), felt(chain_id), felt("1")))


@lru_cache(maxsize=256)
def _message_seed(chain_id: str, account: int) -> int:
    return _backend.hash_chain(0, (STARKNET_MESSAGE, domain_separator(chain_id), felt(account)))


def message_hash(chain_id: str, account: int, struct: StructType, felts: Sequence[int]) -> int:
    """The hash a Paradex L2 signature covers; `account` is always the MAIN account address, even for subkeys."""
    return _backend.hash_chain(_message_seed(chain_id, account), (struct_hash(struct, felts), 4))


def onboarding_hash(chain_id: str, account: int) -> int:
    return message_hash(chain_id, account, CONSTANT, (short_string("Onboarding"),))


def auth_hash(chain_id: str, account: int, timestamp: int, expiration: int, method: str = "POST",
              path: str = "/v1/auth", body: str = "") -> int:
    """JWT request: `timestamp` and `expiration` in unix SECONDS. The SDK signs path /v1/auth even when it posts to
    /v1/auth/{public_key}."""
    return message_hash(chain_id, account, REQUEST, (
        felt(method), felt(path), felt(body), _positive(timestamp, "timestamp"), _positive(expiration, "expiration"),
    ))


def order_felts(timestamp_ms: int, market: str, side: str, order_type: str, size: int, price: int) -> tuple[int, ...]:
    """The six encoded `Order` fields. Raises SigningError for a value Paradex would not accept."""
    if side not in SIDE_CODES:
        raise SigningError(f"paradex order side must be BUY or SELL, got {side!r}")
    if order_type not in ORDER_TYPES:
        raise SigningError(f"paradex order type {order_type!r} is not one of {sorted(ORDER_TYPES)}")
    if not isinstance(market, str) or not market:
        raise SigningError(f"paradex order market must be a market id such as 'BTC-USD-PERP', got {market!r}")
    try:
        market_felt = felt(market)
    except ValueError as error:
        raise SigningError(f"paradex order market {market!r} cannot be signed: {error}") from None
    return (
        _positive(timestamp_ms, "signature timestamp", SigningError),
        market_felt,
        SIDE_CODES[side],
        short_string(order_type),
        _units(size, "size"),
        _units(price, "price"),
    )


def order_hash(chain_id: str, account: int, timestamp_ms: int, market: str, side: str, order_type: str, size: int,
               price: int) -> int:
    """Hash of a new order. `timestamp_ms` in milliseconds; `size`/`price` in chain units (see `chain_units`).

    The caller passes price 0 for every type containing MARKET (both official clients sign 0 there).
    """
    return message_hash(chain_id, account, ORDER, order_felts(timestamp_ms, market, side, order_type, size, price))


def modify_order_hash(chain_id: str, account: int, timestamp_ms: int, market: str, side: str, order_type: str,
                      size: int, price: int, order_id: str) -> int:
    """Hash of an order modification: the `Order` fields (fresh timestamp, new size/price) plus the order `id`."""
    if not order_id:
        raise SigningError("paradex modify needs the order id")
    try:
        id_felt = felt(order_id)
    except ValueError as error:
        raise SigningError(f"paradex order id {order_id!r} cannot be signed: {error}") from None
    felts = order_felts(timestamp_ms, market, side, order_type, size, price)
    return message_hash(chain_id, account, MODIFY_ORDER, (*felts, id_felt))


def _positive(value: int, what: str, error: type[Exception] = ValueError) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < FIELD_PRIME:
        raise error(f"paradex {what} must be a positive integer, got {value!r}")
    return value


def _units(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < FIELD_PRIME:
        raise SigningError(f"paradex order {what} must be a non-negative integer in chain units (x 10^8), "
                           f"got {value!r}")
    return value


# -- signatures ------------------------------------------------------------------------------------------------------

class StarkSigner:
    """A Stark private key that signs message hashes. Its repr shows only the public key."""

    __slots__ = ("_private_key", "public_key")

    def __init__(self, private_key: int) -> None:
        if isinstance(private_key, bool) or not isinstance(private_key, int) or not 0 < private_key < EC_ORDER:
            raise ValueError("Stark private key must be an integer in [1, curve order)")
        self._private_key = private_key
        self.public_key: int = _backend.public_key(private_key)

    def sign(self, msg_hash: int) -> tuple[int, int]:
        return _backend.sign(self._private_key, msg_hash)

    def __repr__(self) -> str:
        return f"StarkSigner(public_key={hex(self.public_key)})"


def verify(public_key: int, msg_hash: int, r: int, s: int) -> bool:
    """Stark ECDSA verification with the backend's ECDSA provider; False for any malformed input."""
    if not (0 < r < 2**251 and 0 < s < EC_ORDER and 0 <= msg_hash < 2**251 and on_curve(public_key)):
        return False
    try:
        return _backend.verify(public_key, msg_hash, r, s)
    except ValueError:
        return False


# The Stark curve y^2 = x^3 + x + beta over FIELD_PRIME.
_CURVE_BETA = 0x6F21413EFBE40DE150E596D72F7A8C5609AD26C15C915C1F4CDFCB99CEE9E89


@lru_cache(maxsize=4096)
def on_curve(public_key: int) -> bool:
    """Whether a public key (the x coordinate) is a point of the Stark curve. fast-stark-crypto panics, past any
    `except Exception`, on a key that is not, so every key is checked before it is handed over."""
    if not 0 < public_key < FIELD_PRIME:
        return False
    rhs = (public_key**3 + public_key + _CURVE_BETA) % FIELD_PRIME
    return rhs == 0 or pow(rhs, (FIELD_PRIME - 1) // 2, FIELD_PRIME) == 1


def format_signature(r: int, s: int) -> str:
    """The official SDK's wire form: a JSON array of two decimal strings, ``["<r>","<s>"]``."""
    return f'["{r}","{s}"]'


_SIGNATURE = re.compile(r'\[\s*"(0x[0-9a-fA-F]+|\d+)"\s*,\s*"(0x[0-9a-fA-F]+|\d+)"\s*\]')


def parse_signature(text: str) -> tuple[int, int]:
    """Read ``["r","s"]`` with decimal (SDK) or 0x-hex (ccxt) strings. Raises ValueError on anything else."""
    match = _SIGNATURE.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise ValueError('signature must be a JSON array of two decimal or 0x-hex strings: ["r","s"]')
    r, s = (int(part, 0) for part in match.groups())
    return r, s


# -- keys and addresses ----------------------------------------------------------------------------------------------

def stark_key_typed_data(l1_chain_id: int | str) -> dict:
    """The EIP-712 message an Ethereum key signs to derive its Paradex L2 key (chain id = system config l1_chain_id)."""
    return {
        "types": {
            "EIP712Domain": [
                {"name": "name", "type": "string"},
                {"name": "version", "type": "string"},
                {"name": "chainId", "type": "uint256"},
            ],
            "Constant": [{"name": "action", "type": "string"}],
        },
        "primaryType": "Constant",
        "domain": {"name": "Paradex", "version": "1", "chainId": int(l1_chain_id)},
        "message": {"action": "STARK Key"},
    }


def stark_key_signature(eth_private_key: str, l1_chain_id: int | str):  # -> eth_account SignedMessage
    """The Ethereum key's EIP-712 signature of `stark_key_typed_data` (secp256k1 is deterministic)."""
    from eth_account import Account

    return Account.sign_typed_data(eth_private_key, full_message=stark_key_typed_data(l1_chain_id))


def grind_key(seed: int) -> int:
    """StarkWare's grind_key: first SHA-256(seed ‖ index) below the largest multiple of the curve order, mod order."""
    bound = 2**256 - (2**256 % EC_ORDER)
    seed_bytes = _minimal_bytes(seed)
    index = 0
    while True:
        digest = int.from_bytes(hashlib.sha256(seed_bytes + _minimal_bytes(index)).digest(), "big")
        if digest < bound:
            return digest % EC_ORDER
        index += 1


def _minimal_bytes(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


def derive_l2_private_key(eth_private_key: str, l1_chain_id: int | str) -> int:
    """Paradex L2 private key of an Ethereum key: grind_key(r of its "STARK Key" EIP-712 signature).

    The L1 chain id is in the signed domain, so testnet and prod keys differ.
    """
    return grind_key(stark_key_signature(eth_private_key, l1_chain_id).r)


# Starknet's contract address derivation (deployer 0): H(prefix, deployer, salt, class hash, H(calldata)) folded
# below 2**251 - 256, with H(xs) = reduce(pedersen, [*xs, len(xs)], 0).
_CONTRACT_ADDRESS_PREFIX = short_string("STARKNET_CONTRACT_ADDRESS")
_ADDRESS_BOUND = 2**251 - 256


def _hash_on_elements(items: Sequence[int]) -> int:
    return _backend.hash_chain(0, (*items, len(items)))


def account_address(public_key: int, proxy_class_hash: int | str, account_class_hash: int | str) -> int:
    """Paradex account contract address for a Stark public key (class hashes from system config)."""
    calldata = (felt(account_class_hash), selector("initialize"), 2, public_key, 0)
    return _hash_on_elements(
        (_CONTRACT_ADDRESS_PREFIX, 0, public_key, felt(proxy_class_hash), _hash_on_elements(calldata))
    ) % _ADDRESS_BOUND


# -- signature timestamps --------------------------------------------------------------------------------------------

def _wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class MonotonicMillis:
    """Wall-clock milliseconds that never repeat nor go back for one instance (thread-safe).

    Two orders signed in the same millisecond get consecutive timestamps, so identical orders never share a signature.
    """

    def __init__(self, clock: Callable[[], int] = _wall_clock_ms) -> None:
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()

    def next(self) -> int:
        with self._lock:
            self._last = max(self._clock(), self._last + 1)
            return self._last
