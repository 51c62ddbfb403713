"""The translation run: articles in, English per block out, through memory and engine.

Blocks a human reviewed are kept, paragraphs the memory holds human work for take it; every
other block goes through the segment pipeline (`bilingual.translation.pipeline`), all articles of the run
in one stream. Each article is stamped with how its English was made.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from bilingual import __version__
from bilingual.document import Article, Block, Status
from bilingual.engines.base import Engine
from bilingual.errors import ModelNotInstalled
from bilingual.memory import Memory
from bilingual.names.glossary import Glossary
from bilingual.provenance import NameStrategies, Provenance
from bilingual.script import HANT
from bilingual.translation.pipeline import (
    DEFAULT_STRATEGIES,
    Prepared,
    Progress,
    Report,
    Route,
    prepare_article,
    render,
    strategies_named,
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
    strategies: Sequence[str] = DEFAULT_STRATEGIES,
) -> Report:
    """Translate every unreviewed block of `articles` in place; returns what was done."""
    started = time.perf_counter()
    report = Report(articles=len(articles))
    todo: list[tuple[int, Block, Prepared, Route]] = []
    article_routes: list[Route] = []
    for n, article in enumerate(articles):
        route = routes(article)
        article_routes.append(route)
        prepared = prepare_article(article, glossary)
        human = memory.human(b.zh for b in article.blocks) if memory else {}
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
            todo.append((n, block, prep, route))

    rendered = render(
        [(prep, route) for _, _, prep, route in todo],
        memory=memory,
        progress=progress,
        report=report,
        strategies=strategies,
    )
    used: list[Counter[str]] = [Counter() for _ in articles]
    for (n, block, _, _), r in zip(todo, rendered, strict=True):
        block.en = r.en
        block.status = Status.MACHINE
        block.score = r.score
        block.flags = r.flags
        block.align = list(r.align)
        used[n].update(r.strategies)
    order = tuple(s.name for s in strategies_named(strategies))
    for article, route, counts in zip(articles, article_routes, used, strict=True):
        _stamp(article, route, glossary, NameStrategies(order, dict(counts)))
    report.flagged = sum(1 for a in articles for b in a.body if b.flags)
    report.seconds = time.perf_counter() - started
    return report


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
) -> Callable[[Article], Route]:
    """Choose, per article, the installed package that translates it (loaded lazily, once per
    process: every plan of the process shares one engine per package and settings).

    Traditional Chinese uses a zt→en package when one is installed, else zh→en on input
    converted to Simplified. With no package at all, the most recent matching engine in the
    memory answers alone (a fully cached rerun needs no model).
    """
    from bilingual.engines.argos import ArgosEngine, shared_engine
    from bilingual.models import (
        find_package,
        not_installed_message,
    )
    from bilingual.models import (
        models_dir as default_models_dir,
    )

    root = models_dir or default_models_dir()[0]
    engines: dict[str, ArgosEngine] = {}

    def engine_for(from_code: str) -> ArgosEngine | None:
        if from_code not in engines:
            package = find_package(from_code, "en", root)
            if package is None:
                return None
            engines[from_code] = shared_engine(package.path, settings)
        return engines[from_code]

    def route(article: Article) -> Route:
        hant = article.script == HANT
        zt = engine_for("zt") if hant else None
        if zt is not None:
            return Route(zt, zt.signature(), False, f"zh-Hant with the zt→en package {_id(zt)}")
        zh = engine_for("zh")
        if zh is not None:
            if hant:
                return Route(
                    zh,
                    zh.signature(),
                    True,
                    f"zh-Hant converted to Simplified (OpenCC t2s), then zh→en {_id(zh)}",
                )
            return Route(zh, zh.signature(), False, f"zh→en {_id(zh)}")
        wanted = settings.output_signature()
        for sig in memory.engines() if memory else []:
            if sig.get("from_code") in ("zh", "zt") and all(
                sig.get(k) == v for k, v in wanted.items()
            ):
                return Route(
                    None,
                    sig,
                    hant and sig.get("from_code") == "zh",
                    f"translation memory only ({sig.get('package')} {sig.get('package_version')} "
                    "is not installed)",
                )
        raise ModelNotInstalled(not_installed_message("zh", "en", root))

    return route


def _id(engine: Engine) -> str:
    sig = engine.signature()
    return f"{sig.get('package')} {sig.get('package_version')}"


__all__ = ["Report", "Route", "plan_routes", "translate_articles"]
