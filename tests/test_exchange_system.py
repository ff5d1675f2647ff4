"""Public system calls, replayed from cassettes."""
from __future__ import annotations


async def test_fetch_time_is_the_server_time_in_ms(exchange, vcr_cassette):
    with vcr_cassette("system/time_and_state.yaml"):
        assert await exchange.fetch_time() == 1763787600123


async def test_fetch_status_ok(exchange, vcr_cassette):
    with vcr_cassette("system/time_and_state.yaml"):
        status = await exchange.fetch_status()
    assert status["status"] == "ok"
    assert status["info"] == {"status": "ok"}


async def test_fetch_status_cancel_only_is_maintenance(exchange, vcr_cassette):
    with vcr_cassette("system/state_cancel_only.yaml"):
        status = await exchange.fetch_status()
    assert status["status"] == "maintenance"
