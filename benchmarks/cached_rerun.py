"""How much faster a fully cached rerun of the sample is than its first run.

Builds the realistic-size random package of `engine.py` (6+6 layers, d_model 512, ~50k
vocabulary, int8) in a temp dir, installs it into a temp models directory, and runs
`bilingual translate samples/rfi-kazakhstan-2022-01-07.txt` twice as a user would (a new
process each time, one shared memory file): first cold, then with every sentence in the memory.
Prints both wall times, the time inside the translation step (the summary line), and the ratios.
The second run must not load the model: the script removes the package before it, so a load
would fail.

    python benchmarks/cached_rerun.py [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "samples" / "rfi-kazakhstan-2022-01-07.txt"
sys.path.insert(0, str(HERE))

import engine as bench  # noqa: E402  (the package builder of the engine benchmark)


def run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "bilingual", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if out.returncode != 0:
        raise SystemExit(f"bilingual failed: {out.stderr.strip()}")
    return elapsed, out.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a small model, for a smoke run")
    args = parser.parse_args()
    size = bench.QUICK if args.quick else bench.FULL
    random.seed(0)
    with tempfile.TemporaryDirectory(prefix="bilingual-rerun-") as tmp_name:
        tmp = Path(tmp_name)
        text = [s for p in bench.sample_paragraphs() for s in p]
        package, _ = bench.build_package(tmp / "build", size, text)
        models = tmp / "models"
        models.mkdir()
        shutil.copytree(package, models / package.name)
        # Only this package: no other place of the lookup order (argostranslate's folder) holds one.
        env = {k: v for k, v in os.environ.items() if not k.startswith("ARGOS_")}
        env.update(
            BILINGUAL_MODELS_DIR=str(models),
            XDG_DATA_HOME=str(tmp / "data"),
            XDG_CONFIG_HOME=str(tmp / "config"),
            XDG_CACHE_HOME=str(tmp / "cache"),
        )
        memory = tmp / "memory.sqlite3"
        common = ["--memory", str(memory)]
        first, first_summary = run(
            ["translate", str(SEED), "-o", str(tmp / "a.json"), *common], env
        )
        shutil.rmtree(models / package.name)  # a model load in the rerun would now fail
        second, second_summary = run(
            ["translate", str(SEED), "-o", str(tmp / "b.json"), *common], env
        )
        same = (tmp / "a.json").read_text().split('"blocks"')[1] == (
            (tmp / "b.json").read_text().split('"blocks"')[1]
        )
    print(f"model: {size.describe()}, vocabulary {size.vocab}")
    print(f"first run (cold memory, model loaded): {first:7.2f} s wall   [{first_summary}]")
    print(f"rerun (every sentence cached, no model): {second:7.2f} s wall   [{second_summary}]")
    print(f"ratio first/rerun: {first / second:.1f}x  (same blocks: {same})")


if __name__ == "__main__":
    main()
