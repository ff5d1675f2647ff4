"""The unified order methods: create (single, batch), cancel (single, batch, all), fetch, edit.

Each method validates its arguments (order_input, orders), then hands the work to the room that keeps its promise:
placement.py (no duplicate, no lost order), cancel_confirmation.py (a cancel result is the order's real final state),
order_lookup.py (an order found again in any state). The rule they share (errors.is_refusal): only an answer that
carries a Paradex error code is a refusal; no answer, an unreadable one, an uncoded error or a 5xx leaves the outcome
unknown, and an unknown outcome is resolved by reading Paradex, never guessed.
"""
from __future__ import annotations

import asyncio
from functools import partial
from collections.abc import Awaitable, Callable
from typing import Any

from ccxt.base.errors import (
    ArgumentsRequired, BadRequest, BaseError, InvalidOrder, OrderNotFound, RateLimitExceeded,
)

from ccxt.base.precise import Precise

from . import order_input
from .cancel_confirmation import CancelConfirmationMixin
from .errors import OrderOutcomeUnknown, is_refusal
from .order_lookup import FIRST_PAUSE, Deadline, OrderLookupMixin, a_list, an_order, answered
from .order_transport import OrderTransport, rest_transport
from .orders import CLIENT_ID_KEYS, CLOSED, order_params
from .placement import BATCH_SIZE, PlacementMixin
from .vocabulary import OPEN_STATUSES
from .pagination import collect_pages

CLIENT_IDS_KEYS = ["clientOrderIds", "client_order_ids", "clOrdIDs"]
# ccxt convention: a fully filled order is 'closed'; these are the ends of an order that did not fill completely.
UNFILLED_ENDS = ("canceled", "expired", "rejected")
FINAL = ("closed", *UNFILLED_ENDS)
# How much older than our own clock a cancel-all's effect may look in Paradex's timestamps.
CANCEL_ALL_SLACK_MS = 1000

__all__ = ["BATCH_SIZE", "TradingMixin"]


class TradingMixin(PlacementMixin, CancelConfirmationMixin, OrderLookupMixin):
    # -- create -----------------------------------------------------------------------------------------------------

    async def create_order(self, symbol: str, type: str, side: str, amount: Any, price: Any = None,
                           params: dict | None = None) -> dict:
        """POST /orders. Params: triggerPrice | stopLossPrice | takeProfitPrice (with triggerDirection), timeInForce
        (GTC, IOC, PO, RPI), postOnly, rpi, reduceOnly, clientOrderId, stp, recv_window, on_behalf_of_account, and
        Paradex's own order fields (checked against the arguments). A stop-loss or take-profit of amount 0 closes
        the whole position when it fires."""
        return await self._create_order(rest_transport(self), symbol, type, side, amount, price, params)

    async def _create_order(self, transport: OrderTransport, symbol: str, type: str, side: str, amount: Any,
                            price: Any, params: dict | None) -> dict:
        self._check_credentials()  # before any request: a missing key is not a network problem
        await self.load_markets()
        body = self.create_order_body(symbol, type, side, amount, price, params)
        return self.parse_order(await self._place(body, transport.place), self.market(symbol))

    async def create_orders(self, orders: list[dict], params: dict | None = None) -> list[dict]:
        """POST /orders/batch in chunks of 10. One result per input, in input order: the order; status 'rejected'
        with Paradex's {error, message} as info where it refused one (a whole refused batch names the entry that
        caused it); status None where the fate stayed unknown (look it up later by clientOrderId). Local validation
        errors raise before anything is sent; the call raises only when none of its orders was placed."""
        return await self._create_orders(rest_transport(self), orders, params)

    async def _create_orders(self, transport: OrderTransport, orders: list[dict], params: dict | None) -> list[dict]:
        self._check_credentials()  # before any request: a missing key is not a network problem
        await self.load_markets()
        params = order_params(params)
        if not isinstance(orders, list) or not orders or not all(isinstance(entry, dict) for entry in orders):
            raise BadRequest(f"{self.id} createOrders() needs a non-empty list of order dicts")
        bodies = [
            self.create_order_body(entry.get("symbol"), entry.get("type"), entry.get("side"), entry.get("amount"),
                                   entry.get("price"), {**params, **order_params(entry.get("params"))})
            for entry in orders
        ]
        client_ids = [body["client_id"] for body in bodies]
        if len(set(client_ids)) != len(client_ids):
            raise InvalidOrder(f"{self.id} createOrders() got the same clientOrderId twice")
        results: list[dict | None] = []
        lost: BaseError | None = None
        for start in range(0, len(bodies), BATCH_SIZE):
            chunk, error = await self._place_batch(bodies[start:start + BATCH_SIZE], transport.place_batch)
            results.extend(chunk)
            lost = lost or error
        if lost is not None and all(result is not None and result.get("notPlaced") for result in results):
            raise type(lost)(f"{lost} (createOrders(): orders {', '.join(body['client_id'] for body in bodies)} "
                             f"were not placed: no attempt reached Paradex in their recv_window)") from lost
        return [result if result is not None else self.requested_order(body, None, {
            "error": None, "message": "outcome unknown: look the order up by clientOrderId"})
            for body, result in zip(bodies, results, strict=True)]

    # -- fetch ------------------------------------------------------------------------------------------------------

    async def fetch_order(self, id: str | None, symbol: str | None = None, params: dict | None = None) -> dict:
        """One order in any state, by id or by params.clientOrderId (GET /orders/{id} or /orders/by_client_id,
        else /orders-history: Paradex's API reference serves only NEW and OPEN orders on the first two)."""
        await self.load_markets()
        params = order_params(params)
        market = self.market(order_input.symbol(symbol)) if symbol is not None else None
        id = order_input.identifier(id, "id")
        client_id = order_input.identifier(self.safe_value_n(params, CLIENT_ID_KEYS), "clientOrderId")
        if id is None and client_id is None:
            raise ArgumentsRequired(f"{self.id} fetchOrder() needs an id or params.clientOrderId")
        market_id = market["id"] if market else None
        order = await self._lookup(id, client_id, market_id)
        if order is None:
            raise OrderNotFound(f"{self.id} no order with {'id ' + id if id else 'client id ' + str(client_id)}")
        return self.parse_order(order, market)

    async def fetch_open_orders(self, symbol: str | None = None, since: int | None = None, limit: int | None = None,
                                params: dict | None = None) -> list[dict]:
        """GET /orders: every open order (Paradex does not paginate it), optionally in one market."""
        await self.load_markets()
        request = {}
        market = None
        if symbol is not None:
            market = self.market(symbol)
            request["market"] = market["id"]
        response = a_list(await self.privateGetOrders(self.extend(request, params or {})), "results", "GET /orders")
        return self.parse_orders(self.safe_list(response, "results", []), market, since, limit)

    async def fetch_orders(self, symbol: str | None = None, since: int | None = None, limit: int | None = None,
                           params: dict | None = None) -> list[dict]:
        """GET /orders-history, every page (the `paginate` param is accepted; pagination is always on)."""
        return await self._order_history(symbol, since, limit, params or {})

    async def fetch_closed_orders(self, symbol: str | None = None, since: int | None = None,
                                  limit: int | None = None, params: dict | None = None) -> list[dict]:
        """Orders that filled completely (status 'closed')."""
        return await self._order_history(symbol, since, limit, params or {}, keep=("closed",))

    async def fetch_canceled_orders(self, symbol: str | None = None, since: int | None = None,
                                    limit: int | None = None, params: dict | None = None) -> list[dict]:
        """Orders that ended without filling completely: 'canceled', 'expired' and 'rejected'."""
        return await self._order_history(symbol, since, limit, params or {}, keep=UNFILLED_ENDS)

    async def _order_history(self, symbol: str | None, since: int | None, limit: int | None, params: dict,
                             keep: tuple[str, ...] | None = None) -> list[dict]:
        """Follow /orders-history cursors until Paradex has no more pages or `limit` matching orders are in hand.

        Pages come newest first: without `since`, the newest `limit` orders are returned; with `since`, every page
        from `since` on is read and the first `limit` orders after it are returned (ccxt's semantics).
        """
        await self.load_markets()
        market = self.market(symbol) if symbol is not None else None
        request: dict[str, Any] = {}
        if market is not None:
            request["market"] = market["id"]
        if since is not None:
            request["start_at"] = since
        if keep is not None:
            request["status"] = CLOSED
        request, params = self.handle_until_option("end_at", request, self.omit(params, ["paginate"]))
        page_size = self.safe_integer(self.options, "ordersHistoryPageSize", 100)

        async def page(request: dict) -> dict:
            response = await self.privateGetOrdersHistory(self.extend(request, params))
            parsed = (self.parse_order(raw, market) for raw in self.safe_list(response, "results", []))
            return {"next": self.safe_string(response, "next"),
                    "results": [order for order in parsed if keep is None or order["status"] in keep]}

        # Pages come newest first, so a `since` question is read to the end; a status filter drops entries.
        orders = await collect_pages(page, request, since, limit, page_size, "timestamp",
                                     full_pages=keep is not None or since is not None, every_page=True)
        orders = self.sort_by(orders, "timestamp")
        return self.filter_by_since_limit(orders, since, limit, "timestamp", since is None)

    # -- cancel -----------------------------------------------------------------------------------------------------

    async def _send_cancel(self, send: Callable[[], Awaitable[Any]]) -> tuple[bool, Any, BaseError | None]:
        """Send a cancel until Paradex answers: (True, its answer, None), or (False, None, the last error) when no
        attempt got one. A refusal is raised, except throttling. Cancelling is idempotent (a repeat finds the order
        queued or closed), so a cancel whose answer was lost is simply sent again, options['cancelOrderRetries']
        times. A 429 says nothing of an attempt before it that Paradex may have accepted (aiohttp itself resends a
        DELETE whose connection dropped), so it counts as an attempt without an answer: the orders are then read to
        learn what happened, and the throttle is raised only if they still look open."""
        retries = self.safe_integer(self.options, "cancelOrderRetries", 2)
        pause = FIRST_PAUSE
        last: BaseError | None = None
        for attempt in range(retries + 1):
            try:
                return True, await send(), None
            except BaseError as error:
                if is_refusal(error) and not isinstance(error, RateLimitExceeded):
                    raise
                last = error
            if attempt < retries:
                await asyncio.sleep(pause)
                pause *= 2
        return False, None, last

    def _unanswered_cancel(self, what: str, results: list[dict], last: BaseError | None) -> list[dict]:
        """A cancel that got no answer at all is returned only for the orders seen closed since; if one still looks
        open, nobody knows whether its cancel is queued (or, throttled, it was not), and the call says so by
        raising."""
        still_open = [r for r in results if r["status"] not in FINAL]
        if still_open:
            names = ", ".join(str(r["id"] or r["clientOrderId"]) for r in still_open)
            if isinstance(last, RateLimitExceeded):
                raise RateLimitExceeded(f"{last} ({what}: {len(still_open)} order(s) still open: {names})") from last
            raise OrderOutcomeUnknown(
                f"{self.id} {what}: Paradex never answered, and {len(still_open)} order(s) still looked open "
                f"({names}); cancelling again is safe")
        for result in results:
            result["cancelPending"] = False
        return results

    async def cancel_order(self, id: str | None, symbol: str | None = None, params: dict | None = None) -> dict:
        """DELETE /orders/{id}, or DELETE /orders/by_client_id/{clientOrderId} (with the market when `symbol` is
        given). Returns the order's confirmed final state, or status 'open' with cancelPending = True when Paradex
        queued the cancel but the order was not seen closed before the deadline."""
        return await self._cancel_order(rest_transport(self), id, symbol, params)

    async def _cancel_order(self, transport: OrderTransport, id: str | None, symbol: str | None,
                            params: dict | None) -> dict:
        self._check_credentials()  # before any request: a missing key is not a network problem
        await self.load_markets()
        params = order_params(params)
        market = self.market(order_input.symbol(symbol)) if symbol is not None else None
        market_id = market["id"] if market else None
        id = order_input.identifier(id, "id")
        client_id = order_input.identifier(self.safe_value_n(params, CLIENT_ID_KEYS), "clientOrderId")
        timeout = self._confirm_timeout(params)
        params = self.omit(params, [*CLIENT_ID_KEYS, "confirmTimeout"])
        if id is None and client_id is None:
            raise ArgumentsRequired(f"{self.id} cancelOrder() needs an id or params.clientOrderId")
        ref = {"id": id, "client_id": client_id, "market": market_id}
        if id is not None:
            request = self.extend({"order_id": id}, params)
        else:
            request = self.extend({"client_id": client_id}, {"market": market_id} if market_id else {}, params)
        try:
            answered, _, last = await self._send_cancel(lambda: transport.cancel(request))
        except OrderNotFound:
            # Unknown, or already CLOSED (ORDER_IS_CLOSED, perhaps by an earlier attempt of ours): a closed order
            # answers with its final state.
            order = await self._lookup(id, client_id, market_id, self._lookup_deadline())
            if order is None or self.safe_string(order, "status") != CLOSED:
                raise
            return self._cancel_result(ref, order, False)
        if answered:
            [result] = await self._confirm_cancels([ref], timeout)
            return result
        [result] = await self._confirm_cancels([ref], max(timeout, self.safe_integer(
            self.options, "orderLookupTimeout", 10000)))
        return self._unanswered_cancel("cancelOrder()", [result], last)[0]

    async def cancel_orders(self, ids: list[str] | None, symbol: str | None = None,
                            params: dict | None = None) -> list[dict]:
        """DELETE /orders/batch with ids and/or params.clientOrderIds. One entry per requested id (ids first, then
        client ids), in input order: queued cancels are confirmed like cancel_order, already closed orders come
        with their final state, unknown ones with status None and notFound = True (all unknown: OrderNotFound)."""
        return await self._cancel_orders(rest_transport(self), ids, symbol, params)

    async def _cancel_orders(self, transport: OrderTransport, ids: list[str] | None, symbol: str | None,
                             params: dict | None) -> list[dict]:
        self._check_credentials()  # before any request: a missing key is not a network problem
        await self.load_markets()
        params = order_params(params)
        ids = order_input.identifiers(ids, "id")
        client_ids = order_input.identifiers(self.safe_value_n(params, CLIENT_IDS_KEYS), "clientOrderId")
        market_id = self.market(order_input.symbol(symbol))["id"] if symbol is not None else None
        timeout = self._confirm_timeout(params)
        params = self.omit(params, [*CLIENT_IDS_KEYS, "confirmTimeout"])
        if not ids and not client_ids:
            raise ArgumentsRequired(f"{self.id} cancelOrders() needs ids or params.clientOrderIds")
        request: dict[str, Any] = {}
        if ids:
            request["order_ids"] = ids
        if client_ids:
            request["client_order_ids"] = client_ids
        requested = [{"id": i, "client_id": None, "market": market_id} for i in ids] + \
            [{"id": None, "client_id": c, "market": market_id} for c in client_ids]
        async def send() -> dict:
            return a_list(await transport.cancel_batch(self.extend(request, params)), "results", "a batch cancel")

        answered, response, last = await self._send_cancel(send)
        if not answered:
            budget = max(timeout, self.safe_integer(self.options, "orderLookupTimeout", 10000))
            return self._unanswered_cancel("cancelOrders()", await self._confirm_cancels(requested, budget), last)
        results = self.safe_list(response, "results", [])
        by_id = {self.safe_string(r, "id"): r for r in results if self.safe_string(r, "id")}
        by_client_id = {self.safe_string(r, "client_id"): r for r in results if self.safe_string(r, "client_id")}
        entries: list[dict | None] = [None] * len(requested)
        queued: list[int] = []
        closed: list[int] = []
        for n, ref in enumerate(requested):
            result = by_id.get(ref["id"]) if ref["id"] is not None else by_client_id.get(ref["client_id"])
            status = self.safe_string(result, "status")
            if result is None or status == "NOT_FOUND":
                entries[n] = self._not_found(ref, result)
                continue
            ref.update(id=self.safe_string(result, "id", ref["id"]),
                       client_id=self.safe_string(result, "client_id", ref["client_id"]),
                       market=self.safe_string(result, "market", ref["market"]))
            (closed if status == "ALREADY_CLOSED" else queued).append(n)
        if all(entry is not None for entry in entries):
            raise OrderNotFound(f"{self.id} cancelOrders(): Paradex knows none of the orders")
        # An order Paradex reported closed is read for its final state even when the caller does not wait.
        budget = max(timeout, self.safe_integer(self.options, "orderLookupTimeout", 10000))
        finals, confirmed = await asyncio.gather(self._confirm_cancels([requested[n] for n in closed], budget),
                                                 self._confirm_cancels([requested[n] for n in queued], timeout))
        for n, order in zip(closed, finals, strict=True):
            order["cancelPending"] = False
            entries[n] = order
        for n, order in zip(queued, confirmed, strict=True):
            entries[n] = order
        return entries  # type: ignore[return-value]

    async def cancel_all_orders(self, symbol: str | None = None, params: dict | None = None) -> list[dict]:
        """DELETE /orders (one market when `symbol` is given, else all), sent before anything else: the panic button
        must work when the read budget is exhausted. The orders it cancelled are learnt afterwards, from the open
        orders still being cancelled and the newest page of history (orders that closed as cancelled since the
        call began), and confirmed like cancel_order. An order that was cancelled so early that it is no longer on
        that page is cancelled but not listed."""
        return await self._cancel_all_orders(rest_transport(self), symbol, params)

    async def _cancel_all_orders(self, transport: OrderTransport, symbol: str | None, params: dict | None
                                 ) -> list[dict]:
        self._check_credentials()  # before any request: a missing key is not a network problem
        await self.load_markets()
        params = order_params(params)
        timeout = self._confirm_timeout(params)
        params = self.omit(params, ["confirmTimeout"])
        scope = {"market": self.market(order_input.symbol(symbol))["id"]} if symbol is not None else {}
        began = self.milliseconds() - CANCEL_ALL_SLACK_MS
        answered, _, last = await self._send_cancel(lambda: transport.cancel_all(self.extend(scope, params)))
        budget = timeout if answered else max(timeout, self.safe_integer(self.options, "orderLookupTimeout", 10000))
        refs = await self._cancelled_by_cancel_all(scope, began, Deadline(budget))
        results = await self._confirm_cancels(refs, budget)
        return results if answered else self._unanswered_cancel("cancelAllOrders()", results, last)

    async def _cancelled_by_cancel_all(self, scope: dict, began: int, deadline: Deadline) -> list[dict]:
        """The orders a cancel-all caught: open ones (their cancel is queued) and those the history shows closed as
        USER_CANCELED since `began`. Reads that get no answer before the deadline (each is tried at least once)
        leave the list shorter, never raise: the cancel went."""
        listing, page = await asyncio.gather(
            self._quietly(partial(self._open_orders_page, dict(scope)), deadline),
            self._quietly(partial(self._history_page, {**scope, "page_size": 100}), deadline))
        refs: dict[str, dict] = {}
        for order in self.safe_list(page, "results", []):
            if self.safe_string(order, "status") == CLOSED and self.safe_string(order, "cancel_reason") == \
                    "USER_CANCELED" and (self.safe_integer(order, "last_updated_at") or 0) >= began:
                refs[order["id"]] = self._ref(order)
        for order in self.safe_list(listing, "results", []):
            if self.safe_string(order, "status") in OPEN_STATUSES:
                refs.setdefault(order["id"], self._ref(order))
        return sorted(refs.values(), key=lambda ref: ref["id"])

    async def _quietly(self, read: Callable[[], Awaitable[Any]], deadline: Deadline) -> Any:
        try:
            return await answered(read, deadline)
        except BaseError:
            return None

    def _ref(self, order: dict) -> dict:
        return {"id": self.safe_string(order, "id"), "client_id": self.safe_string(order, "client_id"),
                "market": self.safe_string(order, "market"), "created": self.safe_integer(order, "created_at"),
                "seen": order}

    # -- edit -------------------------------------------------------------------------------------------------------

    async def edit_order(self, id: str, symbol: str | None, type: str | None, side: str | None, amount: Any = None,
                         price: Any = None, params: dict | None = None) -> dict:
        """PUT /orders/{id} with a signed ModifyOrder: new amount, price or trigger price (params.triggerPrice) of an
        open order, the rest taken from the order as Paradex has it. The order keeps its id, market, side and type;
        asking to change those raises InvalidOrder, and a param ModifyOrder cannot carry raises BadRequest. When the
        answer is lost, the modification is sent again (it sets values, so a repeat changes nothing more) and the
        order is read back."""
        return await self._edit_order(rest_transport(self), id, symbol, type, side, amount, price, params)

    async def _edit_order(self, transport: OrderTransport, id: str, symbol: str | None, type: str | None,
                          side: str | None, amount: Any, price: Any, params: dict | None) -> dict:
        self._check_credentials()  # before any request: a missing key is not a network problem
        await self.load_markets()
        params = order_params(params)
        order_id = order_input.identifier(id, "id")
        if order_id is None:
            raise ArgumentsRequired(f"{self.id} editOrder() needs an id")
        id = order_id
        market = self.market(order_input.symbol(symbol)) if symbol is not None else None
        type = order_input.text(type, "type")
        side = order_input.text(side, "side")
        current = await self._order_by_id(id, market["id"] if market else None)
        if current is None:
            raise OrderNotFound(f"{self.id} no order with id {id}")
        order = self.parse_order(current)
        if order["status"] != "open":
            raise OrderNotFound(f"{self.id} order {id} is no longer open ({order['status']}); it cannot be edited")
        if market is not None and market["id"] != self.safe_string(current, "market"):
            raise InvalidOrder(f"{self.id} order {id} is in {order['symbol']}, not {symbol}")
        if side is not None and side.lower() != order["side"]:
            raise InvalidOrder(f"{self.id} Paradex cannot change the side of order {id} ({order['side']})")
        if type is not None and type.lower() != order["type"]:
            raise InvalidOrder(f"{self.id} Paradex cannot change the type of order {id} ({order['type']})")
        body = self.modify_order_body(current, amount, price, params)
        retries = self.safe_integer(self.options, "createOrderNetworkRetries", 1)
        for _ in range(retries + 1):
            signed = await self.sign_order_body(body, modify=True)
            try:
                return self.parse_order(an_order(await transport.modify(signed), "an order modification"))
            except BaseError as error:
                if is_refusal(error):
                    raise
                lost = error
        try:
            now = await self._order_by_id(id, body["market"], deadline=self._lookup_deadline())
        except BaseError as error:
            now = None
            lost = error
        if now is not None and all(self.safe_string(now, field) is not None and
                                   Precise.string_eq(self.safe_string(now, field), body[field])
                                   for field in ("size", "price", "trigger_price") if field in body):
            return self.parse_order(now)
        raise OrderOutcomeUnknown(f"{self.id} editOrder(): no answer from Paradex ({lost}); order {id} may or may not "
                                  f"have been modified: fetch it before editing again")
