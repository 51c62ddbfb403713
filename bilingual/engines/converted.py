"""What the engines of converted model folders share (`models install --dir`): the folder's
manifest names the model, its files say its family, and the folder is the model itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bilingual.engines.seq2seq import ModelEngine, Settings
from bilingual.models.converted import detect_family, read_manifest


class ConvertedModel(ModelEngine):
    """Mixed in before the CTranslate2 class an engine runs (`Seq2SeqEngine`, or none)."""

    def __init__(self, path: str | Path, settings: Settings | None = None) -> None:
        super().__init__(path, settings)
        self.manifest = read_manifest(self.path)

    @classmethod
    def recognize(cls, path: Path) -> bool:
        return (family := detect_family(path)) is not None and family.engine == cls.name

    def identity(self) -> dict[str, Any]:
        return {
            "package": self.manifest.get("name") or self.path.name,
            "package_version": str(self.manifest.get("version", "")),
            "from_code": "zh",
            "to_code": "en",
        }

    @property
    def model_dir(self) -> Path:
        return self.path
