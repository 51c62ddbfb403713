"""Argos Translate model packages: where they live, installing, listing and removing them.

Packages are unpacked in the layout argostranslate uses (one folder per package, named after the
zip's top-level folder, holding `metadata.json`, `model/` and `sentencepiece.model`), so a models
directory stays usable by argostranslate too. Nothing here imports argostranslate: its `package`
module creates user directories on import and its install path imports torch.

Only `fetch_index` and `install_from_index` open network connections.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from bilingual.errors import (
    ModelAlreadyInstalled,
    ModelError,
    ModelNotInstalled,
    NetworkError,
    PackageInvalid,
)

#: The package index argostranslate reads (`argostranslate.settings.remote_package_index`).
DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
ENV_VAR = "BILINGUAL_MODELS_DIR"

#: Refuse packages that would unpack to more than this (the real zh→en package is ~100 MB).
MAX_UNPACKED_BYTES = 4 * 1024**3
#: A member this large that compressed more than MAX_RATIO times is a compression bomb.
#: Real model weights barely compress (int8/float weights: about 1.1x; vocabularies: about 4x).
RATIO_CHECK_MIN_BYTES = 1024**2
MAX_RATIO = 100
MAX_METADATA_BYTES = 1024**2
#: Argos packages hold a few dozen files; thousands of members is junk or an attack on the disk.
MAX_MEMBERS = 2000
MAX_INDEX_BYTES = 64 * 1024**2
DOWNLOAD_TIMEOUT = 30.0

#: Temporary files and folders inside the models directory; hidden, so listings skip them.
_PARTIAL_PREFIX = ".partial-"
#: Leftovers of a killed install older than this are swept by the next install.
_STALE_SECONDS = 24 * 3600
_CHUNK = 1024**2

Progress = Callable[[int, int | None], None]


# ---------------------------------------------------------------- where models live


def models_dir() -> tuple[Path, str]:
    """The models directory in use and why: env var, the project's `models/`, or user data dir."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser().absolute(), f"${ENV_VAR} is set"
    project = _find_project(Path.cwd())
    if project is not None:
        return project / "models", f"the models/ folder of the bilingual project at {project}"
    import platformdirs

    path = Path(platformdirs.user_data_dir("bilingual")) / "models"
    return path, (
        f"the user data directory: ${ENV_VAR} is not set and the current directory "
        "is not inside the bilingual project"
    )


def _find_project(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        if (directory / "models").is_dir() and _is_bilingual_pyproject(
            directory / "pyproject.toml"
        ):
            return directory
    return None


def _is_bilingual_pyproject(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            project = tomllib.loads(text).get("project", {})
        except tomllib.TOMLDecodeError:
            return False
        return isinstance(project, dict) and project.get("name") == "bilingual"
    return re.search(r"""(?m)^\s*name\s*=\s*["']bilingual["']\s*$""", text) is not None


def _resolve_dir(dir: str | Path | None) -> Path:
    return Path(dir) if dir is not None else models_dir()[0]


# ---------------------------------------------------------------- installed packages


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


def read_package(path: str | Path) -> InstalledPackage:
    """Read an unpacked package folder. Raises PackageInvalid if its metadata.json is unusable."""
    path = Path(path)
    metadata_path = path / "metadata.json"
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PackageInvalid(f"{path}: no metadata.json") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageInvalid(f"{metadata_path}: unreadable ({_one_line(exc)})") from None
    if not isinstance(metadata, dict):
        raise PackageInvalid(f"{metadata_path}: not a JSON object")
    return InstalledPackage(
        from_code=str(metadata.get("from_code") or ""),
        to_code=str(metadata.get("to_code") or ""),
        name=path.name,
        package_version=str(metadata.get("package_version", "")),
        path=path,
        size_bytes=_tree_size(path),
        target_prefix=str(metadata.get("target_prefix", "") or ""),
        metadata=metadata,
    )


def list_installed(dir: str | Path | None = None) -> list[InstalledPackage]:
    """Every readable package in the models directory, by pair, newest version first.

    Folders without a usable metadata.json (and hidden temporary ones) are skipped.
    """
    root = _resolve_dir(dir)
    if not root.is_dir():
        return []
    packages = []
    for child in root.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        with contextlib.suppress(PackageInvalid):
            packages.append(read_package(child))
    # Newest version first (with the folder name as a tie-break), pairs in alphabetical order.
    packages.sort(key=lambda p: (_Version(p.package_version), p.name), reverse=True)
    packages.sort(key=lambda p: (p.from_code, p.to_code))
    return packages


def find_package(
    from_code: str, to_code: str, dir: str | Path | None = None
) -> InstalledPackage | None:
    """The installed translate package for the pair, the newest version if there are several."""
    for package in list_installed(dir):
        if (package.from_code, package.to_code) == (from_code, to_code) and (
            package.type == "translate"
        ):
            return package
    return None


def require_package(
    from_code: str = "zh", to_code: str = "en", dir: str | Path | None = None
) -> InstalledPackage:
    """Like find_package, but raise ModelNotInstalled saying what to run when there is none."""
    root = _resolve_dir(dir)
    package = find_package(from_code, to_code, root)
    if package is None:
        raise ModelNotInstalled(not_installed_message(from_code, to_code, root))
    return package


def not_installed_message(from_code: str, to_code: str, root: Path) -> str:
    return (
        f"no {from_code}→{to_code} model installed in {root}; "
        f"run `bilingual models install {from_code} {to_code}` to download it, "
        f"or `bilingual models install --file PACKAGE.argosmodel` to install a file offline "
        f"(installed elsewhere? point ${ENV_VAR} at that models folder)"
    )


# ---------------------------------------------------------------- installing a file


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

    Nothing is written before the archive has passed every check, and the package only appears
    (by one rename) once fully unpacked: a bad or interrupted install leaves the directory as it
    was. With `expect_pair`, a package for another language pair is refused.
    """
    path = Path(path)
    if not path.exists():
        raise PackageInvalid(f"{path}: no such file")
    if path.is_dir():
        raise PackageInvalid(f"{path}: is a directory, not an .argosmodel file")
    return _install_archive(path, str(path), _resolve_dir(dir), force=force, expect=expect_pair)


def _install_archive(
    archive: Path, label: str, root: Path, *, force: bool, expect: tuple[str, str] | None
) -> InstalledPackage:
    try:
        if not zipfile.is_zipfile(archive):
            with open(archive, "rb") as fh:
                if fh.read(4) == b"PK\x03\x04":
                    raise PackageInvalid(f"{label}: damaged archive (truncated zip file?)")
            raise PackageInvalid(
                f"{label}: not a zip archive (an Argos package is a .argosmodel zip file)"
            )
        with zipfile.ZipFile(archive) as zf:
            plan = _validate(zf, label)
            if expect is not None and (plan.from_code, plan.to_code) != expect:
                raise PackageInvalid(
                    f"{label}: translates {plan.from_code}→{plan.to_code}, "
                    f"not {expect[0]}→{expect[1]}"
                )
            replaced = _check_not_installed(plan, root, force=force)
            with _created_for_install(root):
                _sweep_stale(root)
                staging = Path(tempfile.mkdtemp(prefix=_PARTIAL_PREFIX, dir=root))
                try:
                    _extract(zf, plan, staging, label)
                    read_package(staging / plan.top)
                    content_hash(staging / plan.top)  # once, stored with the package
                    return _move_into_place(staging, plan.top, root, replaced)
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise PackageInvalid(f"{label}: damaged archive ({_one_line(exc)})") from None
    except OSError as exc:
        raise ModelError(f"cannot install into {root}: {_one_line(exc)}") from None


@contextlib.contextmanager
def _created_for_install(root: Path) -> Iterator[None]:
    """Create the models directory (and parents) for an install; if it fails, remove them again."""
    missing = [d for d in (root, *root.parents) if not d.exists()]
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the models directory {root}: {_one_line(exc)}") from None
    try:
        yield
    except BaseException:
        for directory in missing:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def _validate(zf: zipfile.ZipFile, label: str) -> _Plan:
    def bad(reason: str) -> PackageInvalid:
        return PackageInvalid(f"{label}: {reason}")

    members = zf.infolist()
    if not members:
        raise bad("empty archive")
    if len(members) > MAX_MEMBERS:
        raise bad(f"{len(members)} members, more than the {MAX_MEMBERS} a package may hold")
    names: set[str] = set()
    tops: set[str] = set()
    total = 0
    for info in members:
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
        tops.add(parts[0])
        total += info.file_size
        if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise bad(
                f"{name!r} would expand {info.file_size // max(info.compress_size, 1)} times "
                "(a compression bomb?)"
            )
    if len(tops) != 1:
        shown = ", ".join(sorted(tops)[:5])
        raise bad(f"{len(tops)} top-level folders ({shown}); a package has exactly one")
    (top,) = tops
    if top.startswith("."):
        raise bad(f"hidden top-level folder {top!r}")
    if total > MAX_UNPACKED_BYTES:
        raise bad(
            f"would unpack to {_human(total)}, more than the {_human(MAX_UNPACKED_BYTES)} limit"
        )
    files = {info.filename: info for info in members if not info.is_dir()}
    for required, what in (
        ("model/model.bin", "CTranslate2 model (model/model.bin)"),
        ("sentencepiece.model", "SentencePiece model (sentencepiece.model)"),
    ):
        if f"{top}/{required}" not in files:
            raise bad(f"no {what} in {top}/")
    metadata = _read_metadata(zf, files.get(f"{top}/metadata.json"), top, bad)
    return _Plan(top=top, metadata=metadata, members=members, total_bytes=total)


def _read_metadata(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo | None,
    top: str,
    bad: Callable[[str], PackageInvalid],
) -> dict[str, Any]:
    if info is None:
        raise bad(f"no metadata.json in {top}/")
    if info.file_size > MAX_METADATA_BYTES:
        raise bad(f"{top}/metadata.json is {_human(info.file_size)}, too large")
    try:
        metadata = json.loads(zf.read(info).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise bad(f"{top}/metadata.json is not valid JSON ({_one_line(exc)})") from None
    if not isinstance(metadata, dict):
        raise bad(f"{top}/metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not value.strip():
            raise bad(f"{top}/metadata.json has no {key}")
    return metadata


def _check_not_installed(plan: _Plan, root: Path, *, force: bool) -> list[Path]:
    """The folders this install replaces; refuse, without force, if there are any."""
    same = [
        p
        for p in list_installed(root)
        if (p.from_code, p.to_code, _Version(p.package_version))
        == (plan.from_code, plan.to_code, _Version(plan.version))
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


def _extract(zf: zipfile.ZipFile, plan: _Plan, staging: Path, label: str) -> None:
    """Unpack every member ourselves: regular files only, never more bytes than declared."""
    for info in plan.members:
        dest = staging.joinpath(*info.filename.rstrip("/").split("/"))
        if info.is_dir():
            dest.mkdir(parents=True, exist_ok=True)
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        with zf.open(info) as src, open(dest, "xb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > info.file_size:
                    raise PackageInvalid(
                        f"{label}: damaged archive ({info.filename!r} is larger than declared)"
                    )
                out.write(chunk)
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


def _sweep_stale(root: Path) -> None:
    """Remove what a killed install left behind (hidden, so it never showed as installed)."""
    cutoff = time.time() - _STALE_SECONDS
    for leftover in root.glob(_PARTIAL_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if leftover.lstat().st_mtime < cutoff:
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink()


# ---------------------------------------------------------------- what a model is

CONTENT_HASH_FILE = ".bilingual-content-hash"


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


# ---------------------------------------------------------------- removing


def remove(
    from_code_or_name: str, to_code: str | None = None, dir: str | Path | None = None
) -> list[InstalledPackage]:
    """Remove every installed version of a pair (`remove("zh", "en")`) or one package by folder
    name (`remove("translate-zh_en-1_9")`). Returns what was removed."""
    root = _resolve_dir(dir)
    installed = list_installed(root)
    if to_code is None:
        doomed = [p for p in installed if p.name == from_code_or_name]
        if not doomed:
            raise ModelNotInstalled(
                f"no package named {from_code_or_name!r} in {root} (see `bilingual models list`)"
            )
    else:
        doomed = [p for p in installed if (p.from_code, p.to_code) == (from_code_or_name, to_code)]
        if not doomed:
            raise ModelNotInstalled(f"no {from_code_or_name}→{to_code} model installed in {root}")
    for package in doomed:
        # Rename first, so a half-deleted package never looks installed.
        try:
            aside = Path(tempfile.mkdtemp(prefix=_PARTIAL_PREFIX, dir=root))
            os.rename(package.path, aside / package.name)
        except OSError as exc:
            raise ModelError(f"cannot remove {package.path}: {_one_line(exc)}") from None
        shutil.rmtree(aside, ignore_errors=True)
    return doomed


# ---------------------------------------------------------------- the package index (network)


def fetch_index(
    url: str = DEFAULT_INDEX, *, timeout: float = DOWNLOAD_TIMEOUT
) -> list[dict[str, Any]]:
    """Read a package index (a JSON list of package metadata) from a URL or a local file."""
    url = _as_url(url)
    data = bytearray()
    with _open_url(url, timeout) as response:
        while chunk := _read(response, url, _CHUNK):
            data += chunk
            if len(data) > MAX_INDEX_BYTES:
                raise ModelError(f"{url}: larger than {_human(MAX_INDEX_BYTES)}, not an index")
    try:
        index = json.loads(bytes(data).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{url}: not a package index ({_one_line(exc)})") from None
    if not isinstance(index, list):
        raise ModelError(f"{url}: not a package index (expected a JSON list of packages)")
    return [entry for entry in index if isinstance(entry, dict)]


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str = DEFAULT_INDEX,
    progress: Progress | None = None,
    dir: str | Path | None = None,
    force: bool = False,
    timeout: float = DOWNLOAD_TIMEOUT,
    on_download: Callable[[dict[str, Any], str], None] | None = None,
) -> InstalledPackage:
    """Download the newest from→to package listed in the index and install it.

    Each of the package's links is tried in turn. `progress(done_bytes, total_bytes or None)` is
    called as the download advances; `on_download(entry, url)` when a download starts.
    """
    root = _resolve_dir(dir)
    index_url = _as_url(index_url)
    candidates = [
        entry
        for entry in fetch_index(index_url, timeout=timeout)
        if entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
        and entry.get("type", "translate") == "translate"
    ]
    if not candidates:
        raise ModelError(f"the package index {index_url} has no {from_code}→{to_code} package")
    entry = max(candidates, key=lambda e: _Version(str(e.get("package_version", ""))))
    version = str(entry.get("package_version", ""))
    installed = find_package(from_code, to_code, root)
    if (
        not force
        and installed is not None
        and _Version(installed.package_version) == _Version(version)
    ):
        raise ModelAlreadyInstalled(
            f"{from_code}→{to_code} {version} is already installed ({installed.path}); "
            "use --force to reinstall"
        )
    links = [_join(index_url, link) for link in entry.get("links") or [] if isinstance(link, str)]
    if not links:
        raise ModelError(
            f"the package index lists {from_code}→{to_code} {version} without download links"
        )

    failures: list[str] = []
    invalid = False
    with _created_for_install(root):
        for link in links:
            try:
                fd, tmp = tempfile.mkstemp(prefix=_PARTIAL_PREFIX, suffix=".argosmodel", dir=root)
            except OSError as exc:
                raise ModelError(f"cannot download into {root}: {_one_line(exc)}") from None
            try:
                with os.fdopen(fd, "wb") as out:
                    if on_download is not None:
                        on_download(entry, link)
                    _download(link, out, progress, timeout)
                return _install_archive(
                    Path(tmp), link, root, force=force, expect=(from_code, to_code)
                )
            except NetworkError as exc:
                failures.append(str(exc))
            except PackageInvalid as exc:
                invalid = True
                failures.append(str(exc))
            except OSError as exc:
                raise ModelError(f"cannot download into {root}: {_one_line(exc)}") from None
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp)
        name = f"{from_code}→{to_code} {version}"
        if len(failures) == 1:
            detail = failures[0]
        else:
            detail = f"tried {len(failures)} links: " + "; ".join(failures)
        if invalid:
            raise PackageInvalid(f"could not install {name}: {detail}")
        raise NetworkError(f"could not download {name}: {detail}")


def _as_url(location: str) -> str:
    """A URL as is; a local path (or a Windows drive path) as a file:// URL."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", location):
        return location
    return Path(location).expanduser().absolute().as_uri()


def _join(base: str, link: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, link)


def _open_url(url: str, timeout: float) -> Any:
    import urllib.error
    import urllib.request

    from bilingual import __version__

    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "file"):
        raise NetworkError(f"{url}: unsupported URL scheme {scheme!r} (use http, https or a path)")
    request = urllib.request.Request(url, headers={"User-Agent": f"bilingual/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise NetworkError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise NetworkError(f"{url}: {_describe_reason(exc.reason, timeout)}") from None
    except (TimeoutError, OSError) as exc:
        raise NetworkError(f"{url}: {_describe_reason(exc, timeout)}") from None


def _read(response: IO[bytes], url: str, size: int) -> bytes:
    import http.client

    try:
        return response.read(size)
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise NetworkError(f"{url}: download interrupted ({_one_line(exc)})") from None


def _download(url: str, out: IO[bytes], progress: Progress | None, timeout: float) -> None:
    with _open_url(url, timeout) as response:
        length = response.headers.get("Content-Length") if response.headers else None
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > MAX_UNPACKED_BYTES:
            raise PackageInvalid(f"{url}: {_human(total)}, larger than any sane package")
        done = 0
        if progress is not None:
            progress(done, total)
        while chunk := _read(response, url, _CHUNK):
            done += len(chunk)
            if done > MAX_UNPACKED_BYTES:
                raise PackageInvalid(f"{url}: more than {_human(MAX_UNPACKED_BYTES)}, refused")
            out.write(chunk)
            if progress is not None:
                progress(done, total)
        if total is not None and done != total:
            raise NetworkError(f"{url}: download interrupted ({done} of {total} bytes)")


def _describe_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"timed out after {timeout:g}s"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower() if reason.strerror[:1].isupper() else reason.strerror
    return _one_line(reason)


# ---------------------------------------------------------------- small helpers


@functools.total_ordering
class _Version:
    """Orders package versions like "1.9" < "1.10" < "1.10.1", and "1.9rc1" < "1.9"."""

    def __init__(self, text: str) -> None:
        match = re.match(r"\s*v?(\d+(?:\.\d+)*)(.*)", text)
        if match:
            numbers = [int(n) for n in match.group(1).split(".")]
            while numbers and numbers[-1] == 0:
                numbers.pop()
            rest = match.group(2).strip()
        else:
            numbers, rest = [], text.strip()
        self.key = (tuple(numbers), rest == "", rest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Version) and self.key == other.key

    def __lt__(self, other: _Version) -> bool:
        return self.key < other.key

    def __hash__(self) -> int:
        return hash(self.key)


def version_key(version: str) -> _Version:
    """A sort key for package versions (newest is the largest)."""
    return _Version(version)


def _tree_size(path: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(path):
        for name in files:
            with contextlib.suppress(OSError):
                total += os.lstat(os.path.join(dirpath, name)).st_size
    return total


def _human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover


def human_size(size: int) -> str:
    """Sizes as `bilingual models list` prints them: 512 B, 3.4 MB, 1.2 GB."""
    return _human(size)


def _one_line(exc: object) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
