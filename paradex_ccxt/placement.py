"""Placing orders so that one call never makes two orders and an order that exists is never reported failed.

The rules, in the order a request meets them:

1. Every order carries a client id and a recv_window (orders.py). Paradex drops an order that reaches it later than
   signature_timestamp + recv_window.
2. Only an answer that carries a Paradex error code is a refusal (errors.is_refusal): nothing was created, and the
   refusal is raised. No answer, a cut or unreadable answer, an uncoded error and any 5xx leave the outcome unknown.
3. After an unknown outcome the order is looked up by its client id (retried until Paradex answers, within
   options['orderLookupTimeout']). Found: that is the result. Not found: the adapter waits until the request can no
   longer land (signature_timestamp + recv_window + options['recvWindowMargin'], plus how far our clock runs ahead of
   Paradex's, measured with GET /system/time when it matters), looks again, and
   only then sends the order again (a fresh signature, the same client id), at most
   options['createOrderNetworkRetries'] times.
4. When the look-ups themselves get no answer, the outcome stays unknown: create_order raises OrderOutcomeUnknown
   (a NetworkError naming the client id), a create_orders entry comes back with status None. Neither says
   'rejected', and nothing is sent again.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from ccxt.base.errors import BaseError, DuplicateOrderId

from .mixin_base import ExchangeBase
from .errors import OrderOutcomeUnknown, is_refusal, paradex_error
from .order_lookup import Deadline, a_list, an_order, answered
from .orders import REJECTED
from .vocabulary import BATCH_MAX_ORDERS

# How long a measured lead of our clock over Paradex's is trusted, and how long measuring it may take (ms).
CLOCK_LEAD_TTL_MS = 300_000
CLOCK_LEAD_BUDGET_MS = 2000
# POST /orders/batch takes 1 to 10 orders.
BATCH_SIZE = BATCH_MAX_ORDERS


class PlacementMixin(ExchangeBase):
    def _lookup_deadline(self) -> Deadline:
        return Deadline(self.safe_integer(self.options, "orderLookupTimeout", 10000))

    def _expiry(self, signed: list[dict]) -> int:
        """Our wall-clock ms after which none of these signed requests can create an order any more, were our clock
        Paradex's (`_find_placed` adds how far ours runs ahead)."""
        margin = self.safe_integer(self.options, "recvWindowMargin", 250)
        return max(body["signature_timestamp"] + body["recv_window"] for body in signed) + margin

    async def _clock_lead(self) -> int:
        """How many ms our clock may run ahead of Paradex's (0 when behind). Paradex compares a request's arrival
        with signature_timestamp + recv_window on its own clock, so a lost request can land that much later by
        ours. Measured with GET /system/time only when an order's fate is in doubt, and kept for
        CLOCK_LEAD_TTL_MS; an upper bound: our time when the answer arrived less the time Paradex wrote into it."""
        measured = self.clock_lead
        now = self.milliseconds()
        if measured is not None and now - measured[0] < CLOCK_LEAD_TTL_MS:
            return measured[1]
        try:
            response = await answered(self.publicGetSystemTime, Deadline(CLOCK_LEAD_BUDGET_MS))
        except BaseError:
            return measured[1] if measured is not None else 0
        server = self.safe_integer(response, "server_time")
        if server is None:
            return measured[1] if measured is not None else 0
        received = self.milliseconds()
        self.clock_lead = (received, max(0, received - server))
        return self.clock_lead[1]

    async def _find_placed(self, bodies: list[dict], expiry: int) -> list[Any]:
        """Each order by its client id: the Paradex order, None when Paradex has none and its request can no
        longer land (looked up again after `expiry`), or the error that kept every look-up from an answer."""
        found: list[Any] = [None] * len(bodies)
        todo = list(range(len(bodies)))
        for after_expiry in (False, True):
            if after_expiry:
                wait = expiry + await self._clock_lead() - self.milliseconds()
                if wait > 0:
                    await asyncio.sleep(wait / 1000)
            deadline = self._lookup_deadline()
            answers = await asyncio.gather(*(
                self._order_by_client_id(bodies[i]["client_id"], bodies[i]["market"], deadline)
                for i in todo), return_exceptions=True)
            for i, answer in zip(todo, answers, strict=True):
                if isinstance(answer, BaseException) and not isinstance(answer, BaseError):
                    raise answer
                found[i] = answer
            todo = [i for i in todo if not isinstance(found[i], dict)]
            if not todo:
                break
        return found

    # -- one order ----------------------------------------------------------------------------------------------

    async def _place(self, body: dict, send: Callable[[dict], Awaitable[dict]]) -> dict:
        """One order under the rules above, each signed attempt carried by `send` (an OrderTransport's `place`);
        returns the Paradex order."""
        retries = self.safe_integer(self.options, "createOrderNetworkRetries", 1)
        lost: BaseError | None = None
        for attempt in range(retries + 1):
            signed = await self.sign_order_body(body)
            try:
                return an_order(await send(signed), "an order placement")
            except BaseError as error:
                if attempt > 0 and isinstance(error, DuplicateOrderId):
                    # An earlier attempt did land after all (the caller's own reuse of a client id shows on the
                    # first attempt, and is raised there).
                    [existing] = await self._find_placed([body], 0)
                    if isinstance(existing, dict):
                        return existing
                    if existing is None:
                        raise
                    raise OrderOutcomeUnknown(
                        f"{self.id} order {body['client_id']} is on Paradex by its answer ({error}), but no look-up "
                        f"got an answer ({existing}); look it up by clientOrderId", body["client_id"]) from existing
                if is_refusal(error):
                    raise
                lost = error
            [found] = await self._find_placed([body], self._expiry([signed]))
            if isinstance(found, dict):
                return found
            if isinstance(found, BaseException):
                raise OrderOutcomeUnknown(
                    f"{self.id} order {body['client_id']} may or may not be on Paradex: its request failed ({lost}) "
                    f"and no look-up got an answer ({found}); look it up by clientOrderId before placing it again",
                    body["client_id"]) from found
        assert lost is not None
        raise type(lost)(f"{lost} (order {body['client_id']} was not placed: none of {retries + 1} attempts reached "
                         f"Paradex in its recv_window)") from lost

    # -- batches ------------------------------------------------------------------------------------------------

    async def _place_batch(self, bodies: list[dict], send: Callable[[list[dict]], Awaitable[dict]]
                           ) -> tuple[list[dict | None], BaseError | None]:
        """One chunk of at most BATCH_SIZE orders, each signed attempt carried by `send` (an OrderTransport's
        `place_batch`): a Paradex order (parsed) per input in input order, a 'rejected'
        entry where Paradex refused one, None where its fate stayed unknown, and a 'notPlaced' entry where no attempt
        reached Paradex; with the network error that was behind the last lost attempt."""
        retries = self.safe_integer(self.options, "createOrderNetworkRetries", 1)
        outcome: dict[int, dict | None] = {}
        pending = list(range(len(bodies)))
        lost: BaseError | None = None
        for attempt in range(retries + 1):
            signed = [await self.sign_order_body(bodies[i]) for i in pending]
            try:
                response = a_list(await send(signed), "orders", "a batch placement")
            except BaseError as error:
                if is_refusal(error) and not (attempt > 0 and isinstance(error, DuplicateOrderId)):
                    # Basic validation (a signature included) failed: Paradex refused the whole batch.
                    self._refused_batch(bodies, pending, outcome, error)
                    return [outcome[i] for i in range(len(bodies))], None
                lost = error
                found = await self._find_placed([bodies[i] for i in pending], self._expiry(signed))
                for i, order in zip(pending, found, strict=True):
                    if isinstance(order, dict):
                        outcome[i] = self.parse_order(order)
                    elif isinstance(order, BaseException):
                        outcome[i] = None  # unknown: never sent again, never called rejected
                pending = [i for i in pending if i not in outcome]
                if not pending:
                    break
                continue
            await self._read_batch_response(response, bodies, pending, outcome, retried=attempt > 0)
            pending = []
            break
        for i in pending:
            outcome[i] = self._unplaced(bodies[i], lost)
        return [outcome[i] for i in range(len(bodies))], lost

    def _unplaced(self, body: dict, error: BaseError | None) -> dict:
        """An order that every attempt failed to deliver within its recv_window: it does not exist."""
        entry = self.requested_order(body, REJECTED, {
            "error": None, "message": f"not placed: no attempt reached Paradex in its recv_window ({error})"})
        entry["notPlaced"] = True
        return entry

    def _refused_batch(self, bodies: list[dict], pending: list[int], outcome: dict[int, dict | None],
                       error: BaseError) -> None:
        """Every entry of a batch Paradex refused as a whole is 'rejected'. The entry that caused it (named by its
        client id in Paradex's message) carries Paradex's error; the others say they were refused because of it."""
        info = paradex_error(error)
        text = f"{info.get('error')}: {info.get('message')}"
        culprit = next((i for i in pending if bodies[i]["client_id"] in (info.get("message") or "")), None)
        for i in pending:
            if i == culprit:
                outcome[i] = self.requested_order(bodies[i], REJECTED, info)
                continue
            because = f"entry {culprit} (client id {bodies[culprit]['client_id']})" if culprit is not None else \
                "one of its entries"
            outcome[i] = self.requested_order(bodies[i], REJECTED, {
                "error": None,
                "message": f"not placed: Paradex refused the whole batch because of {because}: {text}",
                "batchError": info,
                "batchEntry": culprit,
            })

    async def _read_batch_response(self, response: Any, bodies: list[dict], pending: list[int],
                                   outcome: dict[int, dict | None], retried: bool) -> None:
        """Match a batch answer to its inputs. Orders come back with our client ids. Errors carry no client id, so
        the k-th error belongs to the k-th input without an order (errors follow the inputs' order). An input
        Paradex said nothing about is looked up, and so is one refused as a duplicate on a resend (an earlier attempt
        landed after all; on the first attempt a duplicate is the caller's reuse of a live order's client id)."""
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
        for i, error in zip(unmatched, errors, strict=False):
            if not (retried and self.safe_string(error, "error") == "DUPLICATED_CLIENT_ID"):
                outcome[i] = self.requested_order(bodies[i], REJECTED, error)
        silent = [i for i in unmatched if i not in outcome]
        if not silent:
            return
        deadline = self._lookup_deadline()
        answers = await asyncio.gather(*(
            self._order_by_client_id(bodies[i]["client_id"], bodies[i]["market"], deadline)
            for i in silent), return_exceptions=True)
        duplicate_errors = {i: e for i, e in zip(unmatched, errors, strict=False)}
        for i, answer in zip(silent, answers, strict=True):
            if isinstance(answer, dict):
                outcome[i] = self.parse_order(answer)
            elif isinstance(answer, BaseException):
                outcome[i] = None
            else:
                outcome[i] = self.requested_order(bodies[i], REJECTED, duplicate_errors.get(i, {}))
