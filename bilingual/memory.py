"""The translation memory: SQLite, shared safely by concurrent processes.

Two tables:
- `segments`: machine translations, keyed by the engine signature (model package, version and
  every option that changes the output) and the exact segment the engine saw. Written batch by
  batch as the engine finishes, so an interrupted run keeps what it did.
- `paragraphs`: human translations of whole paragraphs (reviewed, edited or imported), keyed by
  the Chinese text. They always win over machine output.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bilingual.errors import BilingualError

SCHEMA = 1


class TranslationMemoryError(BilingualError):
    """The translation memory cannot be opened or is damaged."""

    exit_code = 2


_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS engines (key TEXT PRIMARY KEY, signature TEXT NOT NULL,"
    " last_used TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS segments (engine TEXT NOT NULL, source TEXT NOT NULL,"
    " target TEXT NOT NULL, score REAL, created_at TEXT NOT NULL, PRIMARY KEY (engine, source))",
    "CREATE TABLE IF NOT EXISTS paragraphs (source TEXT PRIMARY KEY, target TEXT NOT NULL,"
    " status TEXT NOT NULL, updated_at TEXT NOT NULL)",
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


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Memory:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE) below.
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 60000")
            self._retry(lambda: self._db.execute("PRAGMA journal_mode = WAL"))
            self._db.execute("PRAGMA synchronous = NORMAL")
            with self._write() as db:
                for statement in _TABLES:
                    db.execute(statement)
                row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
                if row is None:
                    db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
                elif int(row[0]) > SCHEMA:
                    raise TranslationMemoryError(
                        f"{self.path}: translation memory from a newer bilingual; upgrade"
                    )
        except sqlite3.DatabaseError as exc:
            raise TranslationMemoryError(
                f"{self.path}: cannot use translation memory ({exc})"
            ) from None

    def _retry(self, fn: Any) -> Any:
        for attempt in range(50):
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.05)
        return None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        self._retry(lambda: self._db.execute("BEGIN IMMEDIATE"))
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Machine segments ----------------------------------------------------------------------
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

    def engines(self) -> list[dict[str, Any]]:
        """Engine signatures seen, most recently used first."""
        rows = self._db.execute("SELECT signature FROM engines ORDER BY last_used DESC")
        return [json.loads(r[0]) for r in rows]

    # Human paragraphs ----------------------------------------------------------------------
    def human(self, sources: Iterable[str]) -> dict[str, HumanEntry]:
        wanted = list(dict.fromkeys(sources))
        out: dict[str, HumanEntry] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._db.execute(
                f"SELECT source, target, status, updated_at FROM paragraphs WHERE source IN ({marks})",
                chunk,
            ):
                out[row[0]] = HumanEntry(*row)
        return out

    def store_human(self, source: str, target: str, status: str = "edited") -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO paragraphs VALUES (?, ?, ?, ?)",
                (source, target, status, _now()),
            )

    def all_human(self) -> list[HumanEntry]:
        rows = self._db.execute("SELECT source, target, status, updated_at FROM paragraphs")
        return [HumanEntry(*r) for r in rows]

    def all_segments(self) -> Iterator[tuple[dict[str, Any], str, str, float | None, str]]:
        rows = self._db.execute(
            "SELECT engine, source, target, score, created_at FROM segments ORDER BY rowid"
        )
        for engine, source, target, score, created in rows:
            yield json.loads(engine), source, target, score, created

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
    def forget_human(self, source: str) -> None:
        """Drop the human translation of a paragraph (the reviewer asked the machine again)."""
        with self._write() as db:
            db.execute("DELETE FROM paragraphs WHERE source = ?", (source,))

    def store_human_entries(self, entries: Iterable[HumanEntry]) -> None:
        """Write human paragraphs with their own timestamps, all in one transaction."""
        rows = [(e.source, e.target, e.status, e.updated_at) for e in entries]
        if not rows:
            return
        with self._write() as db:
            db.executemany("INSERT OR REPLACE INTO paragraphs VALUES (?, ?, ?, ?)", rows)

    def human_counts(self) -> dict[str, int]:
        """Human paragraphs per status ("edited", "approved", ...)."""
        rows = self._db.execute("SELECT status, COUNT(*) FROM paragraphs GROUP BY status")
        return {status: n for status, n in rows}

    def segment_counts(self) -> list[tuple[dict[str, Any], int]]:
        """Machine segments per engine signature, most recently used engine first."""
        rows = self._db.execute(
            "SELECT e.signature, COUNT(s.source) FROM engines e"
            " LEFT JOIN segments s ON s.engine = e.key GROUP BY e.key ORDER BY e.last_used DESC"
        )
        return [(json.loads(sig), n) for sig, n in rows]
