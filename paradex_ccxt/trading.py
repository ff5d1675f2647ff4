"""The unified order methods: create (single, batch), cancel (single, batch, all), fetch, edit.

Two promises shape this file.

No duplicate, no lost order. Every order carries a client id. When a request fails in a way that may have reached
Paradex (timeout, dropped connection, gateway or server failure), the order is looked up by that client id before
anything is sent again; the retry reuses the client id, so Paradex itself refuses a second copy
(DUPLICATED_CLIENT_ID), and that refusal answers with the order that exists. Explicit refusals (throttling,
maintenance, a bad timestamp) are answers: nothing was created and nothing is retried.

Honest cancels. Paradex queues a cancel (HTTP 204) and settles it asynchronously. The cancel methods look the order
up until it is CLOSED, for at most options['cancelOrderConfirmTimeout'] ms (0: do not wait), and return its real final
state; an order not yet seen closed comes back as status 'open' with cancelPending = True.
"""
from __future__ import annotations

import asyncio
from typing import Any

from ccxt.base.errors import (
    ArgumentsRequired,
    BadResponse,
    DDoSProtection,
    DuplicateOrderId,
    ExchangeError,
    InvalidNonce,
    InvalidOrder,
    NetworkError,
    OnMaintenance,
    OrderNotFound,
    RateLimitExceeded,
)

from .errors import paradex_error
from .orders import CANCEL_PENDING, CLIENT_ID_KEYS, CLOSED, NOT_FOUND, REJECTED

# First wait before re-checking a queued cancel; later waits double up to options['cancelOrderConfirmInterval'].
FIRST_RECHECK_MS = 25
# POST /orders/batch takes 1 to 10 orders.
BATCH_SIZE = 10
CLIENT_IDS_KEYS = ["clientOrderIds", "client_order_ids", "clOrdIDs"]
TRIGGER_KEYS = ["triggerPrice", "stopPrice", "stopLossPrice", "takeProfitPrice", "on_behalf_of_account",
                "onBehalfOfAccount"]
# ccxt convention: a fully filled order is 'closed'; these are the ends of an order that did not fill completely.
UNFILLED_ENDS = ("canceled", "expired", "rejected")


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


def may_have_reached_paradex(error: BaseException) -> bool:
    """True for a failure that leaves a request's effect unknown: no answer, an unreadable answer, or a
    gateway/server failure."""
    if isinstance(error, BadResponse):
        return True
    return isinstance(error, NetworkError) and not isinstance(
        error, (RateLimitExceeded, DDoSProtection, OnMaintenance, InvalidNonce))


class TradingMixin:
    # -- create -----------------------------------------------------------------------------------------------------

    async def create_order(self, symbol: str, type: str, side: str, amount: Any, price: Any = None,
                           params: dict | None = None) -> dict:
        """POST /orders. Params: triggerPrice | stopLossPrice | takeProfitPrice (with triggerDirection), timeInForce
        (GTC, IOC, PO, RPI), postOnly, rpi, reduceOnly, clientOrderId, stp, recv_window, on_behalf_of_account.
        A stop-loss or take-profit of amount 0 closes the whole position when it fires."""
        await self.load_markets()
        body = self.create_order_body(symbol, type, side, amount, price, params)
        return self.parse_order(await self._place(body), self.market(symbol))

    async def _place(self, body: dict) -> dict:
        """Send one order; after a failure that may have reached Paradex, find it by client id or send it again."""
        retries = self.safe_integer(self.options, "createOrderNetworkRetries", 1)
        attempt = 0
        while True:
            try:
                return await self.privatePostOrders(await self.sign_order_body(body))
            except DuplicateOrderId:
                if attempt == 0:
                    raise  # the caller reused a client id: that is another order, not this one
                existing = await self._order_by_client_id(body["client_id"], body["market"])
                if existing is None:
                    raise
                return existing
            except Exception as error:
                if not may_have_reached_paradex(error):
                    raise
                existing = await self._order_by_client_id(body["client_id"], body["market"])
                if existing is not None:
                    return existing
                if attempt >= retries:
                    raise type(error)(f"{error} (order {body['client_id']} was not found on Paradex after "
                                      f"{attempt + 1} attempts)") from error
            attempt += 1

    async def create_orders(self, orders: list[dict], params: dict | None = None) -> list[dict]:
        """POST /orders/batch in chunks of 10. One result per input, in input order; an order Paradex refused comes
        back with status 'rejected', what was asked (clientOrderId, symbol, side, amount) and Paradex's error as
        info. Local validation errors raise before anything is sent.

        After a failure that may have reached Paradex, the chunk's orders are looked up by client id and the missing
        ones sent again. If some stay unknown and no order of the call was placed, the network error is raised;
        otherwise those entries come back with status None (look them up later by clientOrderId), so that the
        orders that do exist are never reported lost.
        """
        await self.load_markets()
        params = params or {}
        bodies = [
            self.create_order_body(
                self.safe_string(entry, "symbol"), self.safe_string(entry, "type"), self.safe_string(entry, "side"),
                self.safe_value(entry, "amount"), self.safe_value(entry, "price"),
                self.extend(params, self.safe_dict(entry, "params", {})),
            )
            for entry in orders
        ]
        client_ids = [body["client_id"] for body in bodies]
        if len(set(client_ids)) != len(client_ids):
            raise InvalidOrder(f"{self.id} createOrders() got the same clientOrderId twice")
        results: list[dict | None] = []
        lost: BaseException | None = None
        for start in range(0, len(bodies), BATCH_SIZE):
            chunk, error = await self._place_batch(bodies[start:start + BATCH_SIZE])
            results.extend(chunk)
            lost = lost or error
        if lost is not None and all(result is None or result["id"] is None for result in results):
            unknown = ", ".join(body["client_id"]
                                for body, result in zip(bodies, results, strict=True) if result is None)
            raise type(lost)(f"{lost} (orders {unknown} were not found on Paradex after retrying)") from lost
        return [result if result is not None else self.requested_order(body, None, {})
                for body, result in zip(bodies, results, strict=True)]

    async def _place_batch(self, bodies: list[dict]) -> tuple[list[dict | None], BaseException | None]:
        """One chunk: its results in input order (None where the fate stayed unknown) and the network error that
        left them unknown."""
        retries = self.safe_integer(self.options, "createOrderNetworkRetries", 1)
        outcome: dict[int, dict] = {}
        pending = list(range(len(bodies)))
        attempt = 0
        while pending:
            try:
                signed = [await self.sign_order_body(bodies[i]) for i in pending]
                response = await self.privatePostOrdersBatch(signed)
            except ExchangeError as error:
                # Basic validation (a signature included) failed: Paradex refused the whole batch. On a retry, a
                # duplicate client id means the first attempt did get through.
                if attempt > 0 and isinstance(error, DuplicateOrderId):
                    await self._recover(bodies, pending, outcome)
                info = paradex_error(error)
                for i in pending:
                    outcome.setdefault(i, self.requested_order(bodies[i], REJECTED, info))
                break
            except Exception as error:
                if not may_have_reached_paradex(error):
                    raise
                await self._recover(bodies, pending, outcome)
                pending = [i for i in pending if i not in outcome]
                if pending and attempt >= retries:
                    return [outcome.get(i) for i in range(len(bodies))], error
                attempt += 1
                continue
            await self._read_batch_response(response, bodies, pending, outcome, retried=attempt > 0)
            break
        return [outcome[i] for i in range(len(bodies))], None

    async def _read_batch_response(self, response: dict, bodies: list[dict], pending: list[int],
                                   outcome: dict[int, dict], retried: bool) -> None:
        """Match a batch answer to its inputs. Orders come back with our client ids. Errors carry no client id, so
        the k-th error belongs to the k-th input without an order (errors follow the inputs' order)."""
        placed = {self.safe_string(order, "client_id"): order
                  for order in self.safe_list(response, "orders", []) if order}
        errors = [error for error in self.safe_list(response, "errors", []) if error]
        unmatched = []
        for i in pending:
            order = placed.get(bodies[i]["client_id"])
            if order is not None:
                outcome[i] = self.parse_order(order)
            else:
                unmatched.append(i)
        duplicates = []
        for i, error in zip(unmatched, errors, strict=False):
            if retried and self.safe_string(error, "error") == "DUPLICATED_CLIENT_ID":
                duplicates.append(i)
            else:
                outcome[i] = self.requested_order(bodies[i], REJECTED, error)
        # A duplicate on a retry is the first attempt's order; an input Paradex said nothing about is looked up.
        silent = unmatched[len(errors):]
        await self._recover(bodies, duplicates + silent, outcome)
        for i in duplicates + silent:
            outcome.setdefault(i, self.requested_order(bodies[i], REJECTED, {}))

    async def _recover(self, bodies: list[dict], indexes: list[int], outcome: dict[int, dict]) -> None:
        """Look orders up by client id; those found go to `outcome`."""
        found = await asyncio.gather(*(
            self._order_by_client_id(bodies[i]["client_id"], bodies[i]["market"]) for i in indexes))
        for i, order in zip(indexes, found, strict=True):
            if order is not None:
                outcome[i] = self.parse_order(order)

    # -- look-ups ---------------------------------------------------------------------------------------------------

    async def _order_by_client_id(self, client_id: str, market_id: str | None = None) -> dict | None:
        """The Paradex order with this client id in any state, or None. GET /orders/by_client_id serves open orders
        only, so a closed one is found in /orders-history filtered by client_id."""
        try:
            return await self.privateGetOrdersByClientIdClientId({"client_id": client_id})
        except OrderNotFound:
            pass
        request = {"client_id": client_id}
        if market_id is not None:
            request["market"] = market_id
        response = await self.privateGetOrdersHistory(request)
        for order in self.safe_list(response, "results", []):
            if self.safe_string(order, "client_id") == client_id:
                return order
        return None

    async def _lookup(self, id: str | None, client_id: str | None, market_id: str | None) -> dict | None:
        if id is not None:
            try:
                return await self.privateGetOrdersOrderId({"order_id": id})
            except OrderNotFound:
                return None
        return await self._order_by_client_id(client_id, market_id)

    async def fetch_order(self, id: str | None, symbol: str | None = None, params: dict | None = None) -> dict:
        """GET /orders/{id}, or by params.clientOrderId in any state (open or closed)."""
        await self.load_markets()
        params = params or {}
        market = self.market(symbol) if symbol is not None else None
        client_id = self.safe_string_n(params, CLIENT_ID_KEYS)
        params = self.omit(params, CLIENT_ID_KEYS)
        if id is None and client_id is None:
            raise ArgumentsRequired(f"{self.id} fetchOrder() needs an id or params.clientOrderId")
        if id is not None:
            order = await self.privateGetOrdersOrderId(self.extend({"order_id": id}, params))
        else:
            order = await self._order_by_client_id(client_id, market["id"] if market else None)
            if order is None:
                raise OrderNotFound(f"{self.id} no order with client id {client_id}")
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
        response = await self.privateGetOrders(self.extend(request, params or {}))
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
        if limit is not None and keep is None and since is None:
            page_size = min(page_size, limit)
        orders: list[dict] = []
        cursor = None
        while True:
            page = self.extend(request, {"page_size": page_size}, {"cursor": cursor} if cursor else {}, params)
            response = await self.privateGetOrdersHistory(page)
            for raw in self.safe_list(response, "results", []):
                order = self.parse_order(raw, market)
                if keep is None or order["status"] in keep:
                    orders.append(order)
            cursor = self.safe_string(response, "next")
            if not cursor or (limit is not None and since is None and len(orders) >= limit):
                break
        orders = self.sort_by(orders, "timestamp")
        return self.filter_by_since_limit(orders, since, limit, "timestamp", since is None)

    # -- cancel -----------------------------------------------------------------------------------------------------

    async def cancel_order(self, id: str | None, symbol: str | None = None, params: dict | None = None) -> dict:
        """DELETE /orders/{id}, or DELETE /orders/by_client_id/{clientOrderId} (with the market when `symbol` is
        given). Returns the order's confirmed final state, or status 'open' with cancelPending = True."""
        await self.load_markets()
        params = params or {}
        market = self.market(symbol) if symbol is not None else None
        market_id = market["id"] if market else None
        client_id = self.safe_string_n(params, CLIENT_ID_KEYS)
        timeout = self._confirm_timeout(params)
        params = self.omit(params, [*CLIENT_ID_KEYS, "confirmTimeout"])
        if id is None and client_id is None:
            raise ArgumentsRequired(f"{self.id} cancelOrder() needs an id or params.clientOrderId")
        try:
            if id is not None:
                await self.privateDeleteOrdersOrderId(self.extend({"order_id": id}, params))
            else:
                request = {"client_id": client_id}
                if market_id is not None:
                    request["market"] = market_id
                await self.privateDeleteOrdersByClientIdClientId(self.extend(request, params))
        except OrderNotFound:
            # Unknown, or already CLOSED (ORDER_IS_CLOSED): a closed order answers with its final state.
            order = await self._lookup(id, client_id, market_id)
            if order is None or self.safe_string(order, "status") != CLOSED:
                raise
            return self._cancel_result({"id": id, "client_id": client_id, "market": market_id}, order, False)
        [result] = await self._confirm_cancels([{"id": id, "client_id": client_id, "market": market_id}], timeout)
        return result

    async def cancel_orders(self, ids: list[str] | None, symbol: str | None = None,
                            params: dict | None = None) -> list[dict]:
        """DELETE /orders/batch with ids and/or params.clientOrderIds. One entry per requested id (ids first, then
        client ids), in input order: queued cancels are confirmed like cancel_order, already closed orders come
        with their final state, unknown ones with status None and notFound = True (all unknown: OrderNotFound)."""
        await self.load_markets()
        params = params or {}
        ids = list(ids or [])
        client_ids = list(self.safe_list_n(params, CLIENT_IDS_KEYS) or [])
        market_id = self.market(symbol)["id"] if symbol is not None else None
        timeout = self._confirm_timeout(params)
        params = self.omit(params, [*CLIENT_IDS_KEYS, "confirmTimeout"])
        if not ids and not client_ids:
            raise ArgumentsRequired(f"{self.id} cancelOrders() needs ids or params.clientOrderIds")
        request: dict[str, Any] = {}
        if ids:
            request["order_ids"] = ids
        if client_ids:
            request["client_order_ids"] = client_ids
        response = await self.privateDeleteOrdersBatch(self.extend(request, params))
        results = self.safe_list(response, "results", [])
        by_id = {self.safe_string(r, "id"): r for r in results if self.safe_string(r, "id")}
        by_client_id = {self.safe_string(r, "client_id"): r for r in results if self.safe_string(r, "client_id")}
        requested = [{"id": i, "client_id": None, "market": market_id} for i in ids] + \
            [{"id": None, "client_id": c, "market": market_id} for c in client_ids]
        entries: list[dict | None] = [None] * len(requested)
        queued: list[int] = []
        closed: list[int] = []
        for n, ref in enumerate(requested):
            result = by_id.get(ref["id"]) if ref["id"] is not None else by_client_id.get(ref["client_id"])
            status = self.safe_string(result, "status")
            if result is None or status == "NOT_FOUND":
                entries[n] = self._not_found(ref, result)
                continue
            ref.update(id=self.safe_string(result, "id"), client_id=self.safe_string(result, "client_id"),
                       market=self.safe_string(result, "market"))
            (closed if status == "ALREADY_CLOSED" else queued).append(n)
        if all(entry is not None for entry in entries):
            raise OrderNotFound(f"{self.id} cancelOrders(): none of the orders was found")
        finals = await asyncio.gather(*(self._lookup(requested[n]["id"], requested[n]["client_id"],
                                                     requested[n]["market"]) for n in closed))
        for n, order in zip(closed, finals, strict=True):
            entries[n] = self._cancel_result(requested[n], order, order is None)
        confirmed = await self._confirm_cancels([requested[n] for n in queued], timeout)
        for n, order in zip(queued, confirmed, strict=True):
            entries[n] = order
        return entries  # type: ignore[return-value]

    async def cancel_all_orders(self, symbol: str | None = None, params: dict | None = None) -> list[dict]:
        """DELETE /orders (one market when `symbol` is given, else all). Returns the orders that were open just
        before, each confirmed like cancel_order. An order placed between the two calls is cancelled too but not
        listed."""
        await self.load_markets()
        params = params or {}
        timeout = self._confirm_timeout(params)
        params = self.omit(params, ["confirmTimeout"])
        request = {}
        if symbol is not None:
            request["market"] = self.market(symbol)["id"]
        open_orders = self.safe_list(await self.privateGetOrders(request), "results", [])
        await self.privateDeleteOrders(self.extend(request, params))
        refs = [{"id": self.safe_string(o, "id"), "client_id": self.safe_string(o, "client_id"),
                 "market": self.safe_string(o, "market"), "seen": o} for o in open_orders]
        return await self._confirm_cancels(refs, timeout)

    def _confirm_timeout(self, params: dict) -> int:
        default = self.safe_integer(self.options, "cancelOrderConfirmTimeout", 2000)
        return max(0, self.safe_integer(params, "confirmTimeout", default))

    async def _confirm_cancels(self, refs: list[dict], timeout: int) -> list[dict]:
        """Look up orders whose cancel Paradex queued until each is CLOSED: once right away, then after each wait of
        recheck_waits(timeout, options['cancelOrderConfirmInterval']).
        `refs` hold id / client_id / market and, optionally, the order as last seen ('seen')."""
        interval = max(1, self.safe_integer(self.options, "cancelOrderConfirmInterval", 250))
        latest: list[dict | None] = [ref.get("seen") for ref in refs]
        todo = list(range(len(refs))) if timeout > 0 else []
        waits = iter(recheck_waits(timeout, interval))
        # A live order stream (streaming.py) delivers the CLOSED update: no look-ups. It had the whole timeout, so
        # what it did not confirm gets one last look-up (polling stays the fallback when no stream is live).
        streamed = await self.wait_closed_on_stream([refs[i] for i in todo], timeout) if todo else None
        if streamed is not None:
            for i in todo:
                latest[i] = streamed.get(refs[i]["id"], latest[i])
            todo = [i for i in todo if refs[i]["id"] not in streamed]
            waits = iter(())
        first = True
        while todo:
            if not first:
                wait = next(waits, None)
                if wait is None:
                    break
                await asyncio.sleep(wait / 1000)
            first = False
            seen = await asyncio.gather(*(self._lookup(refs[i]["id"], refs[i]["client_id"], refs[i]["market"])
                                          for i in todo))
            for i, order in zip(todo, seen, strict=True):
                if order is not None:
                    latest[i] = order
                    refs[i]["id"] = self.safe_string(order, "id")
            todo = [i for i in todo if self.safe_string(latest[i], "status") != CLOSED]
        return [self._cancel_result(ref, order, self.safe_string(order, "status") != CLOSED)
                for ref, order in zip(refs, latest, strict=True)]

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

    # -- edit -------------------------------------------------------------------------------------------------------

    async def edit_order(self, id: str, symbol: str | None, type: str | None, side: str | None, amount: Any = None,
                         price: Any = None, params: dict | None = None) -> dict:
        """PUT /orders/{id} with a signed ModifyOrder: new amount, price or trigger price (params.triggerPrice) of an
        open order, the rest taken from the order as Paradex has it. The order keeps its id, market, side and type;
        asking to change those raises InvalidOrder."""
        await self.load_markets()
        params = params or {}
        current = await self.privateGetOrdersOrderId({"order_id": id})
        order = self.parse_order(current)
        if order["status"] != "open":
            raise OrderNotFound(f"{self.id} order {id} is no longer open ({order['status']}); it cannot be edited")
        if symbol is not None and self.market(symbol)["id"] != self.safe_string(current, "market"):
            raise InvalidOrder(f"{self.id} order {id} is in {order['symbol']}, not {symbol}")
        if side is not None and side.lower() != order["side"]:
            raise InvalidOrder(f"{self.id} Paradex cannot change the side of order {id} ({order['side']})")
        if type is not None and type.lower() != order["type"]:
            raise InvalidOrder(f"{self.id} Paradex cannot change the type of order {id} ({order['type']})")
        body = await self.sign_order_body(self.modify_order_body(current, amount, price, params), modify=True)
        request = self.extend({"order_id": id}, body, self.omit(params, TRIGGER_KEYS))
        return self.parse_order(await self.privatePutOrdersOrderId(request))
