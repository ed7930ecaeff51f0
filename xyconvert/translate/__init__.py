"""Offline zh→en translation (issue #5): Argos packages run directly on CTranslate2.

Importing this package is cheap: the engine and its heavy dependencies (ctranslate2,
sentencepiece, argostranslate) load only when first used.

Public API::

    require_model(path) -> PackageInfo                  # NoTranslationModel if none installed
    translate_document(doc, *, terms=None, progress=None, device="cpu") -> list[str | None]
    translate_document_detailed(doc, ...) -> DocumentTranslation  # + term report, stats
    Engine, EngineOptions                               # for repeated / custom use
    split_sentences(text) -> list[str]
    parse_amount(text), render_amount(amount), convert_numbers(text), protect_numbers(s)
    terminal_progress(label) -> context manager yielding a progress callback or None
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Engine": "engine",
    "EngineOptions": "engine",
    "DocumentTranslation": "engine",
    "TranslationStats": "engine",
    "translate_document": "engine",
    "translate_document_detailed": "engine",
    "get_engine": "engine",
    "require_model": "packages",
    "find_package": "packages",
    "installed_packages": "packages",
    "PackageInfo": "packages",
    "split_sentences": "sentences",
    "split_segments": "sentences",
    "Amount": "numbers",
    "parse_amount": "numbers",
    "render_amount": "numbers",
    "find_amounts": "numbers",
    "convert_numbers": "numbers",
    "protect_numbers": "numbers",
    "TermReport": "terms",
    "LongestMatch": "terms",
    "terminal_progress": "progress",
    "cache_dir": "cache",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
