"""Installing an `.argosmodel` file: validate the archive, then unpack it safely and atomically.

Nothing is written before the archive has passed every check (layout, metadata, no unsafe or
linked paths, member count, sizes, compression ratio), every member is unpacked by our own code
with its declared size enforced, and the package appears by one rename once fully unpacked.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bilingual import safezip
from bilingual.errors import ModelAlreadyInstalled, ModelError, PackageInvalid
from bilingual.models import store
from bilingual.models.package import (
    InstalledPackage,
    content_hash,
    human_size,
    one_line,
    read_package,
    version_key,
)

#: Refuse packages that would unpack to more than this (the real zh→en package is ~100 MB).
MAX_UNPACKED_BYTES = 4 * 1024**3
#: A member this large that compressed more than MAX_RATIO times is a compression bomb.
#: Real model weights barely compress (int8/float weights: about 1.1x; vocabularies: about 4x).
RATIO_CHECK_MIN_BYTES = 1024**2
MAX_RATIO = 100
MAX_METADATA_BYTES = 1024**2
#: Argos packages hold a few dozen files; thousands of members is junk or an attack on the disk.
MAX_MEMBERS = 2000

#: The files every package must hold, besides metadata.json.
_REQUIRED = (
    ("model/model.bin", "CTranslate2 model (model/model.bin)"),
    ("sentencepiece.model", "SentencePiece model (sentencepiece.model)"),
)


@dataclass(frozen=True)
class _Plan:
    """What a validated archive will unpack to."""

    top: str
    metadata: dict[str, Any]
    members: list[zipfile.ZipInfo]
    total_bytes: int

    @property
    def from_code(self) -> str:
        return str(self.metadata["from_code"])

    @property
    def to_code(self) -> str:
        return str(self.metadata["to_code"])

    @property
    def version(self) -> str:
        return str(self.metadata.get("package_version", ""))


def install_from_file(
    path: str | Path,
    dir: str | Path | None = None,
    *,
    force: bool = False,
    expect_pair: tuple[str, str] | None = None,
) -> InstalledPackage:
    """Validate an `.argosmodel` file, then unpack it into the models directory atomically.

    A bad or interrupted install leaves the directory as it was. With `expect_pair`, a package
    for another language pair is refused.
    """
    path = Path(path)
    if not path.exists():
        raise PackageInvalid(f"{path}: no such file")
    if path.is_dir():
        raise PackageInvalid(f"{path}: is a directory, not an .argosmodel file")
    root = store.resolve_dir(dir)
    return install_archive(
        path, str(path), root, force=force, expect=expect_pair, anywhere=dir is None
    )


def install_archive(
    archive: Path,
    label: str,
    root: Path,
    *,
    force: bool,
    expect: tuple[str, str] | None,
    anywhere: bool = False,
) -> InstalledPackage:
    """Install `archive` (named `label` in messages) into `root`. Without `force`, refuse when
    its version is installed in `root` or (`anywhere`) is the one a run uses for its pair."""
    try:
        _check_is_zip(archive, label)
        # The shared archive limits (safezip): the member count read before the directory is,
        # declared sizes and ratios checked before anything is unpacked, and the bytes again
        # as they unpack (_extract).
        with open(archive, "rb") as fh, safezip.open_archive(fh, limits()) as zf:
            plan = validate(zf, label)
            if expect is not None and (plan.from_code, plan.to_code) != expect:
                raise PackageInvalid(
                    f"{label}: translates {plan.from_code}→{plan.to_code}, "
                    f"not {expect[0]}→{expect[1]}"
                )
            replaced = _check_not_installed(plan, root, force=force, anywhere=anywhere)
            with store.created_for_install(root):
                store.sweep_stale(root)
                staging = store.make_staging(root)
                try:
                    _extract(zf, plan, staging, label)
                    read_package(staging / plan.top)
                    content_hash(staging / plan.top)  # once, stored with the package
                    return _move_into_place(staging, plan.top, root, replaced)
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
    except safezip.ZipRefused as exc:
        if exc.limit:
            raise PackageInvalid(f"{label}: {exc}") from None
        raise PackageInvalid(
            f"{label}: damaged archive ({str(exc).removeprefix('damaged: ')})"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise PackageInvalid(f"{label}: damaged archive ({one_line(exc)})") from None
    except OSError as exc:
        raise ModelError(f"cannot install into {root}: {one_line(exc)}") from None


def limits() -> safezip.ZipLimits:
    """What a package may hold (read when used, so a test can lower one)."""
    return safezip.ZipLimits(
        "an Argos package",
        members=MAX_MEMBERS,
        unpacked=MAX_UNPACKED_BYTES,
        ratio=MAX_RATIO,
        ratio_floor=RATIO_CHECK_MIN_BYTES,
    )


def _check_is_zip(archive: Path, label: str) -> None:
    if zipfile.is_zipfile(archive):
        return
    with open(archive, "rb") as fh:
        if fh.read(4) == b"PK\x03\x04":
            raise PackageInvalid(f"{label}: damaged archive (truncated zip file?)")
    raise PackageInvalid(f"{label}: not a zip archive (an Argos package is a .argosmodel zip file)")


# ---------------------------------------------------------------- validation


def validate(zf: zipfile.ZipFile, label: str) -> _Plan:
    """Check every member and the package layout; what the archive will unpack to."""

    def bad(reason: str) -> PackageInvalid:
        return PackageInvalid(f"{label}: {reason}")

    members = zf.infolist()  # count, sizes and ratios: checked by safezip.open_archive
    if not members:
        raise bad("empty archive")
    names: set[str] = set()
    tops: set[str] = set()
    for info in members:
        tops.add(_check_member(info, names, bad))
    total = sum(info.file_size for info in members)
    top = _check_layout(tops, total, bad)
    files = {info.filename: info for info in members if not info.is_dir()}
    for required, what in _REQUIRED:
        if f"{top}/{required}" not in files:
            raise bad(f"no {what} in {top}/")
    metadata = _read_metadata(zf, files.get(f"{top}/metadata.json"), top, bad)
    return _Plan(top=top, metadata=metadata, members=members, total_bytes=total)


def _check_member(
    info: zipfile.ZipInfo, names: set[str], bad: Callable[[str], PackageInvalid]
) -> str:
    """Refuse an unsafe, linked, duplicate, encrypted or bomb member; its top-level folder."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise bad(f"encrypted member {name!r}")
    if "\\" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise bad(f"unsafe member path {name!r} (absolute)")
    parts = name.rstrip("/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        raise bad(f"unsafe member path {name!r}")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise bad(f"symbolic link {name!r} (packages hold regular files only)")
    key = name.rstrip("/")
    if key in names:
        raise bad(f"duplicate member {name!r}")
    names.add(key)
    if len(parts) == 1 and not info.is_dir():
        raise bad(f"file {name!r} outside the package folder (expected one top-level folder)")
    return parts[0]


def _check_layout(tops: set[str], total: int, bad: Callable[[str], PackageInvalid]) -> str:
    if len(tops) != 1:
        shown = ", ".join(sorted(tops)[:5])
        raise bad(f"{len(tops)} top-level folders ({shown}); a package has exactly one")
    (top,) = tops
    if top.startswith("."):
        raise bad(f"hidden top-level folder {top!r}")
    return top


def _read_metadata(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo | None,
    top: str,
    bad: Callable[[str], PackageInvalid],
) -> dict[str, Any]:
    if info is None:
        raise bad(f"no metadata.json in {top}/")
    if info.file_size > MAX_METADATA_BYTES:
        raise bad(f"{top}/metadata.json is {human_size(info.file_size)}, too large")
    try:
        metadata = json.loads(zf.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(f"{top}/metadata.json is not valid JSON ({one_line(exc)})") from None
    if not isinstance(metadata, dict):
        raise bad(f"{top}/metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            raise bad(f"{top}/metadata.json has no {key}")
    return metadata


def _check_not_installed(plan: _Plan, root: Path, *, force: bool, anywhere: bool) -> list[Path]:
    """The folders this install replaces; refuse, without force, if there are any, or if
    (`anywhere`) the package a run uses for the pair elsewhere is this version."""
    if anywhere and not force:
        used = store.find_package(plan.from_code, plan.to_code)
        if used is not None and version_key(used.package_version) == version_key(plan.version):
            raise ModelAlreadyInstalled(
                f"{plan.from_code}→{plan.to_code} {plan.version} is already installed "
                f"({used.path}); use --force to reinstall"
            )
    same = [
        p
        for p in store.list_installed(root)
        if (p.from_code, p.to_code, version_key(p.package_version))
        == (plan.from_code, plan.to_code, version_key(plan.version))
    ]
    replaced = [p.path for p in same]
    target = root / plan.top
    if target.exists() and target not in replaced:
        replaced.append(target)
    if replaced and not force:
        if same:
            raise ModelAlreadyInstalled(
                f"{plan.from_code}→{plan.to_code} {plan.version} is already installed "
                f"({same[0].path}); use --force to reinstall"
            )
        raise ModelAlreadyInstalled(f"{target}: already exists; use --force to replace it")
    return replaced


# ---------------------------------------------------------------- unpacking


def _extract(zf: zipfile.ZipFile, plan: _Plan, staging: Path, label: str) -> None:
    """Unpack every member ourselves: regular files only, never more bytes than declared, the
    limits checked on the bytes as they come (safezip)."""
    total = 0
    for info in plan.members:
        dest = staging.joinpath(*info.filename.rstrip("/").split("/"))
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "xb") as out:
            written = safezip.extract_member(zf, info, out, limits(), total)
        total += written
        if written != info.file_size:
            raise PackageInvalid(
                f"{label}: damaged archive ({info.filename!r} is shorter than declared)"
            )


def _move_into_place(staging: Path, top: str, root: Path, replaced: list[Path]) -> InstalledPackage:
    """Rename the unpacked folder into place; old versions go aside first, and back on failure."""
    moved: list[tuple[Path, Path]] = []
    try:
        for i, old in enumerate(replaced):
            aside = staging / f".old-{i}"
            os.rename(old, aside)
            moved.append((aside, old))
        target = root / top
        os.rename(staging / top, target)
    except BaseException:
        for aside, old in reversed(moved):
            with contextlib.suppress(OSError):
                os.rename(aside, old)
        raise
    return read_package(target)
