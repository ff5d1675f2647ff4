"""Sandbox accounts that outlive a restart: keys fixed by the seed, and the state file of onboarded accounts."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from paradex_ccxt.sandbox import Sandbox
from paradex_ccxt.sandbox.accounts import (
    StateFileError,
    create_seeded_accounts,
    load_state,
    save_state,
    seeded_private_key,
)


def test_a_seed_gives_the_same_accounts_in_every_sandbox():
    first = [a.address for a in create_seeded_accounts(Sandbox(), seed=3, count=2)]
    again = [a.address for a in create_seeded_accounts(Sandbox(), seed=3, count=2)]
    assert first == again and first[0] != first[1]


def test_another_seed_gives_other_accounts():
    assert seeded_private_key(3, 0) != seeded_private_key(4, 0)


def test_state_file_restores_accounts_with_their_balance(tmp_path):
    path = tmp_path / "state.json"
    before = Sandbox()
    account = before.create_account(balance="2500")
    before.engine.ledger.deposit(hex(account.address), Decimal(500))
    assert save_state(before, path) == 1
    after = Sandbox()
    assert load_state(after, path) == 1
    assert after.engine.ledger.get(hex(account.address)).balance == Decimal(3000)


def test_state_file_restores_an_account_onboarded_with_an_ethereum_address(tmp_path):
    path = tmp_path / "state.json"
    before = Sandbox()
    account = before.create_account(eth_address="0x" + "ab" * 20)
    save_state(before, path)
    after = Sandbox()
    load_state(after, path)
    assert after.engine.ledger.get(hex(account.address)).eth_address == "0x" + "ab" * 20


def test_state_file_holds_no_private_key(tmp_path):
    path = tmp_path / "state.json"
    sandbox = Sandbox()
    account = sandbox.create_account()
    save_state(sandbox, path)
    assert format(account.private_key, "x") not in path.read_text()


def test_a_restored_seeded_account_keeps_its_balance_rather_than_being_funded_again(tmp_path):
    path = tmp_path / "state.json"
    before = Sandbox(starting_balance=Decimal(100))
    (account,) = create_seeded_accounts(before, seed=1, count=1)
    before.engine.ledger.deposit(hex(account.address), Decimal(50))
    save_state(before, path)
    after = Sandbox(starting_balance=Decimal(100))
    load_state(after, path)
    create_seeded_accounts(after, seed=1, count=1)
    assert after.engine.ledger.get(hex(account.address)).balance == Decimal(150)


@pytest.mark.parametrize("content", ['{"version": 99, "accounts": []}', '{"version": 1, "accounts": [{}]}', "[]"])
def test_a_file_that_is_no_state_is_refused_with_its_name(tmp_path, content):
    path = tmp_path / "state.json"
    path.write_text(content)
    with pytest.raises(StateFileError, match="state.json"):
        load_state(Sandbox(), path)


def test_state_file_is_json_with_a_version(tmp_path):
    path = tmp_path / "state.json"
    sandbox = Sandbox()
    sandbox.create_account()
    save_state(sandbox, path)
    assert json.loads(path.read_text())["version"] == 1
