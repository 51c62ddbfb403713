"""Converted CTranslate2 models of the families other than Argos: installing, finding, listing.

Each is a folder in the models directory (next to the Argos packages) holding a converted
CTranslate2 model and a small manifest, ``.bilingual-model.json``, written when it was installed:

    {"engine": "nllb", "name": "nllb-200-distilled-600M", "version": "",
     "licence": "CC-BY-NC-4.0", "source": "facebook/nllb-200-distilled-600M"}

The manifest is hidden so that it stays out of the model's content hash (what keys the memory):
correcting a licence does not make a model new.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bilingual.errors import ModelAlreadyInstalled, ModelError, ModelNotInstalled, PackageInvalid
from bilingual.models import store
from bilingual.models.package import content_hash, human_size, one_line

MANIFEST = ".bilingual-model.json"
MAX_MANIFEST_BYTES = 64 * 1024
VOCABULARY_FILES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "target_vocabulary.json",
    "target_vocabulary.txt",
    "vocabulary.json",
    "vocabulary.txt",
)


def read_manifest(path: Path) -> dict[str, Any]:
    """The model folder's manifest ({} when it has none or it is unreadable)."""
    file = path / MANIFEST
    with contextlib.suppress(OSError, ValueError):
        if file.stat().st_size <= MAX_MANIFEST_BYTES:
            data = json.loads(file.read_text(encoding="utf-8"))
            if isinstance(data, dict):
                return data
    return {}


def vocabulary(path: Path) -> list[str]:
    """The tokens of a converted model's (target or shared) vocabulary, [] if it has none."""
    for name in VOCABULARY_FILES:
        file = path / name
        if not file.is_file():
            continue
        with contextlib.suppress(OSError, ValueError, UnicodeDecodeError):
            text = file.read_text(encoding="utf-8")
            if name.endswith(".json"):
                tokens = json.loads(text)
                return [str(t) for t in tokens] if isinstance(tokens, list) else []
            return text.splitlines()
    return []


@dataclass(frozen=True)
class InstalledModel:
    """A converted model folder of one of the CTranslate2 families."""

    engine: str  # the engine that runs it: nllb, opus-mt, llm
    name: str
    path: Path
    version: str = ""
    licence: str = ""
    manifest: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file())


def list_models(root: Path, engine: str | None = None) -> list[InstalledModel]:
    """Every model folder with a manifest in `root` (of `engine`, if given), by engine and name."""
    if not root.is_dir():
        return []
    found = []
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        m = read_manifest(child)
        kind = str(m.get("engine", ""))
        if not kind or (engine is not None and kind != engine):
            continue
        found.append(
            InstalledModel(
                kind,
                str(m.get("name") or child.name),
                child,
                str(m.get("version", "") or ""),
                str(m.get("licence", "") or ""),
                m,
            )
        )
    return sorted(found, key=lambda x: (x.engine, x.name))


def find_model(engine: str, name: str | None, root: Path) -> InstalledModel:
    """The one installed model of `engine` (the one called `name`, when several are)."""
    models = list_models(root, engine)
    if name:
        chosen = [m for m in models if name in (m.name, m.path.name)]
        if not chosen:
            have = ", ".join(m.name for m in models) or "none"
            raise ModelNotInstalled(
                f"no {engine} model called {name!r} in {root} (installed: {have}); "
                "`bilingual models list` shows what is there"
            )
        return chosen[0]
    if not models:
        raise ModelNotInstalled(
            f"no {engine} model installed in {root}; install a converted CTranslate2 model "
            "folder with `bilingual models install --dir FOLDER` (the README's 'Better English' "
            "says where to get one)"
        )
    if len(models) > 1:
        raise ModelNotInstalled(
            f"{len(models)} {engine} models are installed ({', '.join(m.name for m in models)}): "
            "choose one with --model NAME"
        )
    return models[0]


# ---------------------------------------------------------------- families


@dataclass(frozen=True)
class Family:
    """What a converted model folder of one engine's family holds."""

    engine: str
    label: str
    #: Files that must be there (besides a vocabulary), non-empty.
    required: tuple[str, ...]
    #: Vocabulary files, one of which must be there.
    vocabularies: tuple[str, ...]


_SEQ2SEQ_VOCABULARIES = (
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "target_vocabulary.json",
    "target_vocabulary.txt",
)
FAMILIES: dict[str, Family] = {
    "nllb": Family(
        "nllb",
        "NLLB-200 / M2M-100",
        ("model.bin", "config.json", "sentencepiece.bpe.model"),
        _SEQ2SEQ_VOCABULARIES,
    ),
    "opus-mt": Family(
        "opus-mt",
        "OPUS-MT (Marian)",
        ("model.bin", "config.json", "source.spm", "target.spm"),
        _SEQ2SEQ_VOCABULARIES,
    ),
    "llm": Family(
        "llm",
        "instruction LLM",
        ("model.bin", "config.json", "tokenizer.json"),
        ("vocabulary.json", "vocabulary.txt"),
    ),
}


def detect_family(path: Path) -> Family | None:
    """The family a converted folder's tell-tale files say it is (None: none of them)."""
    has = {p.name for p in path.iterdir()} if path.is_dir() else set()
    if {"source.spm", "target.spm"} <= has:
        return FAMILIES["opus-mt"]
    if "sentencepiece.bpe.model" in has:
        return FAMILIES["nllb"]
    if "tokenizer.json" in has and has & {"vocabulary.json", "vocabulary.txt"}:
        return FAMILIES["llm"]
    return None


# ---------------------------------------------------------------- installing

#: A 7B-parameter LLM in int8 is about 8 GB, in float16 about 15 GB; past this it is a mistake.
MAX_MODEL_BYTES = 64 * 1024**3
MAX_FILES = 2000
MAX_CONFIG_BYTES = 1024**2
_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")
_LICENCE_RE = re.compile(r"(?m)^licen[sc]e:\s*['\"]?([^'\"\n]+?)['\"]?\s*$")


def install_dir(
    source: str | Path,
    root: Path,
    *,
    engine: str | None = None,
    name: str | None = None,
    licence: str | None = None,
    force: bool = False,
    label: str | None = None,
) -> InstalledModel:
    """Validate a converted CTranslate2 model folder, then copy it into `root` atomically.

    The family is recognized from its files (or given as `engine`); its required files must be
    there, non-empty, with a readable config.json and vocabulary. Symbolic links are followed
    (a Hugging Face cache holds them) and copied as files; special files are refused. The copy
    appears by one rename once complete, with a manifest naming its engine, name and licence.
    """
    src = Path(source)
    label = label or str(src)
    if not src.exists():
        raise PackageInvalid(f"{label}: no such folder")
    if not src.is_dir():
        raise PackageInvalid(
            f"{label}: not a folder (an archive goes with --file, a folder with --dir)"
        )
    family = _family(src, engine, label)
    files = _files(src, label)
    _check_required(src, family, label)
    total = sum(size for _, _, size in files)
    if total > MAX_MODEL_BYTES:
        raise PackageInvalid(
            f"{label}: {human_size(total)}, more than the {human_size(MAX_MODEL_BYTES)} limit"
        )
    name = name or read_manifest(src).get("name") or src.resolve().name
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise PackageInvalid(
            f"{label}: {name!r} cannot name a model folder; give --name with letters, digits, "
            "'.', '_', '+' or '-' (at most 100)"
        )
    target = root / name
    if (target.exists() or target.is_symlink()) and not force:
        raise ModelAlreadyInstalled(f"{target}: already exists; use --force to replace it")
    manifest = {
        "engine": family.engine,
        "name": name,
        "version": str(read_manifest(src).get("version", "") or ""),
        "licence": licence or read_manifest(src).get("licence") or _readme_licence(src),
        "source": str(src.resolve()),
    }
    try:
        with store.created_for_install(root):
            store.sweep_stale(root)
            free = shutil.disk_usage(root).free
            if total > free:
                raise ModelError(
                    f"cannot install into {root}: the model takes {human_size(total)} and the "
                    f"disk has {human_size(free)} free"
                )
            staging = Path(tempfile.mkdtemp(prefix=store.PARTIAL_PREFIX, dir=root))
            try:
                folder = staging / name
                for rel, path, size in files:
                    dest = folder.joinpath(*rel.split("/"))
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with open(path, "rb") as fin, open(dest, "xb") as fout:
                        shutil.copyfileobj(fin, fout, 1024**2)
                    if dest.stat().st_size != size:
                        raise PackageInvalid(f"{label}: {rel} changed while it was copied")
                (folder / MANIFEST).write_text(
                    json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
                content_hash(folder)  # once, stored with the model
                _into_place(folder, target, staging)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise ModelError(f"cannot install into {root}: {one_line(exc)}") from None
    (found,) = [m for m in list_models(root) if m.path == target]
    return found


def install_archive(
    archive: str | Path,
    root: Path,
    *,
    engine: str | None = None,
    name: str | None = None,
    licence: str | None = None,
    force: bool = False,
) -> InstalledModel:
    """A converted model folder zipped (one top-level folder): validated member by member as
    an Argos package is, unpacked into a temporary folder beside the models, then installed."""
    from bilingual.models import archive as argos_archive

    path = Path(archive)
    label = str(path)
    if not path.is_file():
        raise PackageInvalid(f"{label}: no such file")
    if not zipfile.is_zipfile(path):
        raise PackageInvalid(f"{label}: not a zip archive of a model folder")

    def bad(reason: str) -> PackageInvalid:
        return PackageInvalid(f"{label}: {reason}")

    try:
        with zipfile.ZipFile(path) as zf:
            members = zf.infolist()
            if not members:
                raise bad("empty archive")
            if len(members) > MAX_FILES:
                raise bad(f"{len(members)} members, more than the {MAX_FILES} a model may hold")
            names: set[str] = set()
            tops = {argos_archive._check_member(info, names, bad) for info in members}
            if len(tops) != 1:
                raise bad(f"{len(tops)} top-level folders; a model archive has exactly one")
            total = sum(info.file_size for info in members)
            if total > MAX_MODEL_BYTES:
                raise bad(f"would unpack to {human_size(total)}, more than the limit")
            with store.created_for_install(root):
                unpacked = Path(tempfile.mkdtemp(prefix=store.PARTIAL_PREFIX, dir=root))
                try:
                    _unpack(zf, members, unpacked, label)
                    (top,) = tops
                    return install_dir(
                        unpacked / top,
                        root,
                        engine=engine,
                        name=name or top,
                        licence=licence,
                        force=force,
                        label=label,
                    )
                finally:
                    shutil.rmtree(unpacked, ignore_errors=True)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise PackageInvalid(f"{label}: damaged archive ({one_line(exc)})") from None
    except OSError as exc:
        raise ModelError(f"cannot install into {root}: {one_line(exc)}") from None


def _unpack(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], dest: Path, label: str) -> None:
    """Every (checked) member written by our own code, never more bytes than it declares."""
    for info in members:
        out_path = dest.joinpath(*info.filename.rstrip("/").split("/"))
        if info.is_dir():
            out_path.mkdir(parents=True, exist_ok=True)
            continue
        out_path.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with zf.open(info) as src, open(out_path, "xb") as out:
            while chunk := src.read(1024**2):
                written += len(chunk)
                if written > info.file_size:
                    raise PackageInvalid(f"{label}: {info.filename!r} is larger than declared")
                out.write(chunk)
        if written != info.file_size:
            raise PackageInvalid(f"{label}: {info.filename!r} is shorter than declared")


def _family(src: Path, engine: str | None, label: str) -> Family:
    if engine is not None:
        if engine not in FAMILIES:
            raise PackageInvalid(
                f"--engine {engine}: installs with --dir are {', '.join(FAMILIES)} "
                "(an Argos package installs with --file PACKAGE.argosmodel)"
            )
        return FAMILIES[engine]
    family = detect_family(src)
    if family is None:
        if (src / "metadata.json").is_file() and (src / "model").is_dir():
            raise PackageInvalid(
                f"{label}: an unpacked Argos package; install its .argosmodel file with --file"
            )
        raise PackageInvalid(
            f"{label}: not a converted CTranslate2 model of a known family (NLLB-200/M2M-100: "
            "sentencepiece.bpe.model; OPUS-MT: source.spm and target.spm; LLM: tokenizer.json "
            "and vocabulary.json, beside model.bin and config.json)"
        )
    return family


def _files(src: Path, label: str) -> list[tuple[str, Path, int]]:
    """(relative name, path, size) of every file to copy; hidden files stay behind."""
    found: list[tuple[str, Path, int]] = []
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src).as_posix()
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        try:
            st = path.stat()  # follows a link: its target is what gets copied
        except OSError as exc:
            raise PackageInvalid(f"{label}: {rel}: {one_line(exc)} (a broken link?)") from None
        if stat.S_ISDIR(st.st_mode):
            continue
        if not stat.S_ISREG(st.st_mode):
            raise PackageInvalid(f"{label}: {rel} is not a regular file")
        found.append((rel, path, st.st_size))
        if len(found) > MAX_FILES:
            raise PackageInvalid(f"{label}: more than {MAX_FILES} files; not a model folder")
    return found


def _check_required(src: Path, family: Family, label: str) -> None:
    for name in family.required:
        path = src / name
        if not path.is_file():
            raise PackageInvalid(f"{label}: no {name} (a {family.label} model needs it)")
        if path.stat().st_size == 0:
            raise PackageInvalid(f"{label}: {name} is empty")
    if not any((src / v).is_file() for v in family.vocabularies):
        raise PackageInvalid(
            f"{label}: no vocabulary ({' or '.join(family.vocabularies[:2])}); "
            "was it converted with CTranslate2?"
        )
    if not vocabulary(src):
        raise PackageInvalid(f"{label}: the vocabulary file is unreadable or empty")
    config = src / "config.json"
    if config.stat().st_size > MAX_CONFIG_BYTES:
        raise PackageInvalid(f"{label}: config.json is {human_size(config.stat().st_size)}")
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise PackageInvalid(f"{label}: config.json is not valid JSON ({one_line(exc)})") from None
    if not isinstance(data, dict):
        raise PackageInvalid(f"{label}: config.json is not a JSON object")


def _readme_licence(src: Path) -> str:
    """The licence a Hugging Face model card states in its front matter (`license: mit`)."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        text = (src / "README.md").read_text(encoding="utf-8")[:8192]
        if text.startswith("---"):
            m = _LICENCE_RE.search(text.split("---", 2)[1])
            if m:
                return m.group(1).strip()
    return ""


def _into_place(folder: Path, target: Path, staging: Path) -> None:
    """Rename the copy into place; what it replaces goes aside first, and back on failure."""
    aside = staging / ".old"
    replaced = target.exists() or target.is_symlink()
    if replaced:
        os.rename(target, aside)
    try:
        os.rename(folder, target)
    except BaseException:
        if replaced:
            with contextlib.suppress(OSError):
                os.rename(aside, target)
        raise


def remove_model(name: str, root: Path) -> InstalledModel | None:
    """Remove the converted model called `name` (None when there is none)."""
    for m in list_models(root):
        if name in (m.name, m.path.name):
            try:
                aside = Path(tempfile.mkdtemp(prefix=store.PARTIAL_PREFIX, dir=root))
                os.rename(m.path, aside / m.path.name)
            except OSError as exc:
                raise ModelError(f"cannot remove {m.path}: {one_line(exc)}") from None
            shutil.rmtree(aside, ignore_errors=True)
            return m
    return None
