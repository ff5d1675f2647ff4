"""Deposits, withdrawals, transfers (GET /transfers) and liquidations (GET /liquidations), replayed from cassettes
(cassettes/account_history/) and checked with ccxt's own structure validators."""
from __future__ import annotations

import pytest
from ccxt.base.errors import BadRequest
from ccxt.test.exchange.base import test_deposit_withdrawal as check_transaction
from ccxt.test.exchange.base import test_liquidation as check_liquidation
from ccxt.test.exchange.base import test_transfer as check_transfer

T = 1795310000000  # the newest transfer in the cassettes is T - 200 s
LATER = T + 60_000
SINCE = T - 7_000_000
ACCOUNT = "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32"
L1_ACCOUNT = "0x7b3c1f4e2a9d58c06e14b2a7f3d9e0c5a8b61d42"
VAULT = "0x5a1f0c3d7e92b84f6a13c05d2e8b7f49c61a03d58e2f7b914c6d0a3e85f21b7"
# A withdrawal not completed on the other chain has no hash there yet (external_txn_hash "").
NOT_ON_L1_YET = {"txid": True}
# Paradex's liquidation record is account-wide: it names no market.
ACCOUNT_WIDE = {"symbol": True}


# -- deposits -------------------------------------------------------------------------------------------------

async def test_deposits_are_the_deposit_rows_of_every_page_since(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml") as cassette:
        deposits = await trader.fetch_deposits(since=SINCE)
    assert cassette.play_count == 2
    assert [d["info"]["kind"] for d in deposits] == ["DEPOSIT", "DEPOSIT"]
    assert [d["timestamp"] for d in deposits] == [T - 6_000_000, T - 4_000_000]
    for deposit in deposits:
        check_transaction(trader, {}, "fetchDeposits", deposit, None, LATER)


async def test_deposit_comes_from_the_other_chain_to_the_account(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        deposit = (await trader.fetch_deposits(since=SINCE))[1]
    assert (deposit["type"], deposit["amount"], deposit["currency"], deposit["status"]) == (
        "deposit", 2500.0, "USDC", "ok")
    assert (deposit["network"], deposit["addressFrom"], deposit["addressTo"], deposit["address"]) == (
        "ERC20", L1_ACCOUNT, ACCOUNT, ACCOUNT)
    assert deposit["txid"] == deposit["info"]["external_txn_hash"]
    assert (deposit["updated"], deposit["internal"], deposit["comment"]) == (T - 3_880_000, False, None)


async def test_deposit_without_a_fee_has_no_fee_cost(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        deposit = (await trader.fetch_deposits(since=SINCE))[0]
    assert deposit["fee"] == {"cost": None, "currency": None}


async def test_deposits_limit_counts_deposits_not_rows_of_other_kinds(trader, vcr_cassette):
    # Pages of 2 rows, newest first: no deposit on the first two pages, one on the third, two on the fourth.
    with vcr_cassette("account_history/deposits_limit_over_pages.yaml") as cassette:
        deposits = await trader.fetch_deposits(limit=2)
    assert cassette.all_played
    assert [d["timestamp"] for d in deposits] == [T - 6_000_000, T - 4_000_000]


# -- withdrawals ----------------------------------------------------------------------------------------------

async def test_withdrawals_include_automatic_ones(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        withdrawals = await trader.fetch_withdrawals(since=SINCE)
    assert [w["info"]["kind"] for w in withdrawals] == ["WITHDRAWAL", "WITHDRAWAL", "AUTO_WITHDRAWAL"]
    assert {w["type"] for w in withdrawals} == {"withdrawal"}
    for withdrawal in withdrawals:
        skips = NOT_ON_L1_YET if not withdrawal["info"]["external_txn_hash"] else {}
        check_transaction(trader, skips, "fetchWithdrawals", withdrawal, "USDC", LATER)


async def test_withdrawal_goes_from_the_account_to_the_other_chain(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        automatic = (await trader.fetch_withdrawals(since=SINCE))[2]
    assert (automatic["addressFrom"], automatic["addressTo"], automatic["address"]) == (
        ACCOUNT, L1_ACCOUNT, L1_ACCOUNT)
    assert (automatic["amount"], automatic["status"], automatic["network"]) == (250.0, "ok", "ERC20")


async def test_automatic_withdrawal_carries_its_fee_in_usdc(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        automatic = (await trader.fetch_withdrawals(since=SINCE))[2]
    assert automatic["fee"] == {"cost": 4.5, "currency": "USDC"}


async def test_available_withdrawal_is_still_pending(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        available = (await trader.fetch_withdrawals(since=SINCE))[0]
    assert (available["info"]["status"], available["status"], available["txid"]) == ("AVAILABLE", "pending", None)


async def test_failed_withdrawal_keeps_paradex_failure_reason(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        failed = (await trader.fetch_withdrawals(since=SINCE))[1]
    assert (failed["status"], failed["comment"]) == ("failed", "Gas fee too low")


@pytest.mark.parametrize(("paradex", "unified"), [
    ("PENDING", "pending"), ("AVAILABLE", "pending"), ("COMPLETED", "ok"), ("FAILED", "failed"),
])
def test_transfer_status_maps_to_ccxt(trader, paradex, unified):
    assert trader.parse_transaction_status(paradex) == unified


async def test_deposits_withdrawals_are_both_kinds_in_time_order(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        movements = await trader.fetch_deposits_withdrawals(since=SINCE)
    assert [(m["type"], m["timestamp"]) for m in movements] == [
        ("deposit", T - 6_000_000), ("deposit", T - 4_000_000), ("withdrawal", T - 3_000_000),
        ("withdrawal", T - 2_000_000), ("withdrawal", T - 200_000)]


# -- transfers ------------------------------------------------------------------------------------------------

async def test_transfers_are_every_row_of_every_kind(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        transfers = await trader.fetch_transfers(since=SINCE)
    assert [t["info"]["kind"] for t in transfers] == [
        "DEPOSIT", "VAULT_WITHDRAWAL", "DEPOSIT", "WITHDRAWAL", "WITHDRAWAL", "VAULT_DEPOSIT", "AUTO_WITHDRAWAL"]
    for transfer in transfers:
        check_transfer(trader, {}, "fetchTransfers", transfer, "USDC")


async def test_transfer_into_a_vault_goes_from_the_account_to_the_vault(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        vault_deposit = (await trader.fetch_transfers(since=SINCE))[5]
    assert (vault_deposit["fromAccount"], vault_deposit["toAccount"]) == (ACCOUNT, VAULT)
    assert (vault_deposit["amount"], vault_deposit["currency"], vault_deposit["status"]) == (1000.0, "USDC", "ok")


async def test_incoming_transfer_goes_from_the_other_side_to_the_account(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_since.yaml"):
        transfers = await trader.fetch_transfers(since=SINCE)
    deposit, vault_withdrawal = transfers[0], transfers[1]
    assert (deposit["fromAccount"], deposit["toAccount"]) == (L1_ACCOUNT, ACCOUNT)
    assert (vault_withdrawal["fromAccount"], vault_withdrawal["toAccount"]) == (VAULT, ACCOUNT)


async def test_transfers_until_asks_paradex_for_end_at(trader, vcr_cassette):
    with vcr_cassette("account_history/transfers_until.yaml") as cassette:
        transfers = await trader.fetch_transfers(params={"until": T - 2_500_000})
    assert cassette.all_played
    assert max(t["timestamp"] for t in transfers) == T - 3_000_000


# -- liquidations ---------------------------------------------------------------------------------------------

async def test_my_liquidations_are_the_account_liquidations_oldest_first(trader, vcr_cassette):
    with vcr_cassette("account_history/my_liquidations.yaml") as cassette:
        liquidations = await trader.fetch_my_liquidations()
    assert cassette.all_played
    assert [entry["timestamp"] for entry in liquidations] == [T - 3 * 86_400_000, T - 86_400_000]
    for entry in liquidations:
        check_liquidation(trader, ACCOUNT_WIDE, "fetchMyLiquidations", entry, None)


async def test_my_liquidation_carries_its_transaction_hash_and_no_market(trader, vcr_cassette):
    with vcr_cassette("account_history/my_liquidations.yaml"):
        newest = (await trader.fetch_my_liquidations())[1]
    assert newest["id"] == newest["info"]["id"]
    assert (newest["symbol"], newest["contracts"], newest["price"], newest["side"]) == (None, None, None, None)


async def test_my_liquidations_limit_keeps_the_newest(trader, vcr_cassette):
    with vcr_cassette("account_history/my_liquidations.yaml"):
        liquidations = await trader.fetch_my_liquidations(limit=1)
    assert [entry["timestamp"] for entry in liquidations] == [T - 86_400_000]


async def test_my_liquidations_since_and_until_ask_paradex_for_from_and_to(trader, vcr_cassette):
    since, until = T - 4 * 86_400_000, T - 2 * 86_400_000
    with vcr_cassette("account_history/my_liquidations_range.yaml") as cassette:
        liquidations = await trader.fetch_my_liquidations(since=since, params={"until": until})
    assert cassette.all_played
    assert [entry["timestamp"] for entry in liquidations] == [T - 3 * 86_400_000]


async def test_my_liquidations_refuse_a_symbol_paradex_cannot_filter_by(trader):
    with pytest.raises(BadRequest, match="account-wide"):
        await trader.fetch_my_liquidations("BTC/USD:USDC")
