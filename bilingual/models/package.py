"""What an installed package is: its metadata, the identity of its files, the order of versions.

A package folder is laid out as argostranslate unpacks it: `metadata.json`, `model/` (the
CTranslate2 model) and `sentencepiece.model`, in a folder named after the archive's top folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilingual.errors import PackageInvalid

CONTENT_HASH_FILE = ".bilingual-content-hash"
_CHUNK = 1024**2


@dataclass(frozen=True)
class Place:
    """One place of the lookup order (`store.places`)."""

    number: int
    #: What the place is, in plain words: "$BILINGUAL_MODELS_DIR", "argostranslate's ...".
    what: str
    #: The folder looked in; None when there is none (`note` says why).
    path: Path | None
    note: str = ""

    @property
    def label(self) -> str:
        return f"{self.number}. {self.what}"


@dataclass(frozen=True)
class InstalledPackage:
    """An unpacked package; fields and defaults as `argostranslate.package.Package` reads them."""

    from_code: str
    to_code: str
    #: The package folder's name, e.g. `translate-zh_en-1_9`; `remove` accepts it.
    name: str
    package_version: str
    path: Path
    size_bytes: int
    target_prefix: str = ""
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    #: The place of the lookup order that holds it; None when read from a given folder.
    found_in: Place | None = field(default=None, compare=False)

    @property
    def pair(self) -> str:
        return f"{self.from_code}→{self.to_code}"

    @property
    def type(self) -> str:
        return str(self.metadata.get("type", "translate"))

    @property
    def model_path(self) -> Path:
        """The CTranslate2 model folder, for `ctranslate2.Translator`."""
        return self.path / "model"

    @property
    def sentencepiece_path(self) -> Path:
        return self.path / "sentencepiece.model"


def read_package(path: str | Path, found_in: Place | None = None) -> InstalledPackage:
    """Read an unpacked package folder. Raises PackageInvalid if its metadata.json is unusable."""
    path = Path(path)
    metadata_path = path / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageInvalid(f"{path}: no metadata.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageInvalid(f"{metadata_path}: unreadable ({one_line(exc)})") from None
    if not isinstance(metadata, dict):
        raise PackageInvalid(f"{metadata_path}: not a JSON object")
    return InstalledPackage(
        from_code=str(metadata.get("from_code") or ""),
        to_code=str(metadata.get("to_code") or ""),
        name=path.name,
        package_version=str(metadata.get("package_version", "")),
        path=path,
        size_bytes=tree_size(path),
        target_prefix=str(metadata.get("target_prefix", "") or ""),
        metadata=metadata,
        found_in=found_in,
    )


def version_key(version: str) -> tuple[int, Any]:
    """A sort key for package versions, newest largest: "1.9" < "1.10" < "1.10.1", "1.9rc1" < "1.9",
    "1.0" == "1.0.0" (PEP 440, as argostranslate compares them). A version PEP 440 cannot read
    sorts below every readable one, by its text."""
    from packaging.version import InvalidVersion, Version

    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version.strip())


def content_hash(package_dir: str | Path) -> str:
    """SHA-256 over the package's files (names and bytes): what the model *is*, whatever its
    name and version say. Computed once (at install) and stored in the package folder with a
    stamp of the files' sizes and times, so it is recomputed only if a file changes."""
    package_dir = Path(package_dir)
    files = _package_files(package_dir)
    stamp = hashlib.sha256(
        "\n".join(f"{rel}\t{p.stat().st_size}\t{p.stat().st_mtime_ns}" for rel, p in files).encode()
    ).hexdigest()[:16]
    stored = package_dir / CONTENT_HASH_FILE
    with contextlib.suppress(OSError, ValueError):
        digest, seen = stored.read_text(encoding="ascii").split()
        if seen == stamp and re.fullmatch(r"[0-9a-f]{64}", digest):
            return digest
    lines = []
    for rel, path in files:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                h.update(chunk)
        lines.append(f"{rel}\t{h.hexdigest()}")
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    with contextlib.suppress(OSError):  # a read-only models folder: computed again next time
        stored.write_text(f"{digest} {stamp}\n", encoding="ascii")
    return digest


def _package_files(package_dir: Path) -> list[tuple[str, Path]]:
    found = []
    for path in package_dir.rglob("*"):
        rel = path.relative_to(package_dir).as_posix()
        if path.is_file() and not any(part.startswith(".") for part in rel.split("/")):
            found.append((rel, path))
    return sorted(found)


def tree_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def human_size(size: int) -> str:
    """Sizes as `bilingual models list` prints them: 512 B, 3.4 MB, 1.2 GB."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover


def one_line(exc: object) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
