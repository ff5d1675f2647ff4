"""What a caller may pass to the order methods, checked before anything is sent.

A bot's arguments must mean one thing. ccxt's own helpers are lenient in ways that change an order's meaning
silently (``safe_string`` drops a ``Decimal``, ``safe_bool`` reads ``1`` as absent, an empty trigger price reads as
no trigger), so the order methods read their arguments through these functions instead: every unified number accepts
int, float, numeric str and ``Decimal`` alike, every flag must be a real bool, and anything else raises a ccxt error
naming the argument.
"""
from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ccxt.base.errors import BadRequest, BadSymbol, InvalidOrder

# A plain decimal number as text: no hex, no underscores, no words ('nan', 'inf').
NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# Far beyond any size, price or notional Paradex accepts; keeps exponent games ('1e999999') out of the arithmetic.
LARGEST = Decimal("1e30")
# What Paradex can take in an id that travels in a URL path or a JSON string: printable ASCII, no spaces.
ID_TEXT = re.compile(r"[\x21-\x7e]+")


def number(value: Any, name: str, *, positive: bool = True) -> str | None:
    """``value`` as a plain decimal string, or None when absent. Raises InvalidOrder for bools, NaN, infinities,
    empty or junk strings, containers, and (with ``positive``) zero or negative numbers."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidOrder(f"paradex {name} must be a number, not {value!r}")
    if isinstance(value, numbers.Integral):  # int, and numpy's integers (bots hand over pandas values)
        parsed = Decimal(int(value))
    elif isinstance(value, float) or (isinstance(value, numbers.Real) and not isinstance(value, Decimal)):
        value = float(value)
        if not math.isfinite(value):
            raise InvalidOrder(f"paradex {name} must be a finite number, not {value!r}")
        parsed = Decimal(repr(value))  # the shortest text that reads back as this float: 0.1, not 0.1000000000000000055
    elif isinstance(value, Decimal):
        parsed = value
    elif isinstance(value, str):
        if not NUMBER_TEXT.fullmatch(value.strip()):
            raise InvalidOrder(f"paradex {name} must be a number, not {value!r}")
        parsed = Decimal(value.strip())
    else:
        raise InvalidOrder(f"paradex {name} must be a number, not a {type(value).__name__}")
    if not parsed.is_finite():
        raise InvalidOrder(f"paradex {name} must be a finite number, not {value!r}")
    if abs(parsed) >= LARGEST:
        raise InvalidOrder(f"paradex {name} {value!r} is out of range")
    if positive and parsed <= 0:
        raise InvalidOrder(f"paradex {name} must be greater than 0, not {value!r}")
    try:
        text = format(parsed.normalize(), "f")
    except InvalidOperation as error:  # pragma: no cover - finite decimals below LARGEST always format
        raise InvalidOrder(f"paradex {name} {value!r} is not a usable number") from error
    return "0" if text in ("-0", "+0") else text


def flag(value: Any, name: str) -> bool | None:
    """A yes/no param: True, False or absent (None). ``1``, ``'true'`` and the like raise: a bot that meant
    reduce-only must not get a plain order because a string was truthy to one reader and not to another."""
    if value is None or isinstance(value, bool):
        return value
    raise InvalidOrder(f"paradex {name} must be True or False, not {value!r}")


def text(value: Any, name: str, error: type[Exception] = InvalidOrder) -> str | None:
    """A string argument (type, side, time in force, ...), or None when absent."""
    if value is None or isinstance(value, str):
        return value
    raise error(f"paradex {name} must be a string, not {type(value).__name__} {value!r}")


def symbol(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise BadSymbol(f"paradex symbol must be a non-empty string such as 'BTC/USD:USDC', not {value!r}")
    return value


def identifier(value: Any, name: str, max_length: int = 64) -> str | None:
    """An order id or client id: a str (or int) of printable ASCII without spaces, which Paradex can take in a
    URL path and a JSON body. None when absent."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidOrder(f"paradex {name} must be a string, not {type(value).__name__}")
    if not ID_TEXT.fullmatch(value) or len(value) > max_length:
        raise InvalidOrder(f"paradex {name} {value!r} cannot be sent to Paradex: it must be 1 to {max_length} "
                           f"printable ASCII characters without spaces")
    return value


def identifiers(values: Any, name: str) -> list[str]:
    """A list of ids or client ids (None: none), each as `identifier` reads it; a missing entry is refused."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise BadRequest(f"paradex {name}s must be a list, not {type(values).__name__}")
    checked = [identifier(value, name) for value in values]
    if None in checked:
        raise InvalidOrder(f"paradex {name}s hold None")
    return [value for value in checked if value is not None]


def integer(value: Any, name: str) -> int | None:
    """A whole number (int, or a str or Decimal holding one), or None when absent."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidOrder(f"paradex {name} must be an integer, not {value!r}")
    if isinstance(value, int):
        return value
    as_text = number(value, name, positive=False)
    if as_text is None or "." in as_text:
        raise InvalidOrder(f"paradex {name} must be an integer, not {value!r}")
    return int(as_text)


def same_value(given: Any, built: Any) -> bool:
    """Whether a raw param says the same as the field the unified arguments produced (numbers compared as numbers,
    words case-insensitively)."""
    if isinstance(built, str) and isinstance(given, str):
        if NUMBER_TEXT.fullmatch(built) and NUMBER_TEXT.fullmatch(given.strip()):
            return Decimal(built) == Decimal(given.strip())
        return built.upper() == given.upper()
    if isinstance(built, str) and isinstance(given, (int, float, Decimal)) and not isinstance(given, bool):
        try:
            return NUMBER_TEXT.fullmatch(built) is not None and Decimal(built) == Decimal(repr(given) if
                                                                                    isinstance(given, float) else given)
        except InvalidOperation:
            return False
    if isinstance(built, list) and isinstance(given, list):
        return sorted(map(str, built)) == sorted(map(str, given))
    return bool(given == built)


def contradiction(field: str, given: Any, built: Any) -> BadRequest:
    return BadRequest(f"paradex params['{field}'] = {given!r} contradicts the order's own {field} {built!r}: pass "
                      f"it through the unified arguments instead")
