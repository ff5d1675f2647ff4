"""The status table: every Paradex status x cancel_reason row -> one unified status."""
from __future__ import annotations

import pytest

from paradex_ccxt.orders import CANCEL_REASONS, CANCELED, EXPIRED, REJECTED, unified_status

ENDED_BY_USER_OR_SYSTEM = ["USER_CANCELED", "DELEVERAGE", "IN_LIQUIDATION", "MMP_TRIGGERED", "ASSET_EXPIRED",
                           "ASSET_UNAVAILABLE", "UNEXPECTED_FAILURE"]
REFUSED_BEFORE_RESTING = ["NOT_ENOUGH_MARGIN", "ORDER_EXCEEDS_POSITION_LIMIT", "ORDER_SIZE_BELOW_MIN",
                          "REDUCE_ONLY_WILL_INCREASE", "POST_ONLY_WOULD_CROSS", "MARKET_NOT_OPEN", "ORDER_TYPE_INVALID",
                          "PRICE_NOT_AVAILABLE", "MMP_FROZEN", "MMP_DISABLED", "MMP_GREEKS_UNAVAILABLE",
                          "MMP_NOT_CONFIGURED"]
ENDED_BY_OWN_INSTRUCTION = ["REMAINING_IOC_CANCEL", "EMPTY_MARKET", "EXCEEDS_MAX_SLIPPAGE", "SELF_TRADE", "EXPIRED",
                            "TIMEOUT"]


def test_the_table_classifies_every_known_reason_exactly_once():
    listed = ENDED_BY_USER_OR_SYSTEM + REFUSED_BEFORE_RESTING + ENDED_BY_OWN_INSTRUCTION
    assert sorted(listed) == sorted(CANCEL_REASONS)
    assert len(set(listed)) == len(listed)


@pytest.mark.parametrize("status", ["NEW", "UNTRIGGERED", "OPEN"])
@pytest.mark.parametrize("remaining", ["0.01", "0.004"])
def test_live_statuses_are_open_filled_or_not(status, remaining):
    assert unified_status(status, "", "0.01", remaining) == "open"


@pytest.mark.parametrize("reason", ["", "USER_CANCELED"])
def test_closed_with_nothing_remaining_is_closed(reason):
    assert unified_status("CLOSED", reason, "0.01", "0") == "closed"


@pytest.mark.parametrize("reason", ENDED_BY_USER_OR_SYSTEM)
def test_closed_by_user_or_system_with_nothing_filled_is_canceled(reason):
    assert CANCEL_REASONS[reason] == CANCELED
    assert unified_status("CLOSED", reason, "0.01", "0.01") == "canceled"


@pytest.mark.parametrize("reason", ENDED_BY_USER_OR_SYSTEM)
def test_closed_by_user_or_system_after_a_partial_fill_is_canceled(reason):
    assert unified_status("CLOSED", reason, "0.01", "0.004") == "canceled"


@pytest.mark.parametrize("reason", REFUSED_BEFORE_RESTING)
def test_refused_by_risk_or_validation_with_nothing_filled_is_rejected(reason):
    assert CANCEL_REASONS[reason] == REJECTED
    assert unified_status("CLOSED", reason, "0.01", "0.01") == "rejected"


@pytest.mark.parametrize("reason", REFUSED_BEFORE_RESTING)
def test_a_refusal_after_a_partial_fill_is_canceled_not_rejected(reason):
    assert unified_status("CLOSED", reason, "0.01", "0.004") == "canceled"


@pytest.mark.parametrize("reason", ENDED_BY_OWN_INSTRUCTION)
def test_ended_by_its_own_instruction_with_nothing_filled_is_expired(reason):
    assert CANCEL_REASONS[reason] == EXPIRED
    assert unified_status("CLOSED", reason, "0.01", "0.01") == "expired"


@pytest.mark.parametrize("reason", ENDED_BY_OWN_INSTRUCTION)
def test_ended_by_its_own_instruction_after_a_partial_fill_is_canceled_the_ccxt_way(reason):
    assert unified_status("CLOSED", reason, "0.01", "0.006") == "canceled"


def test_an_unknown_reason_is_canceled():
    assert unified_status("CLOSED", "SOME_FUTURE_REASON", "0.01", "0.01") == "canceled"


def test_closed_with_no_reason_and_something_remaining_is_canceled():
    assert unified_status("CLOSED", "", "0.01", "0.01") == "canceled"


def test_an_unknown_paradex_status_has_no_unified_status():
    assert unified_status("PENDING", "", "0.01", "0.01") is None


@pytest.mark.parametrize(("reason", "expected"), [("USER_CANCELED", "canceled"), ("", "closed"),
                                                  ("REDUCE_ONLY_WILL_INCREASE", "rejected")])
def test_a_closed_whole_position_order_ends_as_its_reason_says(reason, expected):
    assert unified_status("CLOSED", reason, "0", "0") == expected
