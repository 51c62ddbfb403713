"""Where packages live: the models directory, listing, finding and removing installed packages,
and the hidden staging area installs and removals go through."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bilingual.errors import ModelError, ModelNotInstalled, PackageInvalid
from bilingual.models.package import InstalledPackage, one_line, read_package, version_key

ENV_VAR = "BILINGUAL_MODELS_DIR"

#: Temporary files and folders of installs and removals; hidden, so listings skip them.
PARTIAL_PREFIX = ".partial-"
#: Leftovers of a killed install older than this are swept by the next install.
_STALE_SECONDS = 24 * 3600


# ---------------------------------------------------------------- where models live


def models_dir() -> tuple[Path, str]:
    """The models directory in use and why: env var, the project's `models/`, or user data dir."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser().absolute(), f"${ENV_VAR} is set"
    project = find_checkout(Path.cwd())
    if project is not None:
        return project / "models", f"the models/ folder of the bilingual project at {project}"
    import platformdirs

    path = Path(platformdirs.user_data_dir("bilingual")) / "models"
    return path, (
        f"the user data directory: ${ENV_VAR} is not set and the current directory "
        "is not inside the bilingual project"
    )


def find_checkout(start: Path) -> Path | None:
    """The bilingual checkout holding `start` (a folder with `models/` and bilingual's
    pyproject.toml), or None."""
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


def resolve_dir(dir: str | Path | None) -> Path:
    return Path(dir) if dir is not None else models_dir()[0]


# ---------------------------------------------------------------- installed packages


def list_installed(dir: str | Path | None = None) -> list[InstalledPackage]:
    """Every readable package in the models directory, by pair, newest version first.

    Folders without a usable metadata.json (and hidden temporary ones) are skipped.
    """
    root = resolve_dir(dir)
    if not root.is_dir():
        return []
    packages = []
    for child in root.iterdir():
        if child.name.startswith(".") or not child.is_dir():
            continue
        with contextlib.suppress(PackageInvalid):
            packages.append(read_package(child))
    return sort_packages(packages)


def sort_packages(packages: list[InstalledPackage]) -> list[InstalledPackage]:
    """Pairs in alphabetical order, newest version first within a pair (folder name breaks ties)."""
    packages = sorted(
        packages, key=lambda p: (version_key(p.package_version), p.name), reverse=True
    )
    return sorted(packages, key=lambda p: (p.from_code, p.to_code))


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
    root = resolve_dir(dir)
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


# ---------------------------------------------------------------- removing


def remove(
    from_code_or_name: str, to_code: str | None = None, dir: str | Path | None = None
) -> list[InstalledPackage]:
    """Remove every installed version of a pair (`remove("zh", "en")`) or one package by folder
    name (`remove("translate-zh_en-1_9")`). Returns what was removed."""
    root = resolve_dir(dir)
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
            aside = Path(tempfile.mkdtemp(prefix=PARTIAL_PREFIX, dir=root))
            os.rename(package.path, aside / package.name)
        except OSError as exc:
            raise ModelError(f"cannot remove {package.path}: {one_line(exc)}") from None
        shutil.rmtree(aside, ignore_errors=True)
    return doomed


# ---------------------------------------------------------------- staging


@contextlib.contextmanager
def created_for_install(root: Path) -> Iterator[None]:
    """Create the models directory (and parents) for an install; if it fails, remove them again."""
    missing = [d for d in (root, *root.parents) if not d.exists()]
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot create the models directory {root}: {one_line(exc)}") from None
    try:
        yield
    except BaseException:
        for directory in missing:
            with contextlib.suppress(OSError):
                directory.rmdir()
        raise


def sweep_stale(root: Path) -> None:
    """Remove what a killed install left behind (hidden, so it never showed as installed)."""
    cutoff = time.time() - _STALE_SECONDS
    for leftover in root.glob(PARTIAL_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if leftover.lstat().st_mtime < cutoff:
                if leftover.is_dir() and not leftover.is_symlink():
                    shutil.rmtree(leftover, ignore_errors=True)
                else:
                    leftover.unlink()
