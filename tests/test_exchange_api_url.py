"""PARADEX_CCXT_API_URL: one environment variable points the class at another Paradex (a local sandbox)."""
from __future__ import annotations

from paradex_ccxt import paradex
from paradex_ccxt.exchange import PRODUCTION_URL, TESTNET_URL

LOCAL = "http://127.0.0.1:8080/v1"


def test_without_the_variable_the_class_talks_to_paradex(monkeypatch):
    monkeypatch.delenv("PARADEX_CCXT_API_URL", raising=False)
    exchange = paradex()
    assert exchange.urls["api"]["v1"] == PRODUCTION_URL
    exchange.set_sandbox_mode(True)
    assert exchange.urls["api"]["v1"] == TESTNET_URL


def test_the_variable_replaces_the_production_url(monkeypatch):
    monkeypatch.setenv("PARADEX_CCXT_API_URL", LOCAL)
    assert paradex().urls["api"]["v1"] == LOCAL


def test_the_variable_survives_sandbox_mode(monkeypatch):
    monkeypatch.setenv("PARADEX_CCXT_API_URL", LOCAL)
    exchange = paradex()
    exchange.set_sandbox_mode(True)
    assert exchange.urls["api"]["v1"] == LOCAL


def test_a_configured_api_url_wins_over_the_variable(monkeypatch):
    monkeypatch.setenv("PARADEX_CCXT_API_URL", LOCAL)
    assert paradex({"urls": {"api": {"v1": "http://elsewhere/v1"}}}).urls["api"]["v1"] == "http://elsewhere/v1"
