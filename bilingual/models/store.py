"""Where packages live: one lookup order, listing, finding and removing installed packages, and
the hidden staging area installs and removals go through.

The lookup order, first to last: `$BILINGUAL_MODELS_DIR`; the `models/` folder of the bilingual
checkout the command runs in; argostranslate's package folders, exactly as argostranslate
resolves them (`$ARGOS_PACKAGES_DIR`, its settings.json, else its data folder), so bilingual and
every Argos tool (argospm, LibreTranslate, argos-translate-files) share one set of packages;
last, bilingual's own user folder, where its earlier versions installed packages. A run uses the
first place that holds a language pair, and the newest version there.
"""

from __future__ import annotations

import contextlib
import glob
import io
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

from bilingual.errors import ModelError, ModelNotInstalled, PackageInvalid
from bilingual.models.package import InstalledPackage, Place, one_line, read_package, version_key

ENV_VAR = "BILINGUAL_MODELS_DIR"
ARGOS_ENV_VAR = "ARGOS_PACKAGES_DIR"

#: Temporary files and folders of installs and removals (hidden, so no listing shows them).
PARTIAL_PREFIX = ".partial-"
#: Leftovers of a killed install older than this are swept by the next install.
_STALE_SECONDS = 24 * 3600


# ---------------------------------------------------------------- the lookup order


def places() -> list[Place]:
    """Every place looked in, in order. A folder already listed is not looked in again."""
    found: list[tuple[str, Path | None, str]] = []
    env = os.environ.get(ENV_VAR, "").strip()
    found.append(
        (f"${ENV_VAR}", Path(env).expanduser().absolute(), "")
        if env
        else (f"${ENV_VAR}", None, "not set")
    )
    try:
        checkout = find_checkout(Path.cwd())
    except OSError:  # the current directory was removed: not inside a checkout
        checkout = None
    found.append(
        ("the models/ folder of this bilingual checkout", checkout / "models", "")
        if checkout is not None
        else ("the models/ folder of a bilingual checkout", None, "not inside one")
    )
    found.extend(_argos_places())
    found.append(("bilingual's user folder (where earlier versions installed)", _user_dir(), ""))
    result: list[Place] = []
    seen: dict[Path, int] = {}
    for number, (what, path, note) in enumerate(found, 1):
        if path is not None:
            key = path.resolve()
            if key in seen:
                path, note = None, f"the same folder as {seen[key]} ({key})"
            else:
                seen[key] = number
        result.append(Place(number, what, path, note))
    return result


def models_dir() -> tuple[Path, str]:
    """Where `bilingual models install` puts packages, and why: `$BILINGUAL_MODELS_DIR`; else
    the checkout's `models/`; else argostranslate's package folder, where Argos tools find it."""
    found = places()
    env, checkout, argos = found[0], found[1], found[2:-1]
    if env.path is not None:
        return env.path, f"${ENV_VAR} is set"
    if checkout.path is not None:
        return checkout.path, (
            f"the models/ folder of the bilingual project at {checkout.path.parent}"
        )
    for place in argos:
        if place.path is not None:
            return place.path, (
                f"{place.what}: argospm, LibreTranslate and other Argos tools find packages there"
            )
    unusable = next((place.note for place in argos if place.note), "")
    return _user_dir(), f"bilingual's user folder, as {unusable}"


def converted_dir() -> tuple[Path, str]:
    """Where converted CTranslate2 models (NLLB-200, OPUS-MT, LLMs) are installed and looked
    for, and why: `$BILINGUAL_MODELS_DIR`, else the checkout's `models/`, else bilingual's user
    folder. Never one of argostranslate's package folders: argostranslate reads every folder
    there as an Argos package and fails on any other, which would break every Argos tool."""
    argos = {path.resolve() for _what, path, _note in _argos_places() if path is not None}
    env, checkout = places()[:2]
    if env.path is not None and env.path.resolve() not in argos:
        return env.path, f"${ENV_VAR} is set"
    if checkout.path is not None and checkout.path.resolve() not in argos:
        return checkout.path, (
            f"the models/ folder of the bilingual project at {checkout.path.parent}"
        )
    return _user_dir(), (
        "bilingual's user folder (argostranslate's package folder holds Argos packages only)"
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


def _user_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("bilingual")) / "models"


#: What argostranslate printed when its settings were imported (a broken settings.json), once.
_argos_said: list[str] = []


def argos_settings() -> ModuleType:
    """`argostranslate.settings`. Imported here, and only by the commands that look for packages,
    because importing it creates argostranslate's data, config, cache and package folders (as
    every Argos tool does on start). It prints a broken settings.json's error to stdout, once per
    setting it reads: caught (so `-o -` output stays clean) and kept, once, for `models path`
    and `models list` to show. Raises ModelError when it cannot be imported."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            from argostranslate import settings
    # Its import runs code on the user's environment (folders, settings.json, ARGOS_* numbers),
    # which fails in as many ways: an unwritable home, a bad value, a missing install.
    except Exception as exc:
        raise ModelError(f"argostranslate's settings are unusable: {one_line(exc)}") from None
    finally:
        for line in printed.getvalue().splitlines():
            if line.strip() and line.strip() not in _argos_said:
                _argos_said.append(line.strip())
    return settings


def _argos_places() -> list[tuple[str, Path | None, str]]:
    """argostranslate's package folders (`settings.package_dirs`), as it resolves them."""
    what = "argostranslate's package folder"
    try:
        settings = argos_settings()
    except ModelError as exc:
        return [(what, None, str(exc))]
    dirs: list[Path | None] = [Path(d).expanduser().absolute() for d in settings.package_dirs]
    if os.environ.get(ARGOS_ENV_VAR):
        why = f"${ARGOS_ENV_VAR}"
    elif _argos_file_setting(settings):
        why = f"set in {settings.settings_file}"
    else:
        why = "in its data folder"
    said = f"argostranslate said: {'; '.join(_argos_said)}" if _argos_said else ""
    return [(f"{what} ({why})", dirs[0], said)] + [
        (f"{what} (bundled with its snap)", d, "") for d in dirs[1:]
    ]


def _argos_file_setting(settings: ModuleType) -> bool:
    with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
        return bool(settings.load_settings_dict().get(ARGOS_ENV_VAR))
    return False


def resolve_dir(dir: str | Path | None) -> Path:
    """`dir`, or where installs go."""
    return Path(dir) if dir is not None else models_dir()[0]


def looked_in(dir: str | Path | None = None) -> str:
    """The folders looked in, for messages: `dir` alone, or every place of the lookup order."""
    if dir is not None:
        return str(dir)
    return ", ".join(str(p.path) for p in places() if p.path is not None)


# ---------------------------------------------------------------- installed packages


def list_installed(dir: str | Path | None = None) -> list[InstalledPackage]:
    """Every readable package in `dir`, or in every place of the lookup order (in that order);
    within a place, by pair, newest version first.

    Folders without a usable metadata.json (and hidden temporary ones) are skipped.
    """
    if dir is not None:
        return _scan(Path(dir), None)
    found: list[InstalledPackage] = []
    for place in places():
        if place.path is not None:
            found += _scan(place.path, place)
    return found


def _scan(root: Path, place: Place | None) -> list[InstalledPackage]:
    try:
        children = list(root.iterdir())
    except OSError:  # missing, or not a readable folder: nothing installed there
        return []
    packages = []
    for child in children:
        if child.name.startswith(".") or not child.is_dir():
            continue
        with contextlib.suppress(PackageInvalid):
            packages.append(read_package(child, place))
    return sort_packages(packages)


def sort_packages(packages: list[InstalledPackage]) -> list[InstalledPackage]:
    """Pairs in alphabetical order, newest version first within a pair (folder name breaks ties)."""
    packages = sorted(
        packages, key=lambda p: (version_key(p.package_version), p.name), reverse=True
    )
    return sorted(packages, key=lambda p: (p.from_code, p.to_code))


def used(packages: list[InstalledPackage]) -> set[Path]:
    """Of packages listed in lookup order, the ones a run uses: the first of each pair."""
    chosen: dict[tuple[str, str], Path] = {}
    for p in packages:
        if p.type == "translate":
            chosen.setdefault((p.from_code, p.to_code), p.path)
    return set(chosen.values())


def find_package(
    from_code: str, to_code: str, dir: str | Path | None = None
) -> InstalledPackage | None:
    """The translate package a run uses for the pair: in `dir`, or in the first place of the
    lookup order that holds one; the newest version there."""
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
    package = find_package(from_code, to_code, dir)
    if package is None:
        raise ModelNotInstalled(not_installed_message(from_code, to_code, dir))
    return package


def not_installed_message(from_code: str, to_code: str, dir: str | Path | None = None) -> str:
    return (
        f"no {from_code}→{to_code} model installed in {looked_in(dir)}; "
        f"run `bilingual models install {from_code} {to_code}` to download it, "
        f"or `bilingual models install --file PACKAGE.argosmodel` to install a file offline "
        f"(installed elsewhere? point ${ENV_VAR} at that models folder)"
    )


# ---------------------------------------------------------------- removing


def remove(
    from_code_or_name: str, to_code: str | None = None, dir: str | Path | None = None
) -> list[InstalledPackage]:
    """Remove every installed version of a pair (`remove("zh", "en")`) or one package by folder
    name (`remove("translate-zh_en-1_9")`), from `dir` or from every place of the lookup order.
    Returns what was removed."""
    installed = list_installed(dir)
    if to_code is None:
        doomed = [p for p in installed if p.name == from_code_or_name]
        if not doomed:
            raise ModelNotInstalled(
                f"no package named {from_code_or_name!r} in {looked_in(dir)} "
                "(see `bilingual models list`)"
            )
    else:
        doomed = [p for p in installed if (p.from_code, p.to_code) == (from_code_or_name, to_code)]
        if not doomed:
            raise ModelNotInstalled(
                f"no {from_code_or_name}→{to_code} model installed in {looked_in(dir)}"
            )
    for package in doomed:
        # Moved aside first, so a half-deleted package never looks installed.
        try:
            aside = make_staging(package.path.parent)
            os.rename(package.path, aside / package.name)
        except OSError as exc:
            raise ModelError(f"cannot remove {package.path}: {one_line(exc)}") from None
        shutil.rmtree(aside, ignore_errors=True)
    return doomed


# ---------------------------------------------------------------- staging


def staging_area(root: Path) -> tuple[Path, str]:
    """Where temporary files and folders of `root` go, and their name prefix: hidden, beside
    `root` on its file system (so one rename moves a package in or out). Not inside it: Argos
    tools read every folder of a package folder as a package, and a temporary one would break
    their listing. Inside `root` only when its parent is not writable or on another disk."""
    parent = root.parent
    with contextlib.suppress(OSError):
        if (
            parent != root
            and os.stat(parent).st_dev == os.stat(root).st_dev
            and os.access(parent, os.W_OK | os.X_OK)
        ):
            return parent, f".{root.name}{PARTIAL_PREFIX}"
    return root, PARTIAL_PREFIX


def make_staging(root: Path) -> Path:
    """A new hidden temporary folder in `root`'s staging area."""
    where, prefix = staging_area(root)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=where))


def make_temp_file(root: Path, suffix: str) -> tuple[int, str]:
    """A new hidden temporary file in `root`'s staging area: (descriptor, path)."""
    where, prefix = staging_area(root)
    return tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=where)


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
    """Remove what a killed install or removal left behind (hidden, never shown as installed)."""
    cutoff = time.time() - _STALE_SECONDS
    for where, prefix in {(root, PARTIAL_PREFIX), staging_area(root)}:
        for leftover in where.glob(glob.escape(prefix) + "*"):
            with contextlib.suppress(OSError):
                if leftover.lstat().st_mtime < cutoff:
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink()
