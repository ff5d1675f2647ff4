"""Confirming cancels: Paradex queues a cancel (HTTP 204) and settles it asynchronously, so the cancel methods read
the orders again until each is CLOSED or the deadline passes, and return the final state they saw.

With a live order stream (watch_orders), the CLOSED updates come from it and cost no request. Without one, or for
what it did not confirm in time, cost and time are bounded by reads: a round reads one order (GET /orders/{id},
else the history) when one is being confirmed, and for several orders the open-orders list plus one page of
history, whatever their number. The
deadline (options['cancelOrderConfirmTimeout'], params['confirmTimeout']) is wall-clock: past the first round, a
round still in flight when it passes is abandoned, and a look-up that fails only leaves its orders pending
(``cancelPending``), never raises.
"""
from __future__ import annotations

import asyncio
from typing import Any

from ccxt.base.errors import BaseError

from .mixin_base import ExchangeBase
from .order_lookup import HISTORY_PAGE, ID_TIME_SLACK_MS, Deadline, time_in_id
from .orders import CANCEL_PENDING, CLOSED, NOT_FOUND

# First wait before re-checking a queued cancel; later waits double up to options['cancelOrderConfirmInterval'].
FIRST_RECHECK_MS = 25


def recheck_waits(timeout: int, interval: int) -> list[int]:
    """The waits (ms) between look-ups of a queued cancel: FIRST_RECHECK_MS, doubling up to `interval`, as many as
    fit in `timeout`. A cancel usually settles within milliseconds, and a slow one should not cost a look-up every
    few ms."""
    waits: list[int] = []
    wait, total = min(FIRST_RECHECK_MS, interval), 0
    while total + wait <= timeout:
        waits.append(wait)
        total += wait
        wait = min(wait * 2, interval)
    return waits


class CancelConfirmationMixin(ExchangeBase):
    def _confirm_timeout(self, params: dict) -> int:
        default = self.safe_integer(self.options, "cancelOrderConfirmTimeout", 2000)
        return max(0, self.safe_integer(params, "confirmTimeout", default))

    async def _confirm_cancels(self, refs: list[dict], timeout: int) -> list[dict]:
        """The final state of each order whose cancel Paradex queued, as unified orders with cancelPending.

        `refs` hold id / client_id / market and optionally created (ms) and the order as last seen ('seen')."""
        latest: list[dict | None] = [ref.get("seen") for ref in refs]
        todo = [i for i in range(len(refs)) if timeout > 0 and self.safe_string(latest[i], "status") != CLOSED]
        deadline = Deadline(timeout)
        interval = max(1, self.safe_integer(self.options, "cancelOrderConfirmInterval", 250))
        waits = iter(recheck_waits(timeout, interval))
        # A live order stream (streaming.py) delivers the CLOSED updates: no reads. It had the whole timeout, so
        # what it did not confirm gets one last round of reads.
        streamed = await self.wait_closed_on_stream([refs[i] for i in todo], timeout) if todo else None
        if streamed is not None:
            for i in todo:
                latest[i] = streamed.get(refs[i]["id"], latest[i])
            todo = [i for i in todo if refs[i]["id"] not in streamed]
            waits = iter(())
        history: dict[str, Any] = {}
        first = True
        while todo:
            if not first:
                wait = next(waits, None)
                if wait is None or deadline.remaining() <= wait / 1000:
                    break
                await asyncio.sleep(wait / 1000)
            # The first round always completes (a deadline shorter than one round trip still gets one look); later
            # ones are abandoned when the deadline passes.
            limit = None if first else deadline.remaining()
            first = False
            try:
                seen = await asyncio.wait_for(self._confirmation_round([refs[i] for i in todo], history), limit)
            except (asyncio.TimeoutError, BaseError):
                continue  # nothing learnt this round; the cancel stays pending unless a later round sees it closed
            for i, order in zip(todo, seen, strict=True):
                if order is not None:
                    latest[i] = order
                    refs[i]["id"] = self.safe_string(order, "id", refs[i]["id"])
            todo = [i for i in todo if self.safe_string(latest[i], "status") != CLOSED]
        return [self._cancel_result(ref, order, self.safe_string(order, "status") != CLOSED)
                for ref, order in zip(refs, latest, strict=True)]

    async def wait_closed_on_stream(self, refs: list[dict], timeout_ms: int) -> dict[str, dict] | None:
        """The CLOSED updates a live order stream delivers for `refs` within the timeout, by order id; None when no
        stream covers them (StreamingMixin answers when one does)."""
        return None

    async def _confirmation_round(self, refs: list[dict], history: dict[str, Any]) -> list[dict | None]:
        """One look at the orders in `refs`: each as Paradex now has it, or None when this round did not find it.
        `history` carries the history cursor from round to round, so that a long history is read a page a round."""
        if len(refs) == 1:
            ref = refs[0]
            if ref.get("id") is not None:
                return [await self._order_by_id(ref["id"], ref.get("market"), ref.get("created"))]
            return [await self._order_by_client_id(ref["client_id"], ref.get("market"))]
        markets = {ref.get("market") for ref in refs}
        scope = {"market": markets.pop()} if len(markets) == 1 and None not in markets else {}
        listing = await self._open_orders_page(dict(scope))
        open_orders = self.safe_list(listing, "results", [])
        found = [self._match(ref, open_orders) for ref in refs]
        gone = [n for n, order in enumerate(found) if order is None]
        if gone:
            page = await self._history_page(self._history_request([refs[n] for n in gone], scope, history))
            history["cursor"] = self.safe_string(page, "next")
            for n in gone:
                found[n] = self._match(refs[n], self.safe_list(page, "results", []))
        return found

    def _history_request(self, refs: list[dict], scope: dict, history: dict[str, Any]) -> dict:
        """One history page around the creation times of `refs` (known, or read from their ids), continuing the
        previous round's cursor when it had more."""
        times = [ref.get("created") or time_in_id(ref.get("id")) for ref in refs]
        known = [t for t in times if t is not None]
        request: dict[str, Any] = {**scope, "page_size": HISTORY_PAGE}
        if known and len(known) == len(times):
            request.update(start_at=min(known) - ID_TIME_SLACK_MS, end_at=max(known) + ID_TIME_SLACK_MS)
        if history.get("cursor"):
            request["cursor"] = history["cursor"]
        return request

    def _match(self, ref: dict, orders: list[dict]) -> dict | None:
        for order in orders:
            if ref.get("id") is not None and self.safe_string(order, "id") == ref["id"]:
                return order
            if ref.get("id") is None and ref.get("client_id") is not None and \
                    self.safe_string(order, "client_id") == ref["client_id"]:
                return order
        return None

    def _cancel_result(self, ref: dict, order: dict | None, pending: bool) -> dict:
        if order is not None:
            result = self.parse_order(order)
        else:
            market = self.safe_market(ref.get("market"))
            result = self.safe_order({
                "id": ref.get("id"),
                "clientOrderId": ref.get("client_id"),
                "symbol": market["symbol"],
                "status": "open" if pending else None,
                "cancelReason": None,
                "info": {},
            }, market)
        result[CANCEL_PENDING] = pending
        result[NOT_FOUND] = False
        return result

    def _not_found(self, ref: dict, result: dict | None) -> dict:
        market = self.safe_market(self.safe_string(result, "market", ref["market"]))
        order = self.safe_order({
            "id": ref["id"],
            "clientOrderId": ref["client_id"],
            "symbol": market["symbol"],
            "status": None,
            "cancelReason": None,
            "info": result if result is not None else {},
        }, market)
        order[CANCEL_PENDING] = False
        order[NOT_FOUND] = True
        return order
