"""Order-signing throughput: paradex_ccxt against ccxt's built-in paradex, on one core, offline.

Run from the repository root:

    python bench/signing.py

Prints orders hashed + signed per second (one core, domain separator and type hashes cached) for
  - paradex_ccxt with each installed crypto backend: the default (starknet-pathfinder-crypto Pedersen +
    fast-stark-crypto ECDSA), fast-stark-crypto alone, and the crypto-cpp fallback (starknet-py);
  - ccxt's built-in `paradex.sign_order_request` (system config and L2 account injected: no network);
  - starknet-py's crypto-cpp ECDSA sign alone;
and the ratio default / ccxt. The whole run takes about 16 s.
Every signature produced here is checked once with starknet-py's verifier before timing starts.
"""
from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

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


def ours(backend: signing.Backend, budget_s: float, min_runs: int) -> float:
    """Full per-order work as the orders code does it: scale size/price, hash, sign, format."""
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
        return rate(sign_order, budget_s, min_runs)
    finally:
        signing.use_backend(previous)


def ccxt_builtin(budget_s: float, min_runs: int) -> float:
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
        return rate(sign_order, budget_s, min_runs)
    finally:
        loop.run_until_complete(exchange.close())
        loop.close()


def main() -> None:
    # Rates halve when other processes share the two cores; the load average says whether they did.
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    contenders = [
        ("starknet-pathfinder-crypto", "fast-stark-crypto", 4.0, 1000),
        ("fast-stark-crypto", "fast-stark-crypto", 3.0, 500),
        ("crypto-cpp", "crypto-cpp", 2.0, 5),
    ]
    rates = {}
    for pedersen, ecdsa, budget_s, min_runs in contenders:
        try:
            backend = signing.make_backend(pedersen, ecdsa)
        except ImportError:
            print(f"{pedersen} + {ecdsa}: not installed, skipped")
            continue
        rates[pedersen, ecdsa] = ours(backend, budget_s, min_runs)
    builtin = ccxt_builtin(budget_s=4.0, min_runs=20)
    cpp_sign = signing.make_backend("crypto-cpp", "crypto-cpp").sign
    cpp_sign_rate = rate(lambda: cpp_sign(PRIVATE_KEY, SAMPLE_HASH), budget_s=1.0, min_runs=5)
    active = signing.backend()
    for (pedersen, ecdsa), value in rates.items():
        mark = "  <- default" if (pedersen, ecdsa) == (active.pedersen, active.ecdsa) else ""
        print(f"paradex_ccxt  pedersen={pedersen:27s} ecdsa={ecdsa:18s} {value:9.1f} orders/s{mark}")
    print(f"ccxt {ccxt_async.__version__} built-in paradex.sign_order_request{'':27s} {builtin:9.1f} orders/s")
    print(f"starknet-py crypto-cpp message_signature alone{'':33s} {cpp_sign_rate:9.1f} signatures/s")
    best = rates.get((active.pedersen, active.ecdsa))
    if best is not None:
        print(f"ratio paradex_ccxt (default) / ccxt built-in: {best / builtin:.1f}x")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
