"""Backend selection and the fallbacks: when the fast Rust libraries are not importable, starknet-py's crypto-cpp
produces the same hashes and signatures identical to the official SDK's (RFC 6979, seed 32)."""
from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from paradex_ccxt import signing
from tests.signing_vectors import ALL, PRIVATE_KEYS, VECTORS, hexint, our_hash, params

FAST_MODULES = ("fast_stark_crypto", "fast_stark_crypto.fast_stark_crypto", "fast_stark_crypto.lib")
PATHFINDER_MODULES = ("starknet_pathfinder_crypto", "starknet_pathfinder_crypto.starknet_pathfinder_crypto")


def hide(monkeypatch: pytest.MonkeyPatch, modules: tuple[str, ...]) -> None:
    # A None entry in sys.modules makes `import` raise ImportError, as if the package were not installed.
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


@pytest.fixture
def fallback(monkeypatch: pytest.MonkeyPatch) -> Iterator[signing.Backend]:
    """The backend load_backend() picks when neither Rust library can be imported, made active for the test."""
    hide(monkeypatch, FAST_MODULES + PATHFINDER_MODULES)
    backend = signing.load_backend()
    previous = signing.use_backend(backend)
    try:
        yield backend
    finally:
        signing.use_backend(previous)


def test_without_rust_libraries_both_providers_fall_back_to_crypto_cpp(monkeypatch):
    hide(monkeypatch, FAST_MODULES + PATHFINDER_MODULES)
    backend = signing.load_backend()
    assert (backend.pedersen, backend.ecdsa) == ("crypto-cpp", "crypto-cpp")


def test_without_pathfinder_pedersen_comes_from_fast_stark_crypto(monkeypatch):
    pytest.importorskip("fast_stark_crypto")
    hide(monkeypatch, PATHFINDER_MODULES)
    backend = signing.load_backend()
    assert (backend.pedersen, backend.ecdsa) == ("fast-stark-crypto", "fast-stark-crypto")


def test_default_backend_prefers_pathfinder_pedersen_and_fast_stark_crypto_ecdsa():
    pytest.importorskip("fast_stark_crypto")
    pytest.importorskip("starknet_pathfinder_crypto")
    backend = signing.load_backend()
    assert (backend.pedersen, backend.ecdsa) == ("starknet-pathfinder-crypto", "fast-stark-crypto")


@pytest.mark.parametrize("vector", params(ALL))
def test_fallback_reproduces_vector_message_hash(fallback, vector):
    assert hex(our_hash(vector)) == vector["expected"]["message_hash"]


@pytest.mark.parametrize("vector", params(VECTORS["orders"][:3] + VECTORS["auth"][-1:]))
def test_fallback_signature_equals_sdk_signature(fallback, vector):
    signer = signing.StarkSigner(PRIVATE_KEYS[hexint(vector["signer_public_key"])])
    assert signer.sign(our_hash(vector)) == (hexint(vector["expected"]["r"]), hexint(vector["expected"]["s"]))


def test_fallback_public_key_matches_vector(fallback):
    public_key, private_key = next(iter(PRIVATE_KEYS.items()))
    assert signing.StarkSigner(private_key).public_key == public_key


def test_switching_backend_recomputes_cached_hash_seeds(fallback):
    # The cached seeds were filled by the fallback; a hash after switching back must still match.
    vector = VECTORS["orders"][0]
    assert hex(our_hash(vector)) == vector["expected"]["message_hash"]
    previous = signing.use_backend(signing.make_backend("crypto-cpp", "crypto-cpp"))
    try:
        assert hex(our_hash(vector)) == vector["expected"]["message_hash"]
    finally:
        signing.use_backend(previous)


@pytest.mark.parametrize("pedersen", list(signing.PEDERSEN_PROVIDERS))
@pytest.mark.parametrize("vector", params([VECTORS["onboarding"][0], VECTORS["auth"][0], VECTORS["orders"][0],
                                           VECTORS["modify_orders"][0]]))
def test_every_pedersen_provider_reproduces_vector_hash(pedersen, vector):
    try:
        backend = signing.make_backend(pedersen, "crypto-cpp")
    except ImportError:
        pytest.skip(f"{pedersen} is not installed")
    previous = signing.use_backend(backend)
    try:
        assert hex(our_hash(vector)) == vector["expected"]["message_hash"]
    finally:
        signing.use_backend(previous)


@pytest.mark.parametrize("ecdsa", list(signing.ECDSA_PROVIDERS))
def test_every_ecdsa_provider_signature_verifies(ecdsa):
    try:
        backend = signing.make_backend("crypto-cpp", ecdsa)
    except ImportError:
        pytest.skip(f"{ecdsa} is not installed")
    vector = VECTORS["orders"][1]
    public_key = hexint(vector["signer_public_key"])
    r, s = backend.sign(PRIVATE_KEYS[public_key], hexint(vector["expected"]["message_hash"]))
    assert backend.public_key(PRIVATE_KEYS[public_key]) == public_key
    assert signing.verify(public_key, hexint(vector["expected"]["message_hash"]), r, s)


@pytest.mark.parametrize("vector", params(VECTORS["orders"][:3]))
def test_fallback_verifies_the_sdk_signature_and_rejects_another_hash(fallback, vector):
    expected = vector["expected"]
    public_key, r, s = hexint(vector["signer_public_key"]), hexint(expected["r"]), hexint(expected["s"])
    assert signing.verify(public_key, hexint(expected["message_hash"]), r, s)
    assert not signing.verify(public_key, hexint(expected["message_hash"]) + 1, r, s)


def test_the_fast_and_the_fallback_verifier_agree_on_good_and_tampered_signatures():
    pytest.importorskip("fast_stark_crypto")
    fast = signing.make_backend("fast-stark-crypto", "fast-stark-crypto")
    cpp = signing.make_backend("crypto-cpp", "crypto-cpp")
    signer = signing.StarkSigner(0x5EED)
    for msg_hash in (1, 0x1234, 2**250 + 7):
        r, s = signer.sign(msg_hash)
        for args in ((msg_hash, r, s), (msg_hash + 1, r, s), (msg_hash, r, signing.EC_ORDER - s), (msg_hash, s, r)):
            assert fast.verify(signer.public_key, *args) == cpp.verify(signer.public_key, *args)
