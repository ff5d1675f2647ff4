"""What importing the package loads: the order path needs neither sympy nor starknet-py, and the sandbox runs
without ccxt installed (other Paradex clients use it with the sandbox's own dependencies)."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(code: str) -> dict:
    """Run `code` in a fresh interpreter (nothing imported yet) and return the JSON it prints last."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_placing_an_order_imports_neither_sympy_nor_starknet_py():
    result = run("""
        import asyncio, json, sys
        from paradex_ccxt import paradex
        from paradex_ccxt.sandbox import Sandbox

        async def main():
            async with Sandbox(seed=1) as sb:
                ex = paradex({"options": {"paradexAccount": sb.create_account().paradex_account}})
                ex.urls["api"] = {"v1": sb.api_url}
                try:
                    bid = (await ex.fetch_ticker("BTC/USD:USDC"))["bid"]
                    return await ex.create_order("BTC/USD:USDC", "limit", "buy", 0.01, round(bid * 0.9))
                finally:
                    await ex.close()
        order = asyncio.run(main())
        print(json.dumps({"status": order["status"],
                          "loaded": sorted(m for m in ("sympy", "starknet_py") if m in sys.modules)}))
    """)
    assert result == {"status": "open", "loaded": []}


def test_the_sandbox_logs_in_and_takes_a_signed_order_with_ccxt_unimportable():
    result = run("""
        import asyncio, json, sys, time

        class NoCcxt:
            def find_spec(self, name, path=None, target=None):
                if name == "ccxt" or name.startswith("ccxt."):
                    raise ImportError(f"{name} is blocked for this test")

        sys.meta_path.insert(0, NoCcxt())
        import aiohttp
        from paradex_ccxt import signing
        from paradex_ccxt.sandbox import Sandbox

        async def main():
            async with Sandbox(seed=1) as sb:
                account = sb.create_account()
                signer = signing.StarkSigner(account.private_key)
                now = int(time.time())
                login = {"PARADEX-STARKNET-ACCOUNT": hex(account.address), "PARADEX-TIMESTAMP": str(now),
                         "PARADEX-SIGNATURE-EXPIRATION": str(now + 60),
                         "PARADEX-STARKNET-SIGNATURE": signing.format_signature(
                             *signer.sign(signing.auth_hash(sb.chain_id, account.address, now, now + 60)))}
                signed_at = int(time.time() * 1000)
                msg_hash = signing.order_hash(sb.chain_id, account.address, signed_at, "BTC-USD-PERP", "BUY", "LIMIT",
                                              signing.chain_units("0.01"), signing.chain_units("1000"))
                order = {"market": "BTC-USD-PERP", "side": "BUY", "type": "LIMIT", "size": "0.01", "price": "1000",
                         "instruction": "GTC", "signature_timestamp": signed_at,
                         "signature": signing.format_signature(*signer.sign(msg_hash))}
                async with aiohttp.ClientSession() as http:
                    async with http.post(sb.api_url + "/auth", headers=login) as response:
                        jwt = (await response.json())["jwt_token"]
                    async with http.post(sb.api_url + "/orders", json=order,
                                         headers={"Authorization": f"Bearer {jwt}"}) as response:
                        return response.status, await response.json()
        status, placed = asyncio.run(main())
        print(json.dumps({"status": status, "order": placed.get("status"), "ccxt": "ccxt" in sys.modules,
                          "sympy": "sympy" in sys.modules}))
    """)
    assert (result["status"], result["order"]) == (201, "NEW")
    assert not result["ccxt"] and not result["sympy"]
