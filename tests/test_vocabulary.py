"""Paradex's order vocabulary, checked member by member against Paradex's API schema (OrderResp and the batch
error), and the groups and maps built from it."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from paradex_ccxt import vocabulary as v

DATA = Path(__file__).parent / "data"
SCHEMAS = json.loads((DATA / "paradex_api_schemas.json").read_text())
ORDER_FIELDS = SCHEMAS["schemas"]["OrderResp"]["fields"]


def enum(field: str) -> set[str]:
    declared = ORDER_FIELDS[field]
    return set(declared["array"]["enum"] if "array" in declared else declared["enum"])


@pytest.mark.parametrize(("members", "field"), [
    (v.SIDES, "side"), (v.ORDER_TYPES, "type"), (v.INSTRUCTIONS, "instruction"), (v.STP_MODES, "stp"),
    (v.FLAGS, "flags"), (v.ORDER_STATUSES, "status"),
], ids=["side", "type", "instruction", "stp", "flags", "status"])
def test_each_set_holds_exactly_the_values_paradex_declares(members, field):
    assert set(members) == enum(field)


@pytest.mark.parametrize("namespace", [v.Side, v.OrderType, v.Instruction, v.Stp, v.Flag, v.OrderStatus,
                                       v.CancelReason])
def test_every_named_value_is_spelled_as_its_name(namespace):
    named = {name: value for name, value in vars(namespace).items() if name.isupper()}
    assert named and all(name == value for name, value in named.items())


def test_cancel_reason_is_a_free_string_and_every_reason_in_the_recorded_orders_is_named():
    assert ORDER_FIELDS["cancel_reason"] == "string"
    orders = json.loads((DATA / "orders" / "orders.json").read_text()).values()
    recorded = {o["cancel_reason"] for o in orders if o.get("cancel_reason")} - {"SOME_FUTURE_REASON"}
    assert recorded and recorded <= v.CANCEL_REASONS


def test_the_batch_limit_is_the_documented_one():
    [(_, status, code, basis)] = [e for e in SCHEMAS["errors"] if e[0] == "batch_too_large"]
    assert (status, code) == (400, "BATCH_SIZE_OUT_OF_RANGE")
    assert f"1 to {v.BATCH_MAX_ORDERS} orders" in basis


def test_trigger_types_are_the_types_with_a_trigger_part():
    assert v.TRIGGER_TYPES == {kind for kind, (trigger, _) in v.ORDER_TYPE_PARTS.items() if trigger is not None}


def test_tpsl_types_are_the_take_profit_and_stop_loss_types():
    assert v.TPSL_TYPES == {kind for kind, (trigger, _) in v.ORDER_TYPE_PARTS.items()
                            if trigger in (v.TAKE_PROFIT, v.STOP_LOSS)}


def test_market_types_are_the_types_that_execute_at_market():
    assert v.MARKET_TYPES == {kind for kind, (_, execution) in v.ORDER_TYPE_PARTS.items()
                              if execution == v.OrderType.MARKET}


def test_every_order_type_has_parts_and_the_reverse_map_gives_it_back():
    assert set(v.ORDER_TYPE_PARTS) == v.ORDER_TYPES
    assert all(v.ORDER_TYPE_OF_PARTS[parts] == kind for kind, parts in v.ORDER_TYPE_PARTS.items())


def test_open_statuses_are_every_status_but_closed():
    assert v.OPEN_STATUSES == v.ORDER_STATUSES - {v.OrderStatus.CLOSED}

