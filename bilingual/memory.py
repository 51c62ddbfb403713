"""The translation memory: SQLite, shared safely by concurrent processes.

Two tables:
- `segments`: machine translations, keyed by the engine signature (model package, version and
  every option that changes the output) and the exact segment the engine saw. Written batch by
  batch as the engine finishes, so an interrupted run keeps what it did.
- `paragraphs`: human translations of whole paragraphs (reviewed, edited or imported), keyed by
  the Chinese text. They always win over machine output.
"""

from __future__ import annotations

import contextlib
import functools
import json
import shutil
import sqlite3
import time
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from bilingual.errors import BilingualError, BilingualWarning

SCHEMA = 1


class TranslationMemoryError(BilingualError):
    """The translation memory cannot be opened or is damaged."""

    exit_code = 2


#: How long to wait for another process's lock on the memory before giving up (seconds).
LOCK_WAIT = 60.0
_F = TypeVar("_F", bound=Any)


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
    #: Machine segments stored by this process, in any memory: what an interrupted run kept.
    stored_in_process = 0

    def __init__(self, path: str | Path, *, lock_wait: float = LOCK_WAIT) -> None:
        self.path = Path(path)
        self.lock_wait = lock_wait
        self.write_failed: str | None = None  # why writing stopped, once it has
        self._waited = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Autocommit mode: transactions are explicit (BEGIN IMMEDIATE) below. sqlite waits
            # a little by itself; _retry bounds the whole wait and says that it is waiting.
            self._db = sqlite3.connect(self.path, timeout=1, isolation_level=None)
            self._db.execute("PRAGMA busy_timeout = 1000")
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
            self._close_quietly()
            if _is_damage(exc):
                raise _damaged(self.path, exc) from None
            raise TranslationMemoryError(
                f"{self.path}: cannot open the translation memory ({exc}; a full disk or a "
                "read-only folder?); free some space, or run with --no-memory"
            ) from None
        except OSError as exc:
            self._close_quietly()
            from bilingual.fsutil import describe_os_error

            raise TranslationMemoryError(
                describe_os_error(exc, self.path, "open the translation memory")
                + "; run with --no-memory or give another --memory"
            ) from None
        except BaseException:
            self._close_quietly()
            raise

    def _close_quietly(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            with contextlib.suppress(sqlite3.Error):
                db.close()

    def _retry(self, fn: Any) -> Any:
        """Run `fn`, waiting while another process holds the lock, at most `lock_wait` s."""
        deadline = time.monotonic() + self.lock_wait
        while True:
            try:
                return fn()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                if not self._waited:
                    self._waited = True
                    warnings.warn(
                        BilingualWarning(
                            f"{self.path}: the translation memory is locked by another "
                            f"process; waiting up to {self.lock_wait:g} s"
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
                f"SELECT source, target, status, updated_at FROM paragraphs WHERE source IN ({marks})",
                chunk,
            ):
                out[row[0]] = HumanEntry(*row)
        return out

    @_writing
    def store_human(self, source: str, target: str, status: str = "edited") -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO paragraphs VALUES (?, ?, ?, ?)",
                (source, target, status, _now()),
            )

    @_reading
    def all_human(self) -> list[HumanEntry]:
        rows = self._db.execute("SELECT source, target, status, updated_at FROM paragraphs")
        return [HumanEntry(*r) for r in rows]

    @_reading
    def all_segments(self) -> Iterator[tuple[dict[str, Any], str, str, float | None, str]]:
        rows = self._db.execute(
            "SELECT engine, source, target, score, created_at FROM segments ORDER BY rowid"
        )
        for engine, source, target, score, created in rows:
            yield json.loads(engine), source, target, score, created

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

    @_writing
    def store_human_entries(self, entries: Iterable[HumanEntry]) -> None:
        """Write human paragraphs with their own timestamps, all in one transaction."""
        rows = [(e.source, e.target, e.status, e.updated_at) for e in entries]
        if not rows:
            return
        with self._write() as db:
            db.executemany("INSERT OR REPLACE INTO paragraphs VALUES (?, ?, ?, ?)", rows)

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
