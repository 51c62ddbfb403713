from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from conftest import SEED

from bilingual.engines.argos import ArgosEngine, ArgosSettings, decoding_bound, length_class
from bilingual.readers import read_article
from bilingual.translation.segment import split_sentences


def _segments() -> list[str]:
    return [s for b in read_article(SEED).blocks for s in split_sentences(b.zh)]


def test_engine_argos_hello_world_for_every_sentence(tiny_hello):
    engine = ArgosEngine(tiny_hello)
    assert not engine.loaded
    segments = _segments()
    results = engine.translate_batch(segments)
    assert [r.text for r in results] == ["hello world"] * len(segments)
    assert all(r.score is not None and r.score <= 0 for r in results)
    assert engine.loads == 1
    engine.translate_batch(segments[:3])
    assert engine.loads == 1  # loaded once per process


def test_engine_argos_streams_length_sorted_token_bounded_chunks(tiny_hello):
    engine = ArgosEngine(tiny_hello, ArgosSettings(max_batch_tokens=256))
    segments = _segments()
    tokens = engine.tokenize(segments)
    chunks = engine.chunks(tokens)
    assert sorted(i for c in chunks for i in c) == list(range(len(segments)))
    assert len(chunks) > 1
    for chunk in chunks:
        longest = max(len(tokens[i]) for i in chunk)
        assert longest * len(chunk) <= 256 or len(chunk) == 1
    # Chunks come in length order, so each is filled with similar lengths.
    maxima = [max(len(tokens[i]) for i in c) for c in chunks]
    assert maxima == sorted(maxima)
    seen = []
    for batch in engine.iter_batches(segments):
        seen.extend(i for i, _ in batch)
    assert sorted(seen) == list(range(len(segments)))


def test_engine_argos_random_weights_respect_decoding_bound(tiny_random):
    settings = ArgosSettings(beam=2)
    engine = ArgosEngine(tiny_random, settings)
    segments = ["你好。", "法新社消息说，哈萨克斯坦因瓦斯飙涨引发反政府动乱。"]
    results = engine.translate_batch(segments)
    tokens = engine.tokenize(segments)
    for r in results:
        assert r.text  # gibberish, but never empty: random weights never emit </s>
    out_tokens = engine._sp.encode(results[0].text, out_type=str)
    # The bound is the segment's length class's, with some slack for re-tokenizing.
    assert len(out_tokens) <= decoding_bound(length_class(len(tokens[0])), settings) + 5
    assert engine.translate_batch(["", "你好。"])[0].text == ""


def test_engine_argos_english_does_not_depend_on_the_batch(tiny_random):
    """The memory serves a stored segment in any later run, and a cluster batches segments
    otherwise than one machine: a segment's English must be its own, whatever its batchmates
    (random weights run to the decoding bound, so a bound taken from a longer batchmate shows)."""
    engine = ArgosEngine(tiny_random, ArgosSettings(beam=2))
    short = "你好。"
    others = [
        "法新社消息说，哈萨克斯坦因瓦斯飙涨引发反政府动乱。",
        "中国国家主席习近平周五向哈萨克斯坦总统致口信，表示中方坚决反对外部势力蓄意制造动乱。",
        "市民在广场上散步。",
    ]
    alone = [engine.translate_batch([s])[0] for s in [short, *others]]
    together = engine.translate_batch([*others, short])
    assert [r.text for r in together] == [r.text for r in alone[1:] + alone[:1]]
    assert [r.score for r in together] == [r.score for r in alone[1:] + alone[:1]]


def test_engine_argos_alternatives(tiny_random):
    engine = ArgosEngine(tiny_random, ArgosSettings(beam=4))
    alts = engine.alternatives("中国国家主席习近平周五向哈萨克斯坦总统致口信。", n=3)
    texts = [a.text for a in alts]
    assert 1 <= len(alts) <= 3 and len(set(texts)) == len(texts)
    # Every hypothesis has its own score, a log-probability per token, best first.
    assert all(a.score is not None and a.score <= 0 for a in alts)
    assert [a.score for a in alts] == sorted((a.score for a in alts), reverse=True)


def test_engine_argos_target_prefix(tmp_path):
    from tinyargos import build_unpacked

    pkg = build_unpacked(tmp_path, deterministic=True, target_prefix="__en__")
    assert json.loads((pkg / "metadata.json").read_text())["target_prefix"] == "__en__"
    engine = ArgosEngine(pkg)
    assert engine.translate_batch(["你好。"])[0].text == "hello world"


def test_engine_argos_signature_without_loading(tiny_hello):
    engine = ArgosEngine(tiny_hello, ArgosSettings(beam=2))
    sig = engine.signature()
    assert sig["package"] == "translate-zh_en" and sig["beam"] == 2
    assert not engine.loaded


def test_engine_argos_never_imports_torch_or_argos_translate(tiny_hello):
    code = (
        "import sys\n"
        "from bilingual.engines.argos import ArgosEngine\n"
        f"r = ArgosEngine({str(tiny_hello)!r}).translate_batch(['你好。'])\n"
        "assert r[0].text == 'hello world'\n"
        "bad = [m for m in ('torch', 'stanza', 'argostranslate.translate', 'spacy')"
        " if m in sys.modules]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_engine_argos_broken_package_is_a_clear_error(tiny_hello, tmp_path):
    from bilingual.errors import BilingualError

    broken = tmp_path / "pkg"
    shutil.copytree(tiny_hello, broken)
    (broken / "model" / "model.bin").write_bytes(b"garbage")
    with pytest.raises(BilingualError, match="cannot load the model"):
        ArgosEngine(broken).translate_batch(["你好。"])
