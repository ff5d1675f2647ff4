"""Money in and out of the account and its liquidations, in ccxt shapes.

GET /transfers lists every movement of the account's collateral: bridge deposits and withdrawals, vault deposits and
withdrawals, unwindings, airdrops. The deposit and withdrawal kinds become ccxt transactions; every row is also a
ccxt transfer. GET /liquidations lists the account's liquidations.
"""
from __future__ import annotations

from typing import Any

from ccxt.base.errors import BadRequest
from ccxt.base.precise import Precise

from .mixin_base import ExchangeBase
from .pagination import collect_pages, time_range

# Paradex documents only the default page size of /transfers (100): larger pages are not known to be accepted.
TRANSFERS_PAGE_MAX = 100
# Transfer kinds that cross a bridge to or from another chain, by ccxt transaction type.
DEPOSIT_KINDS = ("DEPOSIT",)
WITHDRAWAL_KINDS = ("WITHDRAWAL", "AUTO_WITHDRAWAL")
# Paradex's transfer status (its "external state") -> ccxt's. AVAILABLE is not final: the movement is not completed.
TRANSFER_STATUSES = {"PENDING": "pending", "AVAILABLE": "pending", "COMPLETED": "ok", "FAILED": "failed"}
# Paradex's external_chain names whose ccxt network code is spelled differently.
CHAIN_NETWORKS = {"ETHEREUM": "ERC20"}


class AccountHistoryMixin(ExchangeBase):
    # -- deposits and withdrawals ---------------------------------------------------------------------------------

    async def fetch_deposits(self, code: str | None = None, since: int | None = None, limit: int | None = None,
                             params: dict | None = None) -> list[dict]:
        """Bridge deposits (transfer kind DEPOSIT) from GET /transfers, all pages; params['until'] -> end_at,
        params['status'] (PENDING, AVAILABLE, COMPLETED, FAILED) is passed to Paradex."""
        return await self._fetch_transactions(DEPOSIT_KINDS, code, since, limit, params)

    async def fetch_withdrawals(self, code: str | None = None, since: int | None = None, limit: int | None = None,
                                params: dict | None = None) -> list[dict]:
        """Withdrawals to another chain (kinds WITHDRAWAL and AUTO_WITHDRAWAL) from GET /transfers, all pages."""
        return await self._fetch_transactions(WITHDRAWAL_KINDS, code, since, limit, params)

    async def fetch_deposits_withdrawals(self, code: str | None = None, since: int | None = None,
                                         limit: int | None = None, params: dict | None = None) -> list[dict]:
        """Deposits and withdrawals together, as fetch_deposits and fetch_withdrawals read them."""
        return await self._fetch_transactions(DEPOSIT_KINDS + WITHDRAWAL_KINDS, code, since, limit, params)

    async def _fetch_transactions(self, kinds: tuple[str, ...], code: str | None, since: int | None,
                                  limit: int | None, params: dict | None) -> list[dict]:
        await self.load_markets()
        currency = self.currency(code) if code is not None else None
        rows = await self._transfer_rows(kinds, currency, since, limit, params)
        return self.parse_transactions(rows, currency, since, limit)

    # Paradex's answer: an entry of GET /transfers:
    # {"id": "1795309800000201703989430007", "account":
    #     "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32", "kind": "AUTO_WITHDRAWAL", "status":
    #     "COMPLETED", "amount": "250", "token": "USDC", "created_at": 1795309800000, "last_updated_at": 1795309860000,
    #     "txn_hash": "0xa36a8433b6bfddadc8c65b7c8079f09011cc1a0f5de78fe213a419eb57311a7", "external_txn_hash":
    #     "0xc4e7e5bb18e9f67fdcb0da89d34c694efbc0a35e9bb884f951d51e676e35490a", "socialized_loss_factor": "0", "bridge":
    #     "STARKGATE", "external_chain": "ETHEREUM", "external_account": "0x7b3c1f4e2a9d58c06e14b2a7f3d9e0c5a8b61d42",
    #     "failure_reason": "", "direction": "OUT", "vault_address": "", "vault_unwind_completion_percentage": "",
    #     "counterparty": "", "auto_withdrawal_fee": "4.5"}
    def parse_transaction(self, transaction: dict, currency: dict | None = None) -> dict:
        """A Paradex transfer row of a deposit or withdrawal kind.

        `network` is the other chain (`external_chain`), `txid` the transaction on it (`external_txn_hash`); the
        Paradex chain's own transaction stays in info['txn_hash']. `comment` carries Paradex's `failure_reason`.
        """
        code = self.safe_currency_code(self.safe_string(transaction, "token"), currency)
        timestamp = self.safe_integer(transaction, "created_at")
        kind = self.safe_string(transaction, "kind")
        account = self.safe_string(transaction, "account")
        external = self.safe_string(transaction, "external_account")
        deposit = kind in DEPOSIT_KINDS
        address_from, address_to = (external, account) if deposit else (account, external)
        chain = self.safe_string(transaction, "external_chain")
        fee_cost = self.safe_string(transaction, "auto_withdrawal_fee")
        return {
            "info": transaction,
            "id": self.safe_string(transaction, "id"),
            "txid": self.safe_string(transaction, "external_txn_hash"),
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "network": self.safe_string(CHAIN_NETWORKS, chain, chain) if chain is not None else None,
            "address": address_to,
            "addressFrom": address_from,
            "addressTo": address_to,
            "tag": None,
            "tagFrom": None,
            "tagTo": None,
            "type": "deposit" if deposit else "withdrawal",
            "amount": self.parse_number(self._unsigned_amount(transaction)),
            "currency": code,
            "status": self.parse_transaction_status(self.safe_string(transaction, "status")),
            "updated": self.safe_integer(transaction, "last_updated_at"),
            # Only automatic withdrawals report a fee (auto_withdrawal_fee, in USDC).
            "fee": {"cost": self.parse_number(fee_cost), "currency": code if fee_cost is not None else None},
            # Both kinds cross a bridge to or from another chain.
            "internal": False,
            "comment": self.safe_string(transaction, "failure_reason"),
        }

    def parse_transaction_status(self, status: str | None) -> str | None:
        return self.safe_string(TRANSFER_STATUSES, status, status)

    # -- transfers ----------------------------------------------------------------------------------------------------

    async def fetch_transfers(self, code: str | None = None, since: int | None = None, limit: int | None = None,
                              params: dict | None = None) -> list[dict]:
        """Every row of GET /transfers (all kinds), all pages; params['until'] -> end_at."""
        await self.load_markets()
        currency = self.currency(code) if code is not None else None
        rows = await self._transfer_rows(None, currency, since, limit, params)
        return self.parse_transfers(rows, currency, since, limit)

    # Paradex's answer: an entry of GET /transfers:
    # {"id": "1795309800000201703989430007", "account":
    #     "0x69b0bb63a7f6e5286f7581c508620396fede654bf4d913ffe39ee6104d85d32", "kind": "AUTO_WITHDRAWAL", "status":
    #     "COMPLETED", "amount": "250", "token": "USDC", "created_at": 1795309800000, "last_updated_at": 1795309860000,
    #     "txn_hash": "0xa36a8433b6bfddadc8c65b7c8079f09011cc1a0f5de78fe213a419eb57311a7", "external_txn_hash":
    #     "0xc4e7e5bb18e9f67fdcb0da89d34c694efbc0a35e9bb884f951d51e676e35490a", "socialized_loss_factor": "0", "bridge":
    #     "STARKGATE", "external_chain": "ETHEREUM", "external_account": "0x7b3c1f4e2a9d58c06e14b2a7f3d9e0c5a8b61d42",
    #     "failure_reason": "", "direction": "OUT", "vault_address": "", "vault_unwind_completion_percentage": "",
    #     "counterparty": "", "auto_withdrawal_fee": "4.5"}
    def parse_transfer(self, transfer: dict, currency: dict | None = None) -> dict:
        """`direction` IN: from the other side to the account; OUT: the reverse. The other side is the counterparty,
        else the vault, else the account on the other chain (None when Paradex names none)."""
        timestamp = self.safe_integer(transfer, "created_at")
        account = self.safe_string(transfer, "account")
        other = self.safe_string_n(transfer, ["counterparty", "vault_address", "external_account"])
        incoming = self.safe_string(transfer, "direction") == "IN"
        return {
            "info": transfer,
            "id": self.safe_string(transfer, "id"),
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
            "currency": self.safe_currency_code(self.safe_string(transfer, "token"), currency),
            "amount": self.parse_number(self._unsigned_amount(transfer)),
            "fromAccount": other if incoming else account,
            "toAccount": account if incoming else other,
            "status": self.parse_transaction_status(self.safe_string(transfer, "status")),
        }

    def _unsigned_amount(self, transfer: dict) -> str | None:
        # ccxt amounts are unsigned: the direction says which way the money went.
        amount = self.safe_string(transfer, "amount")
        return Precise.string_abs(amount) if amount is not None else None

    async def _transfer_rows(self, kinds: tuple[str, ...] | None, currency: dict | None, since: int | None,
                             limit: int | None, params: dict | None) -> list[dict]:
        """GET /transfers through `collect_pages`, keeping only the wanted kinds and currency page by page, so that
        `limit` counts wanted rows and a page of other kinds never ends the search early."""
        request, params = time_range(self, {}, since, params)

        def wanted(row: dict) -> bool:
            if kinds is not None and self.safe_string(row, "kind") not in kinds:
                return False
            return currency is None or self.safe_currency_code(self.safe_string(row, "token")) == currency["code"]

        async def page(page_request: dict) -> dict:
            response = await self.privateGetTransfers(self.extend(page_request, params))
            rows = [row for row in self.safe_list(response, "results", []) if wanted(row)]
            return self.extend(response, {"results": rows})

        return await collect_pages(page, request, since, limit, TRANSFERS_PAGE_MAX)

    # -- liquidations -------------------------------------------------------------------------------------------------

    async def fetch_my_liquidations(self, symbol: str | None = None, since: int | None = None,
                                    limit: int | None = None, params: dict | None = None) -> list[dict]:
        """The account's liquidations, GET /liquidations (one unpaginated list); params['until'] -> to.

        Paradex liquidates an account as a whole and its record holds only the liquidation's transaction hash (`id`)
        and time: no market, size or price, so `symbol` and the amounts are None and no symbol can be asked for.
        The positions it closed are the account's fills with fill_type LIQUIDATION (fetch_my_trades, info).
        """
        if symbol is not None:
            raise BadRequest(self.id + " fetchMyLiquidations() cannot filter by symbol: Paradex's liquidation "
                             "records are account-wide and name no market; call it without a symbol")
        await self.load_markets()
        # The default window of `from` is undocumented, so the whole history is asked for explicitly (1: the
        # earliest non-zero start, as ccxt's built-in paradex sends).
        request: dict[str, Any] = {"from": since if since is not None else 1}
        request, params = self.handle_until_option("to", request, self.omit(params or {}, ["paginate"]))
        response = await self.privateGetLiquidations(self.extend(request, params))
        return self.parse_liquidations(self.safe_list(response, "results", []), None, since, limit)

    # Paradex's answer: an entry of GET /liquidations:
    # {"created_at": 1795223600000, "id": "0x935e70d3980c6f24132bb83215de15a6300c6bbff82cd5dbb90c75a938d0b57"}
    def parse_liquidation(self, liquidation: dict, market: dict | None = None) -> dict:
        timestamp = self.safe_integer(liquidation, "created_at")
        return self.safe_liquidation({
            "info": liquidation,
            "id": self.safe_string(liquidation, "id"),
            "symbol": None,
            "contracts": None,
            "contractSize": None,
            "price": None,
            "side": None,
            "baseValue": None,
            "quoteValue": None,
            "timestamp": timestamp,
            "datetime": self.iso8601(timestamp),
        })
