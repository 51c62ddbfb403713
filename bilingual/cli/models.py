"""`bilingual models ...`: where model packages live, installing, listing and removing them.

The library (`bilingual.models`) is imported inside each command, so `bilingual --help` stays fast.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import click


@click.group(short_help="Install, list and remove translation models.")
def models() -> None:
    """Manage the models bilingual translates with: Argos packages, and converted NLLB-200,
    OPUS-MT and instruction-LLM models (see the README's Better English).

    Argos packages are shared with argostranslate and every Argos tool (argospm, LibreTranslate).
    Only `bilingual models install` without --file uses the network; everything else, and all
    translation, works offline.
    """


@contextlib.contextmanager
def _offline_hint(error: type[Exception]) -> Iterator[None]:
    """A failed download says how to install without the network."""
    try:
        yield
    except error as exc:
        raise type(exc)(
            f"{exc}. Offline: download the .argosmodel file elsewhere and run "
            "`bilingual models install --file PACKAGE.argosmodel`, or point --index at a mirror "
            "or a local index file"
        ) from None


@models.command(short_help="Print where installs go; every place looked in.")
def path() -> None:
    """Print the folder Argos packages are installed to; on stderr, why, and every place looked in.

    Installs go to $BILINGUAL_MODELS_DIR if set; else the project's models/ folder when run
    inside the bilingual project; else argostranslate's package folder, where argospm and
    LibreTranslate find them too. Packages are looked for in all of these places, in order,
    and in bilingual's user folder last. Converted models live in the first of
    $BILINGUAL_MODELS_DIR, the project's models/ folder and bilingual's user folder.
    """
    from bilingual.models import list_installed, models_dir
    from bilingual.models.store import converted_dir

    directory, reason = models_dir()
    click.echo(str(directory))
    click.echo(f"Installs go here: {reason}.", err=True)
    packages = list_installed()
    for line in _lookup_lines(packages):
        click.echo(line, err=True)
    chosen = [p for p in packages if p.path in _used(packages)]
    if chosen:
        click.echo(
            "A run uses: "
            + "; ".join(
                f"{p.pair} {p.name} from {p.found_in.number if p.found_in else '?'}" for p in chosen
            )
            + ".",
            err=True,
        )
    converted, why = converted_dir()
    click.echo(f"Converted models (NLLB-200, OPUS-MT, LLMs): {converted} ({why}).", err=True)


@models.command("list", short_help="List the installed models and packages.")
def list_command() -> None:
    """List every place looked in, in order, and the models each holds.

    Converted models first (engine, family, name, size, licence, path). Then the places Argos
    packages are looked for, and one line per package: language pair, name, version, size, the
    place it was found in and its path, newest version first. `*` marks the package a run uses
    for its pair: the one in the first place that holds the pair.
    """
    from bilingual.models import human_size, list_installed
    from bilingual.models.converted import FAMILIES, list_models
    from bilingual.models.store import converted_dir

    converted = list_models(converted_dir()[0])
    if converted:
        table = [("ENGINE", "FAMILY", "NAME", "SIZE", "LICENCE", "PATH")]
        table += [
            (
                m.engine,
                FAMILIES[m.engine].label if m.engine in FAMILIES else "?",
                m.name,
                human_size(m.size_bytes),
                m.licence or "not stated",
                str(m.path),
            )
            for m in converted
        ]
        _table(table)
        click.echo("")
    packages = list_installed()
    for line in _lookup_lines(packages):
        click.echo(line)
    click.echo("")
    if not packages:
        if not converted:
            click.echo("No models installed. Install one with: bilingual models install zh en")
        else:
            click.echo("No Argos packages installed.")
        return
    chosen = _used(packages)
    rows = [("", "PAIR", "NAME", "VERSION", "SIZE", "PLACE", "PATH")]
    rows += [
        (
            "*" if p.path in chosen else "",
            p.pair,
            p.name,
            p.package_version or "-",
            human_size(p.size_bytes),
            str(p.found_in.number) if p.found_in else "-",
            str(p.path),
        )
        for p in packages
    ]
    _table(rows)
    click.echo("")
    click.echo("* the package a run uses for its language pair")


def _used(packages: list[Any]) -> set[Any]:
    from bilingual.models.store import used

    return used(packages)


def _lookup_lines(packages: list[Any]) -> list[str]:
    """The places looked in, in order, each with its folder and how many packages it holds."""
    from bilingual.models.store import places

    lines = [
        "Argos packages: looked in, in order (a run uses the first place that holds a language "
        "pair, and the newest version there):"
    ]
    for place in places():
        if place.path is None:
            lines.append(f"  {place.label}: {place.note}")
            continue
        count = sum(1 for p in packages if p.found_in == place)
        if count:
            state = f"{count} package{'s' if count > 1 else ''}"
        else:
            state = "no packages" if place.path.is_dir() else "does not exist"
        lines.append(f"  {place.label}: {place.path} ({state})")
        if place.note:
            lines.append(f"     {place.note}")
    return lines


def _table(rows: Sequence[Sequence[str]]) -> None:
    """Columns padded to their widest cell; the last one (a path) as it is."""
    from bilingual.textutil import visible

    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        click.echo(visible("  ".join([*cells, row[-1]])))  # names come from the packages


@models.command(short_help="Install a model: FROM TO, or --file/--dir offline.")
@click.argument("from_code", metavar="[FROM", required=False)
@click.argument("to_code", metavar="TO]", required=False)
@click.option(
    "--file",
    "package_file",
    metavar="PACKAGE",
    help="Install this .argosmodel file, offline (FROM TO, if given, must match it).",
)
@click.option(
    "--index",
    "index_url",
    metavar="URL",
    help="Package index to download from: a URL or a local file (default: the one "
    "argostranslate reads: $ARGOS_PACKAGE_INDEX, else Argos's own index).",
)
@click.option(
    "--dir",
    "model_dir",
    metavar="FOLDER",
    help="Install a converted CTranslate2 model folder (NLLB-200/M2M-100, OPUS-MT or an "
    "instruction LLM), offline.",
)
@click.option(
    "--engine",
    type=click.Choice(["nllb", "opus-mt", "llm"]),
    help="The converted model's family (default: recognized from its files).",
)
@click.option("--name", help="The converted model's name (default: its folder's).")
@click.option("--licence", help="The converted model's licence, when its model card says none.")
@click.option("--force", is_flag=True, help="Reinstall even if this version is installed.")
def install(
    from_code: str | None,
    to_code: str | None,
    package_file: str | None,
    index_url: str | None,
    model_dir: str | None,
    engine: str | None,
    name: str | None,
    licence: str | None,
    force: bool,
) -> None:
    """Install a model package, e.g. `bilingual models install zh en`.

    Without --file or --dir, downloads the newest FROM→TO package listed in the Argos package
    index: this is the only bilingual command that uses the network. With --file PACKAGE it
    installs a downloaded .argosmodel file (or a zipped converted model folder) and works
    offline; so does --dir FOLDER, for a converted CTranslate2 model folder. Argos packages go to
    the folder `bilingual models path` prints: outside the bilingual project, argostranslate's
    package folder, where argospm and LibreTranslate find them too.
    """
    from bilingual import models as lib
    from bilingual.models.store import converted_dir

    if model_dir is not None or (package_file is not None and _converted_archive(package_file)):
        if from_code is not None or index_url is not None:
            raise click.UsageError("FROM TO and --index are for Argos packages, not with --dir")
        if model_dir is not None and package_file is not None:
            raise click.UsageError("give --dir FOLDER or --file ARCHIVE, not both")
        from bilingual.models import converted

        root, _reason = converted_dir()
        if model_dir is not None:
            model = converted.install_dir(
                model_dir, root, engine=engine, name=name, licence=licence, force=force
            )
        else:
            assert package_file is not None
            model = converted.install_archive(
                package_file, root, engine=engine, name=name, licence=licence, force=force
            )
        click.echo(
            f"Installed {model.engine} model {model.name} "
            f"({lib.human_size(model.size_bytes)}, licence: {model.licence or 'not stated'}) "
            f"in {root}; translate with `bilingual translate --engine {model.engine}`"
        )
        return
    if engine is not None or name is not None or licence is not None:
        raise click.UsageError("--engine, --name and --licence are for converted models (--dir)")
    if from_code is not None and to_code is None:
        raise click.UsageError("give both FROM and TO, e.g. `bilingual models install zh en`")
    pair = (from_code, to_code) if from_code is not None and to_code is not None else None
    if package_file is not None:
        if index_url is not None:
            raise click.UsageError("--index is for downloads; it cannot be used with --file")
        package = lib.install_from_file(package_file, force=force, expect_pair=pair)
    else:
        if pair is None:
            raise click.UsageError(
                "give FROM and TO to download (e.g. `bilingual models install zh en`), "
                "or --file PACKAGE to install a file offline"
            )
        from bilingual.errors import NetworkError
        from bilingual.models.index import default_index

        with _DownloadProgress() as progress, _offline_hint(NetworkError):
            package = lib.install_from_index(
                pair[0],
                pair[1],
                index_url=index_url or default_index(),
                progress=progress.update,
                on_download=progress.start,
                force=force,
            )
    click.echo(
        f"Installed {package.pair} {package.package_version} "
        f"({package.name}, {lib.human_size(package.size_bytes)}) in {package.path.parent}"
    )


def _converted_archive(path: str) -> bool:
    """A zip that is not an Argos package (no metadata.json in its folder): a converted model."""
    import zipfile

    if path.endswith(".argosmodel"):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
    except (OSError, zipfile.BadZipFile):
        return False  # the Argos installer says what is wrong with it
    return bool(names) and not any(
        n.count("/") == 1 and n.endswith("/metadata.json") for n in names
    )


@models.command(short_help="Remove installed models: FROM TO, or NAME.")
@click.argument("what", nargs=-1, required=True, metavar="FROM TO | NAME")
def remove(what: tuple[str, ...]) -> None:
    """Remove installed models: all versions of FROM TO, or one NAME, wherever they are.

    NAME is the package folder's or the converted model's name, as `bilingual models list`
    shows it. A package in argostranslate's folder is removed for every Argos tool.
    """
    from bilingual.models import remove as remove_packages
    from bilingual.models.store import converted_dir

    if len(what) > 2:
        raise click.UsageError("give FROM TO (e.g. `zh en`), or one package NAME")
    if len(what) == 1:
        from bilingual.models.converted import remove_model

        root, _reason = converted_dir()
        model = remove_model(what[0], root)
        if model is not None:
            click.echo(f"Removed {model.engine} model {model.name} from {root}")
            return
    removed = remove_packages(what[0], what[1] if len(what) == 2 else None)
    for package in removed:
        click.echo(
            f"Removed {package.pair} {package.package_version} ({package.name}) "
            f"from {package.path.parent}"
        )


class _DownloadProgress:
    """A line per download on stderr, and a progress bar when stderr is a terminal."""

    def __init__(self) -> None:
        self._stderr = sys.stderr
        self._bar: Any = None
        self._done = 0

    def start(self, entry: dict[str, Any], url: str) -> None:
        self._finish_bar()
        pair = f"{entry.get('from_code')}→{entry.get('to_code')}"
        click.echo(f"Downloading {pair} {entry.get('package_version', '')} from {url}", err=True)

    def update(self, done: int, total: int | None) -> None:
        if total is None or not self._stderr.isatty():
            return
        if self._bar is None:
            from bilingual.models import human_size

            self._bar = click.progressbar(
                length=total,
                file=self._stderr,
                show_eta=True,
                item_show_func=lambda n: None if n is None else f"{human_size(n)}",
            )
            self._bar.__enter__()
            self._done = 0
        self._bar.update(done - self._done, current_item=done)
        self._done = done

    def _finish_bar(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> _DownloadProgress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._finish_bar()
