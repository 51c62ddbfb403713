"""Translation engines: one interface (`Engine`), a family of CTranslate2 engines behind it.

The registry maps each `--engine` name to the class that runs it, imported only when asked
for, so naming an engine costs nothing until it translates (`bilingual --help` imports this
module for the names alone: it imports nothing else).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bilingual.engines.base import Engine, Result
    from bilingual.engines.seq2seq import ModelEngine

#: --engine NAME -> "module:Class". Argos stays the default.
ENGINES: dict[str, str] = {
    "argos": "bilingual.engines.argos:ArgosEngine",
    "nllb": "bilingual.engines.nllb:NllbEngine",
    "opus-mt": "bilingual.engines.opus_mt:OpusMtEngine",
    "llm": "bilingual.engines.llm:LlmEngine",
}
DEFAULT_ENGINE = "argos"


def engine_class(name: str) -> type[ModelEngine]:
    """The engine class registered under `name` (ValueError naming the choices otherwise)."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; one of {', '.join(ENGINES)}")
    module, cls = ENGINES[name].split(":")
    found: type[ModelEngine] = getattr(import_module(module), cls)
    return found


def __getattr__(name: str) -> Any:
    if name in ("Engine", "Result"):
        return getattr(import_module("bilingual.engines.base"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["DEFAULT_ENGINE", "ENGINES", "Engine", "Result", "engine_class"]
