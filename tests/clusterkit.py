"""An Argos engine for cluster tests, importable by the workers (they get the tests' sys.path):
the real model, plus a log of every input it translated (one JSON line each, from every worker
process) and, if asked, the death of the process that runs its first batch."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator, Sequence
from pathlib import Path

from bilingual.engines.argos import ArgosEngine, ArgosSettings
from bilingual.engines.base import Result


class Logged(ArgosEngine):
    def __init__(
        self,
        package_dir: Path,
        settings: ArgosSettings,
        log: Path,
        kill_once: Path | None = None,
        poison: str | None = None,
    ) -> None:
        super().__init__(package_dir, settings)
        self.log = log
        self.kill_once = kill_once
        self.poison = poison  # a segment holding it kills its process, every time

    def iter_batches(self, segments: Sequence[str]) -> Iterator[list[tuple[int, Result]]]:
        # translate_batch comes here too: a cluster's workers and one machine both count.
        if self.kill_once is not None and segments:
            try:
                fd = os.open(self.kill_once, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                pass
            else:
                os.write(fd, str(os.getpid()).encode())
                os.close(fd)
                os.kill(os.getpid(), signal.SIGKILL)  # mid-run, with a batch in hand
        if self.poison is not None and any(self.poison in s for s in segments):
            os.kill(os.getpid(), signal.SIGKILL)
        for chunk in super().iter_batches(segments):
            lines = "".join(json.dumps(segments[i], ensure_ascii=False) + "\n" for i, _ in chunk)
            with open(self.log, "a", encoding="utf-8") as fh:
                fh.write(lines)
            yield chunk


def translated(log: Path) -> list[str]:
    """Every input the engines translated, in any process, one entry per translation."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
