"""Order-signing throughput: paradex_ccxt against ccxt's built-in paradex, on one core, offline.

Run from the repository root:

    python bench/signing.py

Prints orders hashed + signed per second (one core, domain separator and type hashes cached) for
  - paradex_ccxt with each installed crypto backend: the default (starknet-pathfinder-crypto Pedersen +
    fast-stark-crypto ECDSA), fast-stark-crypto alone, and the crypto-cpp fallback (starknet-py);
  - ccxt's built-in `paradex.sign_order_request` (system config and L2 account injected: no network);
  - starknet-py's crypto-cpp ECDSA sign alone;
and the ratio default / ccxt. The contenders are timed in interleaved rounds (each round times every one of them
for about a second, in alternating order), and each rate is the median over the rounds: a load change from other
processes on the shared cores then hits every contender alike, which keeps the ratio stable from run to run.
The whole run takes about 20 s.
Every signature produced here is checked once with starknet-py's verifier before timing starts.
"""
from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import ccxt.async_support as ccxt_async

from paradex_ccxt import signing

# Testnet system config values and the fixed, obviously fake key of the signing vectors (tests/data).
SYSTEM_CONFIG = {
    "starknet_chain_id": "PRIVATE_SN_POTC_SEPOLIA",
    "l1_chain_id": "11155111",
    "paraclear_account_proxy_hash": "0x3530cc4759d78042f1b543bf797f5f3d647cde0388c33734cf91b7f7b9314a9",
    "paraclear_account_hash": "0x41cb0280ebadaa75f996d8d92c6f265f6d040bb3ba442e5f86a554f1765244e",
    "paraclear_decimals": 8,
}
PRIVATE_KEY = 0x0202020202020202020202020202020202020202020202020202020202020202
SAMPLE_HASH = 0x49272B888AD8BFCBFD3E8CD2751AA4521BA901E71808E216B7A1BFDA6B7405F
ORDER = {"market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT", "size": "0.12345678", "price": "65432.1"}


def rate(step: Callable[[], object], budget_s: float, min_runs: int) -> float:
    """Calls per second of `step`, run until both the time budget and the minimum count are reached."""
    runs = 0
    start = time.perf_counter()
    while True:
        step()
        runs += 1
        elapsed = time.perf_counter() - start
        if elapsed >= budget_s and runs >= min_runs:
            return runs / elapsed


@dataclass
class Contender:
    label: str
    step: Callable[[], object]
    backend: signing.Backend | None  # the signing backend `step` needs active; None: it does not use ours
    slice_s: float  # seconds per round
    min_runs: int  # calls per round at least


def interleaved(contenders: list[Contender], rounds: int) -> dict[str, list[float]]:
    """Rates of each contender in each round. Every round times every contender once, in alternating order, so a
    change of machine load (other processes on shared cores) hits all of them alike instead of whichever ran then."""
    rates: dict[str, list[float]] = {c.label: [] for c in contenders}
    for number in range(rounds):
        for contender in contenders if number % 2 == 0 else reversed(contenders):
            previous = signing.use_backend(contender.backend) if contender.backend is not None else None
            try:
                rates[contender.label].append(rate(contender.step, contender.slice_s, contender.min_runs))
            finally:
                if previous is not None:
                    signing.use_backend(previous)
    return rates


def ours(backend: signing.Backend) -> Callable[[], object]:
    """Full per-order work as the orders code does it: scale size/price, hash, sign, format (checked once)."""
    previous = signing.use_backend(backend)
    try:
        signer = signing.StarkSigner(PRIVATE_KEY)
        address = signing.account_address(signer.public_key, SYSTEM_CONFIG["paraclear_account_proxy_hash"],
                                          SYSTEM_CONFIG["paraclear_account_hash"])
        chain_id = SYSTEM_CONFIG["starknet_chain_id"]
        clock = signing.MonotonicMillis()

        def sign_order() -> tuple[int, int, int]:
            msg_hash = signing.order_hash(chain_id, address, clock.next(), ORDER["market"], ORDER["side"],
                                          ORDER["type"], signing.chain_units(ORDER["size"]),
                                          signing.chain_units(ORDER["price"]))
            r, s = signer.sign(msg_hash)
            signing.format_signature(r, s)
            return msg_hash, r, s

        msg_hash, r, s = sign_order()
        assert signing.verify(signer.public_key, msg_hash, r, s), "our signature does not verify"
        return sign_order
    finally:
        signing.use_backend(previous)


@contextmanager
def ccxt_builtin() -> Iterator[Callable[[], object]]:
    """ccxt's built-in sign_order_request, checked once; its exchange is closed on exit."""
    signer = signing.StarkSigner(PRIVATE_KEY)
    address = signing.account_address(signer.public_key, SYSTEM_CONFIG["paraclear_account_proxy_hash"],
                                      SYSTEM_CONFIG["paraclear_account_hash"])
    exchange = ccxt_async.paradex({
        "options": {
            "systemConfig": dict(SYSTEM_CONFIG),
            "paradexAccount": {"privateKey": hex(PRIVATE_KEY), "publicKey": hex(signer.public_key),
                               "address": hex(address)},
        },
    })
    loop = asyncio.new_event_loop()

    def sign_order() -> dict:
        # sign_order_request is a coroutine only because it may fetch the config; driving it on a private loop
        # costs microseconds against its tens of milliseconds.
        return loop.run_until_complete(exchange.sign_order_request(dict(ORDER, instruction="GTC")))

    try:
        signed = sign_order()
        r, s = signing.parse_signature(signed["signature"])
        msg_hash = signing.order_hash(SYSTEM_CONFIG["starknet_chain_id"], address, signed["signature_timestamp"],
                                      ORDER["market"], ORDER["side"], ORDER["type"],
                                      signing.chain_units(ORDER["size"]), signing.chain_units(ORDER["price"]))
        assert signing.verify(signer.public_key, msg_hash, r, s), "ccxt's signature does not verify our hash"
        yield sign_order
    finally:
        loop.run_until_complete(exchange.close())
        loop.close()


ROUNDS = 4
BUILTIN = f"ccxt {ccxt_async.__version__} built-in paradex.sign_order_request"
CPP_SIGN = "starknet-py crypto-cpp message_signature alone"


def main() -> None:
    # Rates halve when other processes share the two cores; the load average says whether they did.
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    active = signing.backend()
    default_label = f"paradex_ccxt  pedersen={active.pedersen:27s} ecdsa={active.ecdsa:18s}"
    contenders = []
    for pedersen, ecdsa, slice_s, min_runs in [("starknet-pathfinder-crypto", "fast-stark-crypto", 1.0, 250),
                                               ("fast-stark-crypto", "fast-stark-crypto", 0.75, 120),
                                               ("crypto-cpp", "crypto-cpp", 0.5, 2)]:
        try:
            backend = signing.make_backend(pedersen, ecdsa)
        except ImportError:
            print(f"{pedersen} + {ecdsa}: not installed, skipped")
            continue
        label = f"paradex_ccxt  pedersen={pedersen:27s} ecdsa={ecdsa:18s}"
        contenders.append(Contender(label, ours(backend), backend, slice_s, min_runs))
    cpp_sign = signing.make_backend("crypto-cpp", "crypto-cpp").sign
    with ccxt_builtin() as builtin_step:
        contenders.append(Contender(BUILTIN, builtin_step, None, 1.0, 5))
        contenders.append(Contender(CPP_SIGN, lambda: cpp_sign(PRIVATE_KEY, SAMPLE_HASH), None, 0.25, 2))
        rates = interleaved(contenders, ROUNDS)
    for contender in contenders:
        unit = "signatures/s" if contender.label == CPP_SIGN else "orders/s"
        mark = "  <- default" if contender.label == default_label else ""
        spread = f"(rounds {min(rates[contender.label]):.0f}-{max(rates[contender.label]):.0f})"
        print(f"{contender.label:79s} {statistics.median(rates[contender.label]):9.1f} {unit} {spread}{mark}")
    if default_label in rates:
        # Each round's ratio pairs rates measured seconds apart, under the same load.
        ratios = [ours_rate / builtin_rate for ours_rate, builtin_rate in zip(rates[default_label], rates[BUILTIN],
                                                                                strict=True)]
        print(f"ratio paradex_ccxt (default) / ccxt built-in: {statistics.median(ratios):.1f}x "
              f"(median of {ROUNDS} interleaved rounds, {min(ratios):.1f}-{max(ratios):.1f})")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
