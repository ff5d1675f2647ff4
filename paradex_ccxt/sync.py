"""A synchronous Paradex exchange for ccxt's sync world (``ccxt.paradex``-style callers such as freqtrade's ``_api``).

``paradex(config)`` owns one instance of the async exchange class and one private event loop running on a daemon
thread. Every attribute read and write goes to that instance, so ``ex.markets``, ``ex.options['x'] = 1``,
``ex.apiKey = ...`` behave as on any ccxt exchange. Calling a method runs it; when the method produces an awaitable
(every unified method, ``load_markets``, the implicit endpoint methods such as ``privateGetOrders``), the awaitable
runs on the private loop and the call blocks until it finishes, returning its result or raising its exception with
its own ccxt type. Calls from several threads at once run concurrently on that loop and share one JWT session.
The config is the async class's config; its ``asyncio_loop`` is always the private loop.

``close()`` (also on leaving a ``with`` block, on garbage collection and at interpreter exit) cancels calls still in
flight, closes the HTTP session and stops the loop. After it, methods that need the network raise
``ExchangeClosedByUser``; attributes and pure helpers (``market()``, ``amount_to_precision()``, ...) keep working.

Streams are async-only, as in ccxt (its synchronous classes have no ``watch_*``): ``watch_*`` / ``un_watch_*`` raise
``NotSupported`` here and ``has`` reports ``ws`` and every ``watch*`` / ``unWatch*`` as False. Use the async class
(``paradex_ccxt.paradex``, also ``ccxt.pro.paradex`` after ``register()``) to stream.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import inspect
import os
import threading
import weakref
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from ccxt.base.errors import ExchangeClosedByUser, NotSupported

from .exchange import paradex as AsyncParadex

T = TypeVar("T")


class LoopThread:
    """An event loop on a daemon thread that other threads hand coroutines to and wait on."""

    def __init__(self, name: str) -> None:
        self.loop = asyncio.new_event_loop()
        self._lock = threading.Lock()
        self._closed = False
        self._pid = os.getpid()
        self.thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def run(self, awaitable: Awaitable[T]) -> T:
        """Run `awaitable` on the loop and block until it is done."""
        if threading.current_thread() is self.thread:
            _discard(awaitable)
            raise RuntimeError("a blocking exchange call was made from the exchange's own event loop thread")
        if os.getpid() != self._pid:
            # A forked child has the loop object but not its thread: waiting on it would hang forever.
            _discard(awaitable)
            raise RuntimeError("this exchange was created in another process: create a new one after fork")
        with self._lock:
            if self._closed:
                _discard(awaitable)
                raise ExchangeClosedByUser("paradex instance was closed by the user")
            future = asyncio.run_coroutine_threadsafe(_awaited(awaitable), self.loop)
        try:
            return future.result()
        except concurrent.futures.CancelledError:
            if self._closed:
                raise ExchangeClosedByUser("paradex instance was closed by the user") from None
            raise
        except BaseException:
            # Ctrl-C in the caller: the request must not keep running unobserved on the loop.
            future.cancel()
            raise

    def shutdown(self, closing: Callable[[], Awaitable[Any]]) -> None:
        """Cancel what is in flight, await `closing()` on the loop, stop the loop. Idempotent."""
        if os.getpid() != self._pid:
            return  # a forked child (e.g. at its exit): the loop and its session belong to the parent
        with self._lock:
            if self._closed:
                return
            self._closed = True
        if threading.current_thread() is self.thread:
            # Garbage collection can finalize the exchange on the loop thread itself: blocking here would deadlock.
            task = self.loop.create_task(self._wind_down(closing))
            task.add_done_callback(lambda _: self.loop.stop())
            return
        asyncio.run_coroutine_threadsafe(self._wind_down(closing), self.loop).result()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()
        self.loop.close()

    @staticmethod
    async def _wind_down(closing: Callable[[], Awaitable[Any]]) -> None:
        current = asyncio.current_task()
        in_flight = [task for task in asyncio.all_tasks() if task is not current]
        for task in in_flight:
            task.cancel()
        await asyncio.gather(*in_flight, return_exceptions=True)
        await closing()


def _discard(awaitable: Awaitable[Any]) -> None:
    if inspect.iscoroutine(awaitable):
        awaitable.close()  # refused by design: no "was never awaited" warning


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


class paradex:  # noqa: N801 - ccxt names exchange classes by their id
    """Synchronous Paradex exchange: the async ``paradex_ccxt.paradex`` behind a blocking, ccxt-sync surface."""

    synchronous = True
    _OWN = frozenset({"_async_exchange", "_loop_thread", "_finalizer"})
    _STREAM_PREFIXES = ("watch", "un_watch", "unWatch")

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        loop_thread = LoopThread("paradex-sync-loop")
        settings = dict(config or {})
        # ccxt binds its throttler and HTTP session to this loop instead of looking for a running one.
        settings["asyncio_loop"] = loop_thread.loop
        try:
            exchange = loop_thread.run(_construct(settings))
        except BaseException:
            loop_thread.shutdown(_nothing)
            raise
        object.__setattr__(self, "_async_exchange", exchange)
        object.__setattr__(self, "_loop_thread", loop_thread)
        # Holds no reference to self, so it runs when the instance is collected (or at exit) if close() was not called.
        object.__setattr__(self, "_finalizer", weakref.finalize(self, loop_thread.shutdown, exchange.close))

    @property
    def async_exchange(self) -> AsyncParadex:
        """The async instance behind this one (it lives on a private loop: only call it through this object)."""
        return self._async_exchange

    def close(self) -> None:
        """Release the HTTP session and stop the private loop."""
        self._finalizer()

    def __enter__(self) -> paradex:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def has(self) -> dict[str, Any]:
        has = dict(self._async_exchange.has)
        for feature in has:
            if feature == "ws" or feature.startswith(("watch", "unWatch")):
                has[feature] = False
        return has

    def __getattr__(self, name: str) -> Any:
        # Only reached for names this class does not define: everything ccxt defines lives on the async instance.
        if name in self._OWN:
            raise AttributeError(name)  # not constructed (yet): never recurse into the forwarding below
        if name.startswith(self._STREAM_PREFIXES):
            return functools.partial(_streams_are_async_only, name)
        value = getattr(self._async_exchange, name)
        # Routines only: callable objects held as attributes (the throttler, ...) are returned as they are.
        return self._blocking(value) if inspect.isroutine(value) else value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._OWN:
            raise AttributeError(f"{name} is fixed for the lifetime of the exchange")
        setattr(self._async_exchange, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._async_exchange, name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(dir(self._async_exchange)))

    def __repr__(self) -> str:
        return f"paradex_ccxt.sync.paradex({self._async_exchange.id})"

    def __str__(self) -> str:
        return str(self._async_exchange.name)

    def _blocking(self, method: Callable[..., Any]) -> Callable[..., Any]:
        exchange = self._async_exchange
        loop_thread = self._loop_thread

        @functools.wraps(method)
        def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            if inspect.isawaitable(result):
                result = loop_thread.run(result)
            # Methods that return the exchange itself (set_markets_from_exchange, ...) return this facade.
            return self if result is exchange else result

        return call


def _streams_are_async_only(name: str, *args: Any, **kwargs: Any) -> None:
    raise NotSupported(f"paradex {name}() streams: use the async class paradex_ccxt.paradex (ccxt.pro.paradex); the "
                       "synchronous class has no streams")


async def _construct(settings: dict[str, Any]) -> AsyncParadex:
    return AsyncParadex(settings)


async def _nothing() -> None:
    return None
