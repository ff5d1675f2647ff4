"""The static implicit-API module and describe()['api'] name the same endpoints, the way ccxt names them."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from ccxt.base.types import Entry

from paradex_ccxt import paradex
from paradex_ccxt.implicit_api import ImplicitAPI

GENERATOR = Path(__file__).resolve().parent.parent / "tools" / "generate_implicit_api.py"


def generator():
    spec = importlib.util.spec_from_file_location("generate_implicit_api", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def declared() -> dict[str, tuple]:
    """Every (camel and snake) implicit name of describe()['api'] -> (path, api, method, config)."""
    names = generator().names
    api = paradex().describe()["api"]
    return {name: (path, [section], method.upper(), config)
            for section, methods in api.items() for method, paths in methods.items()
            for path, config in paths.items() for name in names(section, method, path)}


def test_every_endpoint_of_describe_is_an_entry_of_the_module_with_its_path_method_and_cost():
    entries = {name: (e.path, e.api, e.method, e.config) for name, e in vars(ImplicitAPI).items()
               if isinstance(e, Entry)}
    assert entries == declared()


def test_the_module_is_what_the_generator_writes_from_the_table():
    module = generator()
    from paradex_ccxt.endpoints import API

    assert module.render(API) == module.MODULE.read_text()


def endpoints_by_name(cls: type) -> dict[tuple, set[str]]:
    found: dict[tuple, set[str]] = {}
    for name, entry in vars(cls).items():
        if isinstance(entry, Entry):
            found.setdefault((tuple(entry.api), entry.method, entry.path), set()).add(name)
    return found


def test_an_endpoint_ccxt_also_declares_has_the_names_ccxt_gives_it():
    from ccxt.abstract.paradex import ImplicitAPI as BuiltIn

    ours, theirs = endpoints_by_name(ImplicitAPI), endpoints_by_name(BuiltIn)
    shared = ours.keys() & theirs.keys()
    assert len(shared) > 20
    assert {key: ours[key] for key in shared} == {key: theirs[key] for key in shared}


def test_the_exchange_resolves_an_endpoint_through_the_static_class():
    assert "privatePostOrders" in vars(ImplicitAPI)
    assert paradex.privatePostOrders is ImplicitAPI.privatePostOrders
