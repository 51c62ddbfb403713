"""The translation run: articles in, English per block out, through memory and engine.

Blocks a human reviewed are kept, paragraphs the memory holds human work for take it; every
other block goes through the segment pipeline (`bilingual.translation.pipeline`), all articles of the run
in one stream. Each article is stamped with how its English was made.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual import __version__
from bilingual.document import Article, Block, Status
from bilingual.engines.base import Engine
from bilingual.errors import ModelNotInstalled
from bilingual.memory import HumanEntry, Memory
from bilingual.names.glossary import Glossary
from bilingual.provenance import NameStrategies, Provenance
from bilingual.textutil import HANT
from bilingual.translation.pipeline import (
    NameOrder,
    Prepared,
    Progress,
    Report,
    Route,
    Translated,
    prepare_article,
    strategies_named,
    translate_prepared,
)

if TYPE_CHECKING:
    from bilingual.engines.argos import ArgosSettings


def translate_articles(
    articles: Sequence[Article],
    routes: Callable[[Article], Route],
    *,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    progress: Progress | None = None,
    strategies: NameOrder | None = None,
) -> Report:
    """Translate every unreviewed block of `articles` in place; returns what was done.

    `strategies` is how names reach the engine, in the order tried (default: the engine's own);
    it is recorded in each article's provenance, where review finds it again.
    """
    started = time.perf_counter()
    report = Report(articles=len(articles))
    todo: list[tuple[int, Block, Prepared, Route]] = []
    article_routes: list[Route] = []
    for n, article in enumerate(articles):
        route = routes(article)
        article_routes.append(route)
        prepared = prepare_article(article, glossary, route.unit)
        human = memory.human(b.zh for b in article.blocks) if memory else {}
        for block, prep in machine_blocks(article, prepared, human, report):
            todo.append((n, block, prep, route))

    translated = translate_prepared(
        [(prep, route) for _, _, prep, route in todo],
        memory=memory,
        progress=progress,
        report=report,
        strategies=strategies,
    )
    done: list[list[tuple[Block, Translated]]] = [[] for _ in articles]
    for (n, block, _, _), r in zip(todo, translated, strict=True):
        done[n].append((block, r))
    for article, route, pairs in zip(articles, article_routes, done, strict=True):
        finish_article(article, route, pairs, glossary=glossary, strategies=strategies)
    report.flagged = sum(1 for a in articles for b in a.body if b.flags)
    report.seconds = time.perf_counter() - started
    return report


def machine_blocks(
    article: Article,
    prepared: Sequence[Prepared],
    human: Mapping[str, HumanEntry],
    report: Report,
) -> list[tuple[Block, Prepared]]:
    """The blocks of `article` (prepared by `prepare_article`) that the machine translates.

    Blocks a human reviewed are kept; a paragraph the memory holds human work for (`human`,
    from `Memory.human`) takes it. Both are counted in `report`.
    """
    todo: list[tuple[Block, Prepared]] = []
    for block, prep in zip(article.blocks, prepared, strict=True):
        report.blocks += 1
        if block.status.reviewed:
            report.kept += 1
            continue
        entry = human.get(block.zh)
        if entry is not None:
            block.en = entry.target
            block.status = Status(entry.status)
            block.flags = []
            report.human += 1
            continue
        todo.append((block, prep))
    return todo


def finish_article(
    article: Article,
    route: Route,
    done: Sequence[tuple[Block, Translated]],
    *,
    glossary: Glossary | None = None,
    strategies: NameOrder | None = None,
) -> None:
    """Put the machine's English (`translate_prepared`'s) into its blocks and stamp the article
    with how it was made (`strategies`: the order used, by default the route's)."""
    used: Counter[str] = Counter()
    for block, r in done:
        block.en = r.en
        block.status = Status.MACHINE
        block.score = r.score
        block.flags = r.flags
        block.align = list(r.align)
        used.update(r.strategies)
    order = tuple(s.name for s in strategies or strategies_named(route.strategies))
    _stamp(article, route, glossary, NameStrategies(order, dict(used)))


def _stamp(
    article: Article, route: Route, glossary: Glossary | None, names: NameStrategies
) -> None:
    record = Provenance.of_run(
        route.signature,
        version=__version__,
        route=route.description,
        translated_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        glossary_entries=len(glossary) if glossary is not None else None,
        names=names,
    )
    article.provenance.update(record.to_dict())


def plan_routes(
    settings: ArgosSettings,
    *,
    models_dir: Path | None = None,
    memory: Memory | None = None,
    engine: str = "argos",
    model: str | None = None,
) -> Callable[[Article], Route]:
    """Choose, per article, the installed model that translates it (loaded lazily, once per
    process: every plan of the process shares one engine per model and settings).

    `engine` is the family (`bilingual.engines.ENGINES`; Argos by default), `model` the
    installed model's name when several of the family are installed. With Argos, Traditional
    Chinese uses a zt→en package when one is installed; otherwise, and with every other engine,
    it is converted to Simplified first. With no model at all, the most recent matching engine
    in the memory answers alone (a fully cached rerun needs no model).
    """
    from bilingual.engines import engine_class

    cls = engine_class(engine)  # ValueError for an unknown name
    settings = settings.on_device()  # "auto" becomes the device it is (the output depends on it)
    root = models_dir  # None: the lookup order (bilingual.models.store)
    engines: dict[str, Engine | None] = {}

    def engine_for(from_code: str) -> Engine | None:
        if from_code not in engines:
            engines[from_code] = _find_engine(engine, model, from_code, root, settings)
        return engines[from_code]

    def routed(e: Engine, text: str, simplify: bool = False) -> Route:
        return Route.to(e, text, simplify=simplify)

    def route(article: Article) -> Route:
        hant = article.script == HANT
        zt = engine_for("zt") if hant and engine == "argos" else None
        if zt is not None:
            return routed(zt, f"zh-Hant with the zt→en package {_id(zt)}")
        zh = engine_for("zh")
        if zh is not None:
            if hant:
                return routed(
                    zh,
                    f"zh-Hant converted to Simplified (OpenCC t2s), then zh→en {_id(zh)}",
                    simplify=True,
                )
            return routed(zh, f"zh→en {_id(zh)}")
        wanted = settings.output_signature()
        for sig in memory.engines() if memory else []:
            if (
                sig.get("engine", "argos") == engine
                and (model is None or sig.get("package") == model)
                and sig.get("from_code") in ("zh", "zt")
                and all(sig.get(k) == v for k, v in wanted.items())
            ):
                return Route(
                    None,
                    sig,
                    hant and sig.get("from_code") == "zh",
                    f"translation memory only ({sig.get('package')} {sig.get('package_version')} "
                    "is not installed)",
                    cls.unit,
                    tuple(cls.name_strategies),
                )
        return _missing(engine, model, root)

    return route


def routes_of_record(memory: Memory | None = None) -> Callable[[Article], Route]:
    """Routes to the engine each article was translated with, as its provenance records it
    (engine, model, beam, compute type): review's alternatives and retranslations come from the
    same engine as the rest of the English. Planned on first use, once per engine and model."""
    from bilingual.engines import ENGINES

    plans: dict[tuple[str, str | None, ArgosSettings], Callable[[Article], Route]] = {}

    def route(article: Article) -> Route:
        record = Provenance.from_dict(article.provenance)
        engine = record.engine if record.engine in ENGINES else "argos"
        model = record.model.package if record.model and engine != "argos" else None
        settings = _recorded_settings(record, engine)
        key = (engine, model, settings)
        if key not in plans:
            plans[key] = plan_routes(settings, memory=memory, engine=engine, model=model)
        return plans[key](article)

    return route


def _recorded_settings(record: Provenance, engine: str) -> ArgosSettings:
    from bilingual.engines.argos import ArgosSettings

    default = ArgosSettings(beam=1 if engine == "llm" else 4)
    s = record.settings
    beam = s.get("beam")
    compute = s.get("compute_type")
    penalty = s.get("length_penalty")
    return ArgosSettings(
        beam=beam if isinstance(beam, int) and 1 <= beam <= 16 else default.beam,
        compute_type=compute if isinstance(compute, str) and compute else default.compute_type,
        length_penalty=float(penalty)
        if isinstance(penalty, (int, float)) and not isinstance(penalty, bool)
        else default.length_penalty,
        # A GPU recorded is used when this machine has one; the CPU otherwise.
        device="auto" if s.get("device") == "cuda" else "cpu",
    )


_SHARED: dict[tuple[str, str, Any], Engine] = {}


def _find_engine(
    engine: str, model: str | None, from_code: str, root: Path | None, settings: ArgosSettings
) -> Engine | None:
    """The process's engine for the installed model of `engine` (None: none installed), from
    `root`, or else Argos packages by the lookup order and converted models from their folder."""
    from bilingual.engines import engine_class

    if engine == "argos":
        from bilingual.engines.argos import shared_engine
        from bilingual.models import find_package, list_installed

        if model is None:
            package = find_package(from_code, "en", root)
        else:
            named = [
                p
                for p in list_installed(root)
                if model in (p.name, f"translate-{p.from_code}_{p.to_code}")
                and (p.from_code, p.to_code) == (from_code, "en")
            ]
            package = named[0] if named else None
        return None if package is None else shared_engine(package.path, settings)
    if from_code != "zh":
        return None
    from bilingual.models.converted import find_model

    croot = _converted_root(root)
    try:
        found = find_model(engine, model, croot)
    except ModelNotInstalled:
        if model is None and not _several(engine, croot):
            return None
        raise
    key = (engine, str(found.path.resolve()), settings)
    if key not in _SHARED:
        _SHARED[key] = engine_class(engine)(found.path, settings)
    return _SHARED[key]


def _several(engine: str, root: Path) -> bool:
    from bilingual.models.converted import list_models

    return len(list_models(root, engine)) > 1


def _converted_root(root: Path | None) -> Path:
    from bilingual.models.store import converted_dir

    return root if root is not None else converted_dir()[0]


def _missing(engine: str, model: str | None, root: Path | None) -> Route:
    if engine == "argos":
        from bilingual.models import not_installed_message
        from bilingual.models.store import looked_in

        if model is not None:
            raise ModelNotInstalled(
                f"no zh→en Argos package called {model!r} in {looked_in(root)}; "
                "`bilingual models list` shows what is there"
            )
        raise ModelNotInstalled(not_installed_message("zh", "en", root))
    from bilingual.models.converted import find_model

    croot = _converted_root(root)
    find_model(engine, model, croot)  # raises, saying what to install
    raise ModelNotInstalled(f"no {engine} model installed in {croot}")


def _id(engine: Engine) -> str:
    sig = engine.signature()
    return f"{sig.get('package')} {sig.get('package_version')}"


__all__ = [
    "Report",
    "Route",
    "finish_article",
    "machine_blocks",
    "plan_routes",
    "routes_of_record",
    "translate_articles",
]
