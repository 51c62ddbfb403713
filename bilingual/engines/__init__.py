"""Translation engines: one abstract interface, the Argos/CTranslate2 engine behind it."""

from bilingual.engines.base import Engine, Result

__all__ = ["Engine", "Result"]
