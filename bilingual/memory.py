"""The translation memory: SQLite, shared safely by concurrent processes.

Two tables:
- `segments`: machine translations, keyed by the engine signature (model package, version and
  every option that changes the output) and the exact segment the engine saw. Written batch by
  batch as the engine finishes, so an interrupted run keeps what it did.
- `paragraphs`: human translations of whole paragraphs (confirmed in a review, or imported), keyed
  by the Chinese text, each with the project it came from and when. They always win over machine
  output, and a bad session can be undone (`remove_human` by project or by time).

Human paragraphs, and the sentences of those whose sentences pair up, are also `units`, indexed
by an SQLite FTS5 trigram index (`units_fts`): the review asks it for translation-memory matches
(similar earlier human translations, scored by rapidfuzz) and for concordance (how a term was
translated before, searched in either language).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import shutil
import sqlite3
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from bilingual.errors import BilingualWarning, TranslationMemoryError

# 2: paragraphs carry their project; units and their trigram index were added (migrated on open).
SCHEMA = 2
#: Matches below this similarity (percent) are not worth a translator's look.
MATCH_THRESHOLD = 50
#: A query looks for candidates by at most this many of its rarest trigrams...
_RARE_GRAMS = 12
#: ... while they hold at most about this many units, which it scores exactly.
_CANDIDATES = 500


#: How long to wait for another process's lock on the memory before giving up (seconds).
LOCK_WAIT = 60.0
#: How long sqlite itself waits for a lock before bilingual says that it is waiting.
_BUSY_S = 0.1
#: Rows of a damaged table read one by one at most, past the damage (see Memory._salvaged).
_MAX_PROBES = 50_000_000
_F = TypeVar("_F", bound=Any)


def _companions(path: Path) -> tuple[Path, Path]:
    """The WAL files sqlite keeps beside a memory."""
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _damaged(path: Path, exc: Exception) -> TranslationMemoryError:
    return TranslationMemoryError(
        f"{path}: the translation memory is damaged or unreadable ({exc}); run with --no-memory, "
        f"or rebuild it: move {path} away and the next run starts a new one (bring reviewed "
        "paragraphs back with `bilingual memory import --tmx FILE` from an export)"
    )


def _is_damage(exc: Exception) -> bool:
    """sqlite's words for a file that is not (or no longer) a sound database."""
    text = str(exc).lower()
    return any(w in text for w in ("malformed", "not a database", "corrupt", "encrypted"))


def _reading(method: _F) -> _F:
    """Turn sqlite's errors while reading into one message that says what to do."""

    @functools.wraps(method)
    def wrapper(self: Memory, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None

    return wrapper  # type: ignore[return-value]


def _writing(method: _F) -> _F:
    """A write that fails (disk full, read-only, damaged, locked too long) never loses the run's
    work: the memory warns once and goes on without being written to."""

    @functools.wraps(method)
    def wrapper(self: Memory, *args: Any, **kwargs: Any) -> Any:
        if self.write_failed:
            return None
        try:
            return method(self, *args, **kwargs)
        except (sqlite3.DatabaseError, OSError, TranslationMemoryError) as exc:
            self.write_failed = str(exc)
            warnings.warn(
                BilingualWarning(
                    f"{self.path}: cannot write the translation memory ({exc}); continuing "
                    "without it: the results are kept in the output, not in the memory"
                ),
                stacklevel=2,
            )
            return None

    return wrapper  # type: ignore[return-value]


_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS engines (key TEXT PRIMARY KEY, signature TEXT NOT NULL,"
    " last_used TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS segments (engine TEXT NOT NULL, source TEXT NOT NULL,"
    " target TEXT NOT NULL, score REAL, created_at TEXT NOT NULL, PRIMARY KEY (engine, source))",
    "CREATE TABLE IF NOT EXISTS paragraphs (source TEXT PRIMARY KEY, target TEXT NOT NULL,"
    " status TEXT NOT NULL, updated_at TEXT NOT NULL, project TEXT)",
)
# The human paragraphs and their paired sentences, for matches and concordance. A unit belongs
# to its paragraph (`paragraph` = paragraphs.source) and goes with it.
_UNITS = (
    "CREATE TABLE IF NOT EXISTS units (id INTEGER PRIMARY KEY, paragraph TEXT NOT NULL,"
    " sentence INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS units_paragraph ON units (paragraph)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS units_fts USING fts5(source, target, content='units',"
    " content_rowid='id', tokenize='trigram')",
    # How many units hold each trigram: a query looks for candidates by its rarest ones.
    "CREATE VIRTUAL TABLE IF NOT EXISTS units_vocab USING fts5vocab(units_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS units_ai AFTER INSERT ON units BEGIN"
    " INSERT INTO units_fts(rowid, source, target) VALUES (new.id, new.source, new.target); END",
    "CREATE TRIGGER IF NOT EXISTS units_ad AFTER DELETE ON units BEGIN"
    " INSERT INTO units_fts(units_fts, rowid, source, target)"
    " VALUES ('delete', old.id, old.source, old.target); END",
)


def default_memory_path() -> Path:
    """The memory holds human work, so it lives in the user *data* directory (not the cache,
    which the system may clear)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("bilingual")) / "memory.sqlite3"


def _old_memory_path() -> Path:
    """Where versions before 0.2 kept the memory."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("bilingual")) / "memory.sqlite3"


def carry_over(old: Path, new: Path) -> bool:
    """Move a memory (with its WAL files) from `old` to `new` when only `old` exists."""
    if new.exists() or not old.exists():
        return False
    new.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        src = old.with_name(old.name + suffix)
        if src.exists():
            shutil.move(src, new.with_name(new.name + suffix))
    return True


def open_memory(path: str | Path | None = None, *, must_exist: bool = False) -> Memory:
    """The memory at `path`, or the user's default one (created when missing, unless
    `must_exist`: reading a mistyped path should not make an empty memory there). A default
    memory left in the old cache location is moved over first."""
    if path:
        target = Path(path)
    else:
        target = default_memory_path()
        try:
            carry_over(_old_memory_path(), target)
        except OSError as exc:
            raise TranslationMemoryError(
                f"cannot move the translation memory from {_old_memory_path()} to {target}: {exc}"
            ) from None
    if must_exist and path and not target.exists():
        raise TranslationMemoryError(f"{target}: no translation memory there")
    return Memory(target)


def signature_key(signature: dict[str, Any]) -> str:
    return json.dumps(signature, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Hit:
    target: str
    score: float | None


@dataclass(frozen=True)
class HumanEntry:
    source: str
    target: str
    status: str  # "edited" or "approved"
    updated_at: str
    project: str | None = None  # the project file it was confirmed in (None: before 0.3, TMX)


@dataclass(frozen=True)
class Match:
    """An earlier human translation similar to a text under review."""

    source: str
    target: str
    similarity: int  # percent, 100 = the same text
    sentence: bool  # a sentence of a human paragraph (else the whole paragraph)


def _units(source: str, target: str) -> list[tuple[int, str, str]]:
    """The paragraph as a unit (sentence 0), and its sentences (1, 2, ...) when they pair up."""
    from bilingual.textutil import paired_sentences

    out = [(0, source, target)]
    for i, (zh, en) in enumerate(paired_sentences(source, target), 1):
        out.append((i, zh, en))
    return out


def _grams(text: str) -> list[str]:
    """The text's distinct trigrams, as the index's trigram tokenizer cuts them (case folded)."""
    squeezed = "".join(text.split()).lower()
    return list(dict.fromkeys(squeezed[i : i + 3] for i in range(len(squeezed) - 2)))


def _any_of(grams: Iterable[str]) -> str:
    """An FTS5 query for units holding any of `grams`."""
    return " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Memory:
    #: Machine segments stored by this process, in any memory: what an interrupted run kept.
    stored_in_process = 0

    def __init__(self, path: str | Path, *, lock_wait: float = LOCK_WAIT) -> None:
        self.path = Path(path)
        self.lock_wait = lock_wait
        self.write_failed: str | None = None  # why writing stopped, once it has
        self.unreadable = 0  # rows of a damaged memory that all_human/all_segments passed over
        created = [p for p in (self.path, *_companions(self.path)) if not os.path.lexists(p)]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE) below. sqlite waits
            # only a moment by itself (a busy memory is said at once); _retry bounds the whole
            # wait and says what it is waiting for.
            self._db = sqlite3.connect(self.path, timeout=_BUSY_S, isolation_level=None)
            self._db.execute(f"PRAGMA busy_timeout = {int(_BUSY_S * 1000)}")
            self._retry(lambda: self._db.execute("PRAGMA journal_mode = WAL"))
            self._db.execute("PRAGMA synchronous = NORMAL")
            with self._write() as db:
                for statement in _TABLES:
                    db.execute(statement)
                row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is not None and int(row[0]) > SCHEMA:
                    raise TranslationMemoryError(
                        f"{self.path}: translation memory from a newer bilingual; upgrade"
                    )
                if row is not None and int(row[0]) < 2:
                    self._migrate_1(db)
                for statement in _UNITS:
                    db.execute(statement)
                if row is None or int(row[0]) < SCHEMA:
                    self._index_all(db)
                    db.execute("INSERT INTO units_fts(units_fts) VALUES ('optimize')")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        except sqlite3.DatabaseError as exc:
            self._close_quietly(created)
            if _is_damage(exc):
                raise _damaged(self.path, exc) from None
            raise TranslationMemoryError(
                f"{self.path}: cannot open the translation memory ({exc}; a full disk or a "
                "read-only folder?); free some space, or run with --no-memory"
            ) from None
        except OSError as exc:
            self._close_quietly(created)
            from bilingual.fsutil import describe_os_error

            raise TranslationMemoryError(
                describe_os_error(exc, self.path, "open the translation memory")
                + "; run with --no-memory or give another --memory"
            ) from None
        except BaseException:
            self._close_quietly(created)
            raise

    @staticmethod
    def _migrate_1(db: sqlite3.Connection) -> None:
        """Schema 1 -> 2: human paragraphs gain their project (unknown for the old ones: they
        keep their time, so they can still be listed and removed by it)."""
        columns = {r[1] for r in db.execute("PRAGMA table_info(paragraphs)")}
        if "project" not in columns:
            db.execute("ALTER TABLE paragraphs ADD COLUMN project TEXT")

    @staticmethod
    def _index_all(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM units")
        rows = db.execute("SELECT source, target FROM paragraphs").fetchall()
        for source, target in rows:
            Memory._index(db, source, target)

    @staticmethod
    def _index(db: sqlite3.Connection, source: str, target: str) -> None:
        db.execute("DELETE FROM units WHERE paragraph = ?", (source,))
        db.executemany(
            "INSERT INTO units (paragraph, sentence, source, target) VALUES (?, ?, ?, ?)",
            [(source, n, s, t) for n, s, t in _units(source, target)],
        )

    def _close_quietly(self, created: Iterable[Path] = ()) -> None:
        """Close after a failed open; remove the files this open created (a fresh memory that
        could not be made, on a full disk say, leaves no empty database behind)."""
        db = getattr(self, "_db", None)
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()
        for path in created:
            with contextlib.suppress(OSError):
                path.unlink()

    def _retry(self, fn: Any) -> Any:
        """Run `fn`, waiting while another process holds the lock, at most `lock_wait` s; the
        wait is said at once (one `Warning:` line), with what it waits for."""
        deadline = time.monotonic() + self.lock_wait
        announced = False
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if not announced:
                    announced = True
                    warnings.warn(
                        BilingualWarning(
                            f"{self.path}: the translation memory is locked by another "
                            f"process (another bilingual translate, review or import "
                            f"writing to it); waiting up to {self.lock_wait:g} s for it to "
                            "finish (Ctrl-C stops; --no-memory does without the memory)"
                        ),
                        stacklevel=2,
                    )
                if time.monotonic() >= deadline:
                    raise TranslationMemoryError(
                        f"{self.path}: the translation memory is locked by another process "
                        f"(waited {self.lock_wait:g} s); try again when it is done, or run "
                        "with --no-memory"
                    ) from None
                time.sleep(0.05)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._retry(lambda: self._db.execute("BEGIN IMMEDIATE"))
        try:
            yield self._db
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            raise
        else:
            try:
                self._retry(lambda: self._db.execute("COMMIT"))
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Machine segments ----------------------------------------------------------------------
    @_reading
    def lookup(self, signature: dict[str, Any], sources: Iterable[str]) -> dict[str, Hit]:
        key = signature_key(signature)
        wanted = list(dict.fromkeys(sources))
        hits: dict[str, Hit] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT source, target, score FROM segments WHERE engine = ? AND source IN ({marks})",
                (key, *chunk),
            )
            for source, target, score in rows:
                hits[source] = Hit(target, score)
        return hits

    @_writing
    def store(
        self, signature: dict[str, Any], items: Iterable[tuple[str, str, float | None]]
    ) -> None:
        key = signature_key(signature)
        now = _now()
        rows = [(key, s, t, sc, now) for s, t, sc in items]
        if not rows:
            return
        with self._write() as db:
            db.execute(
                "INSERT INTO engines VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET last_used=?",
                (key, key, now, now),
            )
            db.executemany("INSERT OR REPLACE INTO segments VALUES (?, ?, ?, ?, ?)", rows)
        Memory.stored_in_process += len(rows)

    @_reading
    def engines(self) -> list[dict[str, Any]]:
        """Engine signatures seen, most recently used first."""
        rows = self._db.execute("SELECT signature FROM engines ORDER BY last_used DESC")
        return [json.loads(r[0]) for r in rows]

    # Human paragraphs ----------------------------------------------------------------------
    @_reading
    def human(self, sources: Iterable[str]) -> dict[str, HumanEntry]:
        wanted = list(dict.fromkeys(sources))
        out: dict[str, HumanEntry] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                "SELECT source, target, status, updated_at, project FROM paragraphs"
                f" WHERE source IN ({marks})",
                chunk,
            ):
                out[row[0]] = HumanEntry(*row)
        return out

    @_writing
    def store_human(
        self, source: str, target: str, status: str = "edited", project: str | None = None
    ) -> None:
        """A person confirmed `target` as the English of `source` (in `project`), now."""
        self._put([HumanEntry(source, target, status, _now(), project)])

    def _put(self, entries: list[HumanEntry]) -> None:
        with self._write() as db:
            for e in entries:
                db.execute(
                    "INSERT OR REPLACE INTO paragraphs (source, target, status, updated_at,"
                    " project) VALUES (?, ?, ?, ?, ?)",
                    (e.source, e.target, e.status, e.updated_at, e.project),
                )
                self._index(db, e.source, e.target)

    def damage(self) -> str | None:
        """What sqlite's own check finds wrong with the memory (its first problem), or None
        when it is sound."""
        try:
            row = self._db.execute("PRAGMA quick_check(1)").fetchone()
        except sqlite3.DatabaseError as exc:
            return str(exc)
        found = str(row[0]) if row else "no answer"
        if found == "ok":
            return None
        found = found.replace("*** in database main ***", "")
        return " ".join(found.split())[:160] or "damaged"

    def all_human(self) -> list[HumanEntry]:
        """Every human paragraph; of a damaged memory, every one that can still be read (the
        rest are counted in `unreadable`)."""
        out = []
        columns = "source, target, status, updated_at, project"
        for row in self._salvaged("paragraphs", columns):
            if all(isinstance(v, str) for v in row[:4]) and isinstance(row[4], (str, type(None))):
                out.append(HumanEntry(*row))
            else:
                self.unreadable += 1
        return out

    @staticmethod
    def _where(project: str | None, since: str | None, before: str | None) -> tuple[str, list[str]]:
        clauses, args = [], []
        if project is not None:
            clauses.append("project IS ?" if project else "project IS NULL")
            if project:
                args.append(project)
        if since is not None:
            clauses.append("updated_at >= ?")
            args.append(since)
        if before is not None:
            clauses.append("updated_at < ?")
            args.append(before)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), args

    @_reading
    def human_entries(
        self, *, project: str | None = None, since: str | None = None, before: str | None = None
    ) -> list[HumanEntry]:
        """Human paragraphs of one project ("" for those whose project is unknown) and/or
        confirmed in a time range (ISO 8601 UTC, `since` included, `before` excluded), oldest
        first."""
        where, args = self._where(project, since, before)
        rows = self._db.execute(
            "SELECT source, target, status, updated_at, project FROM paragraphs"
            f"{where} ORDER BY updated_at, rowid",
            args,
        )
        return [HumanEntry(*r) for r in rows]

    def remove_human(
        self, *, project: str | None = None, since: str | None = None, before: str | None = None
    ) -> int:
        """Remove the human paragraphs `human_entries` would list; how many went."""
        if project is None and since is None and before is None:
            raise ValueError("say which entries: a project or a time range")
        where, args = self._where(project, since, before)
        try:
            with self._write() as db:
                sources = [r[0] for r in db.execute(f"SELECT source FROM paragraphs{where}", args)]
                for start in range(0, len(sources), 500):
                    chunk = sources[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    db.execute(f"DELETE FROM units WHERE paragraph IN ({marks})", chunk)
                    db.execute(f"DELETE FROM paragraphs WHERE source IN ({marks})", chunk)
        except sqlite3.DatabaseError as exc:
            raise TranslationMemoryError(f"{self.path}: cannot remove entries ({exc})") from None
        return len(sources)

    @_reading
    def human_projects(self) -> list[tuple[str | None, int, str, str]]:
        """(project, entries, first time, last time) per project, most recent first."""
        rows = self._db.execute(
            "SELECT project, COUNT(*), MIN(updated_at), MAX(updated_at) FROM paragraphs"
            " GROUP BY project ORDER BY MAX(updated_at) DESC"
        )
        return [(p, n, first, last) for p, n, first, last in rows]

    # Matches and concordance -----------------------------------------------------------------
    @_reading
    def matches(
        self, texts: Sequence[str], *, limit: int = 5, threshold: int = MATCH_THRESHOLD
    ) -> list[list[Match]]:
        """For each of `texts`, the human translations most similar to it, best first, at
        least `threshold`% similar (a paragraph and its sentences are asked in one call).

        A text and a similar one share most of their trigrams, so they share some of the text's
        rarest: the trigram index proposes the units holding any of the rarest few (rare in the
        memory, so the candidates stay few however large it grows) and of a length that can
        reach the threshold; rapidfuzz's Levenshtein similarity, the "fuzzy match" percentage
        translators know, scores them.
        """
        grams = {text: _grams(text) for text in texts}
        wanted = list(dict.fromkeys(g for gs in grams.values() for g in gs))
        counts: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            counts.update(
                self._db.execute(
                    f"SELECT term, doc FROM units_vocab WHERE term IN ({marks})", chunk
                )
            )
        return [self._match(text, grams[text], counts, limit, threshold) for text in texts]

    def _match(
        self, text: str, grams: list[str], counts: dict[str, int], limit: int, threshold: int
    ) -> list[Match]:
        from rapidfuzz.distance import Levenshtein

        rare: list[str] = []
        budget = 0
        for gram in sorted((g for g in grams if g in counts), key=lambda g: counts[g]):
            if len(rare) >= _RARE_GRAMS or (len(rare) >= 3 and budget + counts[gram] > _CANDIDATES):
                break
            rare.append(gram)
            budget += counts[gram]
        if not rare:
            return []
        # Levenshtein similarity is at most shorter/longer: other lengths cannot reach it.
        ratio = threshold / 100
        rows = self._db.execute(
            "SELECT u.source, u.target, u.sentence FROM units_fts f JOIN units u ON u.id = f.rowid"
            " WHERE units_fts MATCH ? AND length(u.source) BETWEEN ? AND ? LIMIT ?",
            (
                f"source : ({_any_of(rare)})",
                int(len(text) * ratio),
                int(len(text) / ratio) + 1,
                _CANDIDATES,
            ),
        ).fetchall()
        found: dict[str, Match] = {}
        cutoff = ratio - 0.005
        for source, target, sentence in rows:
            score = Levenshtein.normalized_similarity(text, source, score_cutoff=cutoff)
            similarity = round(100 * score)
            if similarity < threshold:
                continue
            best = found.get(source)
            if best is None or (best.sentence and not sentence):
                found[source] = Match(source, target, similarity, bool(sentence))
        ranked = sorted(found.values(), key=lambda m: (-m.similarity, m.sentence, len(m.source)))
        return ranked[:limit]

    def optimize(self) -> None:
        """Merge the trigram index into one piece (after many entries came in at once: a
        migration, an import), so that lookups read one structure, not dozens."""
        with self._write() as db:
            db.execute("INSERT INTO units_fts(units_fts) VALUES ('optimize')")

    @_reading
    def concordance(self, term: str, *, limit: int = 50) -> list[Match]:
        """Human sentences (else paragraphs) holding `term` in their Chinese or their English
        (case-insensitive), shortest first: how the term was translated before."""
        term = " ".join(term.split())
        if not term:
            return []
        if len(term) >= 3:
            # The trigram index answers a substring search itself.
            quoted = '"' + term.replace('"', '""') + '"'
            rows = self._db.execute(
                "SELECT u.source, u.target, u.sentence, u.paragraph FROM units_fts f"
                " JOIN units u ON u.id = f.rowid WHERE units_fts MATCH ? LIMIT ?",
                (quoted, 20 * limit),
            ).fetchall()
        else:
            like = _like(term)
            rows = self._db.execute(
                "SELECT source, target, sentence, paragraph FROM units"
                " WHERE source LIKE ? ESCAPE '\\'"
                " OR target LIKE ? ESCAPE '\\' LIMIT ?",
                (like, like, 20 * limit),
            ).fetchall()
        # A sentence says more than the paragraph around it: sentences first, shortest first,
        # and a paragraph only when none of its sentences holds the term.
        folded = term.casefold()
        rows = [r for r in rows if folded in r[0].casefold() or folded in r[1].casefold()]
        shown = {r[3] for r in rows if r[2]}
        out: list[Match] = []
        seen: set[tuple[str, str]] = set()
        for source, target, sentence, paragraph in sorted(
            rows, key=lambda r: (r[2] == 0, len(r[0]))
        ):
            if (source, target) not in seen and (sentence or paragraph not in shown):
                seen.add((source, target))
                out.append(Match(source, target, 100, bool(sentence)))
        return out[:limit]

    def all_segments(self) -> Iterator[tuple[dict[str, Any], str, str, float | None, str]]:
        """Every machine segment with its engine signature, in the order they were stored; of a
        damaged memory, every one that can still be read (see `all_human`)."""
        columns = "engine, source, target, score, created_at"
        for engine, source, target, score, created in self._salvaged("segments", columns):
            try:
                signature = json.loads(engine)
            except (TypeError, ValueError):
                signature = None
            if not (
                isinstance(signature, dict)
                and isinstance(source, str)
                and isinstance(target, str)
                and isinstance(created, str)
                and (score is None or isinstance(score, float))
            ):
                self.unreadable += 1
                continue
            yield signature, source, target, score, created

    def _salvaged(self, table: str, columns: str) -> Iterator[tuple[Any, ...]]:
        """The rows of `table` in rowid order. Where a damaged page stops the scan, the rest
        is read row by row (what sits on the damaged pages is counted in `unreadable`): the
        export of a damaged memory is how its reviewed paragraphs are rescued."""
        last = 0
        try:
            for row in self._db.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid"):
                last = row[0]
                yield row[1:]
            return
        except sqlite3.DatabaseError:
            pass  # damaged from `last` on, or a value that is not text
        try:
            top = self._db.execute(f"SELECT max(rowid) FROM {table}").fetchone()[0]
        except sqlite3.DatabaseError:
            top = None
        if not isinstance(top, int):
            self.unreadable += 1  # at least the row that stopped the scan; how many, unknown
            return
        for rowid in range(last + 1, min(top, last + _MAX_PROBES) + 1):
            try:
                row = self._db.execute(
                    f"SELECT {columns} FROM {table} WHERE rowid = ?", (rowid,)
                ).fetchone()
            except sqlite3.DatabaseError:
                self.unreadable += 1
                continue
            if row is not None:
                yield tuple(row)

    @_reading
    def stats(self) -> dict[str, Any]:
        seg = self._db.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
        par = self._db.execute("SELECT COUNT(*) FROM paragraphs").fetchone()[0]
        eng = self._db.execute("SELECT COUNT(*) FROM engines").fetchone()[0]
        size = self.path.stat().st_size if self.path.exists() else 0
        return {
            "path": str(self.path),
            "segments": seg,
            "human": par,
            "engines": eng,
            "bytes": size,
        }

    # Exchange (TMX) and statistics ----------------------------------------------------------
    @_writing
    def forget_human(self, source: str) -> None:
        """Drop the human translation of a paragraph (the reviewer asked the machine again)."""
        with self._write() as db:
            db.execute("DELETE FROM paragraphs WHERE source = ?", (source,))
            db.execute("DELETE FROM units WHERE paragraph = ?", (source,))

    @_writing
    def store_human_entries(self, entries: Iterable[HumanEntry]) -> None:
        """Write human paragraphs with their own timestamps, all in one transaction."""
        rows = list(entries)
        if rows:
            self._put(rows)
        if len(rows) >= 1000:
            self.optimize()

    @_reading
    def human_counts(self) -> dict[str, int]:
        """Human paragraphs per status ("edited", "approved", ...)."""
        rows = self._db.execute("SELECT status, COUNT(*) FROM paragraphs GROUP BY status")
        return {status: n for status, n in rows}

    @_reading
    def segment_counts(self) -> list[tuple[dict[str, Any], int]]:
        """Machine segments per engine signature, most recently used engine first."""
        rows = self._db.execute(
            "SELECT e.signature, COUNT(s.source) FROM engines e"
            " LEFT JOIN segments s ON s.engine = e.key GROUP BY e.key ORDER BY e.last_used DESC"
        )
        return [(json.loads(sig), n) for sig, n in rows]
