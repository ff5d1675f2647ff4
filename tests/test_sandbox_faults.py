"""Fault rules: which requests they hit and how often (the HTTP effects are in test_sandbox_faults_http.py)."""
from __future__ import annotations

import pytest

from paradex_ccxt.sandbox.faults import Fault, FaultKind, Faults


def test_fault_fires_once_by_default_then_disappears():
    faults = Faults()
    faults.error(503, method="POST", path="/v1/orders")
    assert [f.kind for f in faults.take("POST", "/v1/orders")] == [FaultKind.ERROR]
    assert faults.take("POST", "/v1/orders") == []
    assert faults.rules == []


def test_fault_scope_is_method_and_path_glob():
    faults = Faults()
    faults.drop_before(method="DELETE", path="/v1/orders*", count=None)
    assert faults.take("GET", "/v1/orders/1") == []
    assert faults.take("DELETE", "/v1/markets") == []
    assert len(faults.take("delete", "/v1/orders/by_client_id/x")) == 1
    assert len(faults.take("DELETE", "/v1/orders")) == 1


def test_skip_lets_the_first_matching_requests_through():
    faults = Faults()
    rule = faults.throttle(path="/v1/orders", skip=2, count=1)
    assert faults.take("POST", "/v1/orders") == []
    assert faults.take("GET", "/v1/orders") == []
    assert faults.take("POST", "/v1/orders") == [rule]
    assert rule.seen == 3 and rule.hits == 1


def test_count_none_fires_until_cleared():
    faults = Faults()
    faults.latency(0.01, count=None)
    assert all(faults.take("GET", "/v1/markets") for _ in range(10))
    faults.clear()
    assert faults.take("GET", "/v1/markets") == []


def test_several_faults_can_fire_on_one_request_in_order_added():
    faults = Faults()
    slow = faults.latency(0.05)
    broken = faults.malformed()
    assert faults.take("GET", "/v1/system/time") == [slow, broken]


def test_remove_by_id():
    faults = Faults()
    rule = faults.empty(count=None)
    assert faults.remove(rule.id)
    assert not faults.remove(rule.id)
    assert faults.take("GET", "/v1/markets") == []


def test_error_helper_picks_paradex_code_for_the_status():
    faults = Faults()
    assert faults.error(503).error == "SERVICE_UNAVAILABLE"
    assert faults.error(500).error == "INTERNAL_ERROR"
    assert faults.error(502, body="<html>bad gateway</html>").body == "<html>bad gateway</html>"


def test_kinds_after_processing_are_the_ones_that_let_the_request_commit():
    assert {k for k in FaultKind if k.after_processing} == {FaultKind.DROP_AFTER, FaultKind.MALFORMED, FaultKind.EMPTY}


def test_json_round_trip_for_the_admin_endpoint():
    rule = Fault.from_json({"kind": "error", "method": "post", "path": "/v1/orders", "status": 500, "count": 2})
    data = rule.to_json()
    assert data["kind"] == "error" and data["method"] == "POST" and data["status"] == 500 and data["count"] == 2
    assert data["hits"] == 0


@pytest.mark.parametrize("data", [{"method": "GET"}, {"kind": "nonsense"}, {"kind": "error", "colour": "red"},
                                  {"kind": "latency", "count": 0}])
def test_invalid_fault_json_is_refused(data):
    with pytest.raises(ValueError):
        Fault.from_json(data)
