"""The translation run: articles in, English per block out, through memory and engine.

For every block not reviewed by a human: split into sentences, protect names and glossary terms,
look each segment up in the memory, send all misses of the whole run through the engine as one
stream of batches (storing results as batches finish), restore the protected spans (repairing
and flagging when the engine lost one), join, normalise punctuation, run the checks.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilingual import __version__
from bilingual.checks import check_block
from bilingual.document import Article, Block, Status
from bilingual.engines.base import Engine, Result
from bilingual.errors import ModelNotInstalled
from bilingual.glossary import Glossary, learn_glossary
from bilingual.memory import Memory
from bilingual.protect import Protected, english_punctuation, join_pieces, pieces, protect, restore
from bilingual.script import HANT, to_simplified
from bilingual.segment import split_sentences

if TYPE_CHECKING:
    from bilingual.engines.argos import ArgosSettings

Progress = Callable[[int, int], None]


@dataclass
class Route:
    """How one article's segments reach an engine."""

    engine: Engine | None  # None: no model installed; only the memory can answer
    signature: dict[str, Any]
    simplify: bool = False  # convert Traditional input to Simplified for a zh model
    description: str = ""

    def model_input(self, text: str) -> str:
        """What the engine is given for `text` (protected already) on this route."""
        return to_simplified(text) if self.simplify else text


@dataclass
class Report:
    articles: int = 0
    blocks: int = 0
    human: int = 0  # blocks taken from reviewed translations
    kept: int = 0  # blocks already edited/approved, left untouched
    segments: int = 0
    from_memory: int = 0
    translated: int = 0
    repaired: int = 0
    flagged: int = 0  # body blocks (the title aside) with flags
    seconds: float = 0.0
    model_loaded: bool = False


@dataclass
class _Job:
    block: Block
    protected: Protected
    model_text: str
    route: Route
    result: Result | None = None
    repair_inputs: list[str] = field(default_factory=list)
    repair_results: list[Result] = field(default_factory=list)


def translate_articles(
    articles: Sequence[Article],
    routes: Callable[[Article], Route],
    *,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    progress: Progress | None = None,
) -> Report:
    """Translate every unreviewed block of `articles` in place; returns what was done."""
    started = time.perf_counter()
    report = Report(articles=len(articles))
    jobs_by_block: dict[int, list[_Job]] = {}
    blocks: list[Block] = []

    for article in articles:
        route = routes(article)
        doc_glossary = learn_glossary([b.zh for b in article.blocks], glossary)
        human = memory.human(b.zh for b in article.blocks) if memory else {}
        for block in article.blocks:
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
            jobs = [
                _Job(block, p, route.model_input(p.text), route)
                for p in (protect(s, doc_glossary) for s in split_sentences(block.zh))
            ]
            jobs_by_block[id(block)] = jobs
            blocks.append(block)
        _stamp(article, route, glossary)

    all_jobs = [j for jobs in jobs_by_block.values() for j in jobs]
    report.segments = len(all_jobs)
    answers = _resolve([(j.route, j.model_text) for j in all_jobs], memory, progress, report, True)
    for job in all_jobs:
        job.result = answers[(id(job.route), job.model_text)]

    # Repair: where a protected span did not come back, translate the text around it apart.
    broken = [
        j
        for j in all_jobs
        if j.protected.spans and j.result and not restore(j.result.text, j.protected).ok
    ]
    for job in broken:
        job.repair_inputs = [job.route.model_input(t) for t in pieces(job.protected)]
    if broken:
        requests = [(j.route, t) for j in broken for t in j.repair_inputs]
        answers = _resolve(requests, memory, None, report, False)
        for job in broken:
            job.repair_results = [answers[(id(job.route), t)] for t in job.repair_inputs]

    for block in blocks:
        _finish_block(block, jobs_by_block[id(block)], report)
    report.flagged = sum(1 for a in articles for b in a.body if b.flags)
    report.model_loaded = any(getattr(j.route.engine, "loaded", False) for j in all_jobs)
    report.seconds = time.perf_counter() - started
    return report


def _resolve(
    requests: list[tuple[Route, str]],
    memory: Memory | None,
    progress: Progress | None,
    report: Report,
    count: bool,
) -> dict[tuple[int, str], Result]:
    """Answer each (route, text) from the memory, else from the route's engine.

    The misses of each route go through its engine as one stream of batches; every finished
    batch is stored in the memory at once, so an interrupted run keeps its work.
    """
    routes: dict[int, Route] = {}
    wanted: dict[int, list[str]] = {}
    for route, text in requests:
        routes[id(route)] = route
        wanted.setdefault(id(route), []).append(text)
    answers: dict[tuple[int, str], Result] = {}
    todo: list[tuple[Route, list[str]]] = []
    for key, texts in wanted.items():
        route = routes[key]
        unique = list(dict.fromkeys(texts))
        hits = memory.lookup(route.signature, unique) if memory else {}
        for text, hit in hits.items():
            answers[(key, text)] = Result(hit.target, hit.score)
        if count:
            report.from_memory += sum(1 for t in texts if t in hits)
        misses = [t for t in unique if t not in hits]
        if misses:
            todo.append((route, misses))

    total = sum(len(m) for _, m in todo)
    done = 0
    if progress and total:
        progress(0, total)
    for route, misses in todo:
        if route.engine is None:
            raise ModelNotInstalled(
                f"{len(misses)} segments are not in the translation memory and no zh→en model "
                "is installed: run `bilingual models install zh en` "
                "(or `bilingual models install --file PACKAGE.argosmodel`)"
            )
        for chunk in route.engine.iter_batches(misses):
            for i, result in chunk:
                answers[(id(route), misses[i])] = result
            if memory:
                memory.store(route.signature, [(misses[i], r.text, r.score) for i, r in chunk])
            done += len(chunk)
            if count:
                report.translated += len(chunk)
            if progress:
                progress(done, total)
    return answers


def _finish_block(block: Block, jobs: list[_Job], report: Report) -> None:
    parts: list[str] = []
    renders: list[str] = []
    repaired: list[str] = []
    scores: list[float] = []
    for job in jobs:
        if job.result is None:
            raise RuntimeError("a segment was left without a result")
        p = job.protected
        renders.extend(s.render for s in p.spans)
        if job.repair_inputs:
            parts.append(join_pieces(p, [r.text for r in job.repair_results]))
            repaired.extend(s.render for s in p.spans)
            report.repaired += 1
        else:
            parts.append(restore(job.result.text, p).text)
        if job.result.score is not None:
            scores.append(job.result.score)
    en = english_punctuation(" ".join(x for x in parts if x), renders)
    score = min(scores) if scores else None
    block.en = en
    block.status = Status.MACHINE
    block.score = score
    block.flags = check_block(block.zh, en, renders=renders, score=score, repaired=repaired)


def _stamp(article: Article, route: Route, glossary: Glossary | None) -> None:
    sig = route.signature
    article.provenance.update(
        {
            "tool": "bilingual",
            "version": __version__,
            "model": {
                "package": sig.get("package"),
                "version": sig.get("package_version"),
                "from_code": sig.get("from_code"),
                "to_code": sig.get("to_code"),
            },
            "settings": {
                k: v
                for k, v in sig.items()
                if k not in ("package", "package_version", "from_code", "to_code")
            },
            "route": route.description,
            "translated_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
    )
    if glossary is not None:
        article.provenance["glossary_entries"] = len(glossary)


def plan_routes(
    settings: ArgosSettings,
    *,
    models_dir: Path | None = None,
    memory: Memory | None = None,
) -> Callable[[Article], Route]:
    """Choose, per article, the installed package that translates it (loaded lazily, once).

    Traditional Chinese uses a zt→en package when one is installed, else zh→en on input
    converted to Simplified. With no package at all, the most recent matching engine in the
    memory answers alone (a fully cached rerun needs no model).
    """
    from bilingual.engines.argos import ArgosEngine
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
            engines[from_code] = ArgosEngine(package.path, settings)
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
