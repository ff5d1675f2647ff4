"""What the mixins build on, told to type checkers: ccxt's async Exchange with Paradex's implicit API.

At run time it is `object`: the mixins only become an exchange combined with the real Exchange in
exchange.paradex, and a mixin class must not bring a second copy of ccxt's base into that class's MRO.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ccxt.async_support.base.exchange import Exchange

    from .implicit_api import ImplicitAPI

    class ExchangeBase(Exchange, ImplicitAPI):
        # Attributes the mixins assign: ccxt declares them untyped in its __init__.
        currencies: dict[str, Any]
        currencies_by_id: dict[str, Any]
        codes: list[str]
        # Set in exchange.paradex.__init__.
        clock_lead: tuple[int, int] | None
else:
    ExchangeBase = object
