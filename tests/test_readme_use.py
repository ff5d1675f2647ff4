"""The README's "Use" example runs as written against a local sandbox, switched there by the environment only."""
from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def use_example() -> str:
    section = README.read_text().split("## Use\n", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)


async def test_use_example_runs_against_the_sandbox_with_the_environment_switch(sandbox, sandbox_account):
    env = dict(os.environ, PARADEX_CCXT_API_URL=sandbox.api_url,
               PARADEX_L2_PRIVATE_KEY=hex(sandbox_account.private_key), PARADEX_L2_ADDRESS=hex(sandbox_account.address),
               PYTHONPATH=str(README.parent))
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", use_example(), env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 120)
    assert (process.returncode, err.decode()) == (0, "")
    assert out.decode().split() == ["canceled", "0.0", "0.004"]
