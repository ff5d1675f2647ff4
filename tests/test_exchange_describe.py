"""describe(): what the exchange declares matches what its methods do."""
from __future__ import annotations

import pytest

from paradex_ccxt import paradex
from paradex_ccxt.trading import BATCH_SIZE


@pytest.fixture
async def declared():
    exchange = paradex()
    try:
        yield exchange
    finally:
        await exchange.close()


def test_features_declare_the_time_in_force_values_create_order_accepts(declared):
    accepted = declared.features["swap"]["linear"]["createOrder"]["timeInForce"]
    assert {k for k, v in accepted.items() if v} == {"GTC", "IOC", "PO"}


def test_features_declare_the_batch_size_create_orders_uses(declared):
    assert declared.features["swap"]["linear"]["createOrders"]["max"] == BATCH_SIZE


def test_features_declare_stop_loss_and_take_profit_orders(declared):
    create = declared.features["swap"]["linear"]["createOrder"]
    assert create["stopLossPrice"] and create["takeProfitPrice"] and create["triggerPrice"]


def test_sandbox_mode_switches_to_paradex_testnet(declared):
    declared.set_sandbox_mode(True)
    assert declared.urls["api"]["v1"] == "https://api.testnet.paradex.trade/v1"


def test_implicit_endpoint_methods_exist_in_both_spellings(declared):
    assert declared.privateGetOrdersByClientIdClientId == declared.private_get_orders_by_client_id_client_id
    assert callable(declared.publicPostAuthPublicKey)
