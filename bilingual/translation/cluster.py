"""An archive translated on a cluster (Dask distributed): the same pipeline, the same outputs.

Who does what:

- **workers** parse the articles (the driver reads the bytes and sends them, so no shared disk
  is needed), prepare them (protect, segment: `prepare_article`) and run the model, each worker
  process loading its engine once and keeping it (`Engine.for_worker`);
- **the driver** (this process) is the translation memory's one owner: it looks every segment
  up first and stores what the workers translate, batch by batch (a SQLite file is not for many
  writers on a shared disk). It sends each distinct model input of the whole archive to the
  workers once (a boilerplate sentence in ten thousand articles is translated once), takes
  paragraphs reviewed by a person from the memory, finishes each article through the same
  `TranslationSteps` as a one-machine run (restore, checks, fallback name strategies) and hands it to
  `write` the moment its last segment is answered.

A worker that dies has its tasks run again elsewhere (Dask reschedules them; a local cluster's
nanny restarts the process). An interrupted run keeps every stored batch and every written
output; run again, it skips the articles whose output exists and finds the rest's finished
segments in the memory, so only what is missing is translated.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from bilingual.document import Article, Block
from bilingual.engines.base import Engine, Result
from bilingual.errors import BilingualError, ClusterError, ModelNotInstalled
from bilingual.translation.pipeline import NameOrder, Prepared, Report, Route, TranslationSteps
from bilingual.translation.run import finish_article, machine_blocks
from bilingual.translation.signals import finish_batch_first

if TYPE_CHECKING:
    from bilingual.memory import Memory
    from bilingual.names.glossary import Glossary

INSTALL_HINT = "pip install 'bilingual[cluster]'"
#: Distinct segments per task sent to a worker: big enough to batch well on the model, small
#: enough that a lost worker costs little and the memory is written often.
BATCH_SEGMENTS = 64
#: Seconds to wait for a cluster's scheduler to answer.
CONNECT_TIMEOUT = 20.0

T = TypeVar("T")


def require_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise ClusterError(
            f"--cluster needs Dask distributed, which is not installed: {INSTALL_HINT}"
        ) from None
    return distributed


@contextlib.contextmanager
def connect(address: str, *, workers: int | None = None) -> Iterator[Any]:
    """A client of the cluster at `address` (a Dask scheduler, `tcp://host:8786`), or of a
    cluster started here for the run with `address` "local" (`workers` processes, one per
    core by default), closed at the end."""
    distributed = require_distributed()
    # Dask's own log lines (a worker lost, a task recomputed) are for operators, not for the
    # user of a CLI, whose summary says what happened.
    for name in ("distributed", "distributed.nanny", "distributed.scheduler", "tornado"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    import dask

    cluster = None
    environ = dict(os.environ)  # a local cluster's nanny sets variables here for its workers
    stack = contextlib.ExitStack()
    # Dask makes glibc return freed memory to the system at once in its workers
    # (MALLOC_TRIM_THRESHOLD_=65536): CTranslate2 then spends most of its time in the kernel
    # (measured: 9.9 s system time against 1.3 s for the same batch, 2-4x the wall time).
    stack.enter_context(
        dask.config.set(
            {
                "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                # A worker holds one task at a time (the others wait at the scheduler): when a
                # segment kills its worker, no innocent task queued there dies with it.
                "distributed.scheduler.worker-saturation": 1.0,
            }
        )
    )
    try:
        if address == "local":
            n = workers or os.cpu_count() or 1
            cluster = distributed.LocalCluster(
                n_workers=n,
                threads_per_worker=1,  # one task at a time: the model uses the worker's cores
                processes=True,
                dashboard_address=":0",  # any free port: no clash with another cluster
                silence_logs=logging.CRITICAL,
                memory_limit=0,  # a model's memory is not a leak to restart the worker for
            )
            client = distributed.Client(cluster, set_as_default=False)
        else:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        stack.close()
        _restore(environ)
        raise ClusterError(f"cannot reach the cluster at {address}: {exc}") from None
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()
        stack.close()
        _restore(environ)


def _restore(environ: dict[str, str]) -> None:
    for name in set(os.environ) - set(environ):
        del os.environ[name]
    for name, value in environ.items():
        if os.environ.get(name) != value:
            os.environ[name] = value


# --- what runs on the workers ---------------------------------------------------------------

# (run, route key) -> this worker process's engine for the run: its model is loaded once and
# dropped when the run ends (`_forget`), so a long-lived cluster does not keep old models.
_ENGINES: dict[tuple[str, str], Engine] = {}


@dataclass(frozen=True)
class ReadOptions:
    fmt: str | None = None
    encoding: str | None = None
    keep_all: bool = False


def _prepare(
    data: bytes, name: str, read: ReadOptions, glossary: Glossary | None, unit: str
) -> tuple[str, Any, float]:
    """Read and prepare one article, in `unit`s (the engine's: sentences or paragraphs):
    ("ok", (article, prepared), seconds), or ("skip", why, seconds) for an input that is not
    an article (the same one-line reason a one-machine run gives)."""
    started = time.perf_counter()
    from bilingual.readers import parse_input
    from bilingual.translation.pipeline import prepare_article

    try:
        article = parse_input(
            data, name, fmt=read.fmt, encoding=read.encoding, keep_all=read.keep_all
        )
        prepared = prepare_article(article, glossary, unit)
    except BilingualError as exc:
        return "skip", str(exc), time.perf_counter() - started
    return "ok", (article, prepared), time.perf_counter() - started


def _translate(
    run: str, key: str, engine: Engine, texts: list[str]
) -> tuple[list[Result], float, float]:
    """Translate `texts` with this worker's engine for the route `key`; returns the results,
    the seconds spent loading the model (once per worker and run) and in the model."""
    load = 0.0
    local = _ENGINES.get((run, key))
    if local is None:
        started = time.perf_counter()
        local = _ENGINES[(run, key)] = engine.for_worker()
        load_model = getattr(local, "_load", None)
        if callable(load_model):
            load_model()
        load = time.perf_counter() - started
    started = time.perf_counter()
    results = local.translate_batch(texts)
    return results, load, time.perf_counter() - started


def _forget(run: str) -> None:
    for name in [k for k in _ENGINES if k[0] == run]:
        del _ENGINES[name]


# --- the driver -----------------------------------------------------------------------------


@dataclass
class Timing:
    """Where the time went, in seconds."""

    wall: float = 0.0
    driver: float = 0.0  # the driver's own work: memory, routing, finishing, writing
    finishing: float = 0.0  # of which restoring, checking and stamping finished articles
    writing: float = 0.0  # of which writing the outputs
    memory: float = 0.0  # of which reading and writing the translation memory
    reading: float = 0.0  # the driver reading the inputs' bytes
    prepare: float = 0.0  # workers parsing and preparing articles (summed over workers)
    model: float = 0.0  # workers in the model (summed over workers)
    load: float = 0.0  # workers loading their model (summed)
    transfer: float = 0.0  # task round trips beyond the work itself: scheduling and transfer


@dataclass
class ArchiveReport:
    report: Report = field(default_factory=Report)
    written: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (input, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, why)
    notes: list[str] = field(default_factory=list)
    workers: int = 0
    timing: Timing = field(default_factory=Timing)


#: progress(articles finished, articles in the run, segments translated so far)
ArchiveProgress = Callable[[int, int, int], None]


@dataclass
class _Article(Generic[T]):
    source: str
    target: T
    article: Article
    route: Route
    todo: list[tuple[Block, Prepared]]
    steps: TranslationSteps
    got: dict[tuple[str, str], Result] = field(default_factory=dict)
    need: set[tuple[str, str]] = field(default_factory=set)


def translate_archive(
    jobs: Sequence[tuple[str, T]],
    routes: Callable[[Article], Route],
    write: Callable[[Article, T], list[str]],
    client: Any,
    *,
    memory: Memory | None = None,
    glossary: Glossary | None = None,
    strategies: NameOrder | None = None,
    read: ReadOptions | None = None,
    progress: ArchiveProgress | None = None,
    batch: int = BATCH_SEGMENTS,
    window: int | None = None,
) -> ArchiveReport:
    """Translate each job's input (a path) on the cluster of `client` and `write` (article,
    its target) as each article completes; returns what was done, skipped and failed.

    `window` bounds the articles in flight (read, waiting for segments or being written),
    so the driver's memory does not grow with the archive.
    """
    run = _Run(jobs, routes, write, client, memory, glossary, strategies, read or ReadOptions())
    return run.go(progress, batch, window)


class _Run(Generic[T]):
    def __init__(
        self,
        jobs: Sequence[tuple[str, T]],
        routes: Callable[[Article], Route],
        write: Callable[[Article, T], list[str]],
        client: Any,
        memory: Memory | None,
        glossary: Glossary | None,
        strategies: NameOrder | None,
        read: ReadOptions,
    ) -> None:
        self.jobs = list(jobs)
        self.routes = routes
        self.write = write
        self.client = client
        self.memory = memory
        self.glossary = glossary
        self.strategies = strategies
        # The unit workers prepare articles in: the engine's, learnt from the routes as they
        # come (an article whose route wants another is prepared again here).
        self.unit = "sentence"
        self.read = read
        self.out = ArchiveReport()
        self.out.report.articles = len(self.jobs)
        self.states: dict[int, _Article[T]] = {}
        # (route key, model input) -> the articles waiting for it while a worker translates it
        self.waiting: dict[tuple[str, str], list[int]] = {}
        self.first_asked: dict[tuple[str, str], bool] = {}
        self.queue: dict[str, list[str]] = {}  # route key -> inputs not sent yet
        self.engines: dict[str, Route] = {}  # route key -> a route with its engine
        # Without a memory to write to, the run keeps what it translated, so a segment seen
        # again later is not translated again.
        self.cache: dict[tuple[str, str], Result] = {}
        self.finished = 0
        import uuid

        self.token = uuid.uuid4().hex

    # The loop ------------------------------------------------------------------------------
    def go(self, progress: ArchiveProgress | None, batch: int, window: int | None) -> ArchiveReport:
        distributed = require_distributed()
        started = time.perf_counter()
        workers = max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))
        self.out.workers = workers
        window = window or max(32, 16 * workers)
        self.batch = max(1, batch)
        self.progress = progress
        total = len(self.jobs)
        self.pending = iter(enumerate(self.jobs))
        self.tasks: dict[Any, tuple[str, Any, float]] = {}  # future -> (kind, what, submitted)
        self.translating = 0
        self.preparing = 0
        self.done_reading = False
        # Results come with their futures, fetched by the client's own loop as tasks finish:
        # asking each future for its result here cost a round trip to its worker (about
        # 0.1 s per task under load, most of the driver's time per article).
        self.flow = distributed.as_completed(
            loop=self.client.loop, with_results=True, raise_errors=False
        )
        if progress:
            progress(0, total, 0)
        t = self.out.timing
        try:
            with finish_batch_first() as checkpoint:
                busy = time.perf_counter()
                self._top_up(window)
                self._dispatch(workers)
                t.driver += time.perf_counter() - busy
                for future, result in self.flow:
                    busy = time.perf_counter()
                    kind, what, submitted = self.tasks.pop(future)
                    self._done(kind, what, submitted, future, result)
                    self._top_up(window)
                    self._dispatch(workers)
                    t.driver += time.perf_counter() - busy
                    checkpoint()
            if self.states or not self.done_reading:
                raise RuntimeError(f"{len(self.states)} articles left unanswered")
        finally:
            self._keep_finished()
            pending = list(self.tasks)
            with contextlib.suppress(Exception):
                if pending:
                    self.client.cancel(pending)
                self.client.run(_forget, self.token, wait=False)
            t.wall = time.perf_counter() - started
            self.out.report.seconds = t.wall
        return self.out

    def _keep_finished(self) -> None:
        """On the way out (interrupted), store the batches the workers finished meanwhile."""
        if not self.memory:
            return
        for future, (kind, what, _) in list(self.tasks.items()):
            if kind == "translate" and future.status == "finished":
                key, texts = what
                with contextlib.suppress(Exception):
                    results = future.result()[0]
                    pairs = zip(texts, results, strict=True)
                    self.memory.store(
                        self.engines[key].signature, [(t, r.text, r.score) for t, r in pairs]
                    )

    def _top_up(self, window: int) -> None:
        """Read and send articles while fewer than `window` are in flight."""
        while not self.done_reading and len(self.states) + self.preparing < window:
            item = next(self.pending, None)
            if item is None:
                self.done_reading = True
                return
            n, (source, target) = item
            from bilingual.readers import load_bytes

            started = time.perf_counter()
            try:
                data, name = load_bytes(source)
            except BilingualError as exc:
                self._skip(source, str(exc))
                continue
            finally:
                self.out.timing.reading += time.perf_counter() - started
            future = self.client.submit(
                _prepare, data, name, self.read, self.glossary, self.unit, pure=False
            )
            self.preparing += 1
            self._watch(future, "prepare", (n, source, target, self.unit))

    def _watch(self, future: Any, kind: str, what: Any) -> None:
        self.tasks[future] = (kind, what, time.perf_counter())
        self.flow.add(future)

    def _done(self, kind: str, what: Any, submitted: float, future: Any, result: Any) -> None:
        round_trip = time.perf_counter() - submitted
        t = self.out.timing
        failure: BaseException | None = None
        if future.status == "error":
            failure = result[1]  # (type, exception, traceback)
        elif isinstance(result, BaseException):  # cancelled
            failure = result
        if kind == "prepare":
            self.preparing -= 1
            n, source, target, unit = what
            if failure is not None:  # a worker died on it every time, or a bug in a reader
                self._fail(source, _task_failure(failure))
                return
            status, value, seconds = result
            t.prepare += seconds
            t.transfer += max(0.0, round_trip - seconds)
            if status == "skip":
                self._skip(source, value)
                return
            article, prepared = value
            self._start(n, source, target, article, prepared, unit)
            return
        self.translating -= 1
        key, texts = what
        if isinstance(failure, BilingualError):
            raise failure  # the model cannot run on the workers: no article can be translated
        if failure is not None:
            self._lost(key, texts, _task_failure(failure))
            return
        results, load, seconds = result
        t.load += load
        t.model += seconds
        t.transfer += max(0.0, round_trip - load - seconds)
        self._answered(key, texts, results)

    # Articles ------------------------------------------------------------------------------
    def _start(
        self,
        n: int,
        source: str,
        target: T,
        article: Article,
        prepared: list[Prepared],
        unit: str,
    ) -> None:
        route = self.routes(article)
        if route.unit != unit:
            from bilingual.translation.pipeline import prepare_article

            self.unit = route.unit
            prepared = prepare_article(article, self.glossary, route.unit)
        report = self.out.report
        started = time.perf_counter()
        human = self.memory.human(b.zh for b in article.blocks) if self.memory else {}
        self.out.timing.memory += time.perf_counter() - started
        todo = machine_blocks(article, prepared, human, report)
        steps = TranslationSteps(
            [(prep, route) for _, prep in todo], strategies=self.strategies, report=report
        )
        self.states[n] = _Article(source, target, article, route, todo, steps)
        self._feed(n)

    def _feed(self, n: int) -> None:
        """Answer what article n's rendering asks from the memory and the run; send the rest
        to the workers (once each, whichever articles ask); finish it when nothing is left."""
        state = self.states[n]
        steps = state.steps
        while not steps.done:
            first = steps.first
            by_key: dict[str, list[str]] = {}
            for route, text in steps.requests():
                key = route.key
                if self.engines.get(key) is None or self.engines[key].engine is None:
                    self.engines[key] = route
                by_key.setdefault(key, []).append(text)
            for key, texts in by_key.items():
                self._ask(n, state, key, texts, first)
            if state.need:
                return
            steps.answer(state.got)
        self._complete(n)

    def _ask(self, n: int, state: _Article[T], key: str, texts: list[str], first: bool) -> None:
        fresh: list[str] = []
        for text in dict.fromkeys(texts):
            wanted = (key, text)
            if wanted in state.got:
                continue
            if wanted in self.cache:
                state.got[wanted] = self.cache[wanted]
            elif wanted in self.waiting:
                self.waiting[wanted].append(n)
                state.need.add(wanted)
            else:
                fresh.append(text)
        route = self.engines[key]
        hits = {}
        if self.memory and fresh:
            started = time.perf_counter()
            hits = self.memory.lookup(route.signature, fresh)
            self.out.timing.memory += time.perf_counter() - started
        for text, hit in hits.items():
            state.got[(key, text)] = Result(hit.target, hit.score)
        if first:
            self.out.report.from_memory += sum(1 for t in texts if t in hits)
        misses = [t for t in fresh if t not in hits]
        if misses and route.engine is None:
            raise ModelNotInstalled(
                f"{len(misses)} segments are not in the translation memory and no zh→en model "
                "is installed: run `bilingual models install zh en` "
                "(or `bilingual models install --file PACKAGE.argosmodel`)"
            )
        for text in misses:
            self.waiting[(key, text)] = [n]
            self.first_asked[(key, text)] = first
            state.need.add((key, text))
            self.queue.setdefault(key, []).append(text)

    def _answered(self, key: str, texts: list[str], results: list[Result]) -> None:
        route = self.engines[key]
        if self.memory:
            started = time.perf_counter()
            self.memory.store(
                route.signature, [(t, r.text, r.score) for t, r in zip(texts, results, strict=True)]
            )
            self.out.timing.memory += time.perf_counter() - started
        keep = self.memory is None or bool(self.memory.write_failed)
        report = self.out.report
        ready: list[int] = []
        for text, result in zip(texts, results, strict=True):
            wanted = (key, text)
            if keep:
                self.cache[wanted] = result
            if self.first_asked.pop(wanted, True):
                report.translated += 1
            else:
                report.retried += 1
            for n in self.waiting.pop(wanted, []):
                state = self.states.get(n)
                if state is None:
                    continue  # failed meanwhile
                state.got[wanted] = result
                state.need.discard(wanted)
                if not state.need:
                    ready.append(n)
        for n in dict.fromkeys(ready):
            if n in self.states:
                self._feed(n)
        self._progress()

    def _lost(self, key: str, texts: list[str], why: str) -> None:
        """A batch failed for good (its workers died each time). Its segments are tried again
        one by one, so that one segment that kills the model costs only the articles waiting
        for it; when a single segment fails, those articles fail and the others go on."""
        if len(texts) > 1:
            for text in texts:
                self._send(key, [text])
            return
        for text in texts:
            self.first_asked.pop((key, text), None)
            for n in self.waiting.pop((key, text), []):
                state = self.states.pop(n, None)
                if state is not None:
                    self._fail(state.source, why)

    def _complete(self, n: int) -> None:
        state = self.states.pop(n)
        started = time.perf_counter()
        translated = state.steps.results()
        finish_article(
            state.article,
            state.route,
            [(block, r) for (block, _), r in zip(state.todo, translated, strict=True)],
            glossary=self.glossary,
            strategies=self.strategies,
        )
        self.out.report.flagged += sum(1 for b in state.article.body if b.flags)
        self.out.timing.finishing += time.perf_counter() - started
        started = time.perf_counter()
        try:
            notes = self.write(state.article, state.target)
        except (BilingualError, OSError) as exc:
            self._fail(state.source, _os_reason(exc))
            return
        finally:
            self.out.timing.writing += time.perf_counter() - started
        self.out.notes.extend(notes)
        self.out.written += 1
        self.finished += 1
        self._progress()

    def _skip(self, source: str, why: str) -> None:
        self.out.skipped.append((source, why))
        self.finished += 1
        self._progress()

    def _fail(self, source: str, why: str) -> None:
        self.out.failed.append((source, why))
        self.finished += 1
        self._progress()

    def _progress(self) -> None:
        if self.progress:
            self.progress(self.finished, len(self.jobs), self.out.report.translated)

    # Sending work --------------------------------------------------------------------------
    def _dispatch(self, workers: int) -> None:
        """Send full batches at once; a part batch only when a worker would otherwise idle
        (or nothing else is coming)."""
        for key, texts in self.queue.items():
            while len(texts) >= self.batch:
                self._send(key, texts[: self.batch])
                del texts[: self.batch]
        for key, texts in self.queue.items():
            if texts and self.translating < workers:
                self._send(key, list(texts))
                texts.clear()

    def _send(self, key: str, texts: list[str]) -> None:
        route = self.engines[key]
        future = self.client.submit(
            _translate, self.token, key, route.engine, texts, pure=False, priority=1, retries=0
        )
        self.translating += 1
        self._watch(future, "translate", (key, texts))


def _task_failure(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "KilledWorker":
        return "the workers running it died each time it was tried"
    if isinstance(exc, BilingualError):
        return str(exc)
    return f"internal error: {name}: {exc}"


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        from bilingual.fsutil import describe_os_error

        return describe_os_error(exc, action=None)
    return str(exc)


__all__ = [
    "BATCH_SEGMENTS",
    "INSTALL_HINT",
    "ArchiveReport",
    "ClusterError",
    "ReadOptions",
    "Timing",
    "connect",
    "require_distributed",
    "translate_archive",
]
