"""Every engine family end to end: a tiny genuine model of each, through the real CLI.

The models have random weights, so their English is gibberish; what is tested is what the code
guarantees whatever a model writes: every Latin name of the seed verbatim, the engine and model
named in the footer and the provenance, memory entries kept apart per engine, alternatives from
the engine the project was translated with. (Meaning is tested with the scripted engine.)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED
from tinymodels import build_model

from bilingual.cli import cli
from bilingual.document import Article
from bilingual.engines import ENGINES, engine_class
from bilingual.engines.base import Engine
from bilingual.engines.seq2seq import Settings
from bilingual.errors import EngineError, ModelNotInstalled
from bilingual.memory import Memory
from bilingual.models.converted import find_model, list_models
from bilingual.readers import read_article
from bilingual.review.session import ReviewSession
from bilingual.translation.pipeline import prepare_article
from bilingual.translation.run import routes_of_record

FAMILIES = ["argos", "nllb", "opus-mt", "llm"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One tiny model folder per family, built once for the module."""
    root = tmp_path_factory.mktemp("families")
    return {name: build_model(name, root / name) for name in FAMILIES}


@pytest.fixture(scope="module")
def argos_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tinyargos import build_package

    return build_package(tmp_path_factory.mktemp("argos-file"), deterministic=False)


@pytest.fixture
def models(
    built: dict[str, Path], argos_archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A models directory with the tiny model of every family installed, as a user does."""
    root = tmp_path / "models"
    monkeypatch.setenv("BILINGUAL_MODELS_DIR", str(root))
    r = CliRunner().invoke(cli, ["models", "install", "--file", str(argos_archive)])
    assert r.exit_code == 0, r.output
    for engine in ("nllb", "opus-mt", "llm"):
        r = CliRunner().invoke(cli, ["models", "install", "--dir", str(built[engine])])
        assert r.exit_code == 0, r.output
        assert f"Installed {engine} model tiny-{engine}" in r.output
    return root


def _docx_text(path: Path) -> str:
    import docx

    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    for section in d.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def _seed_renders() -> list[list[str]]:
    article = read_article(SEED)
    return [prep.renders for prep in prepare_article(article)]


def test_the_registry_names_every_family_and_its_contract():
    assert list(ENGINES) == FAMILIES
    for name in FAMILIES:
        cls = engine_class(name)
        assert issubclass(cls, Engine) and cls.name == name
        assert cls.unit in ("sentence", "paragraph") and cls.name_strategies
        assert cls.required_files
    assert engine_class("llm").unit == "paragraph"
    assert engine_class("llm").name_strategies[0] == "inline"
    with pytest.raises(ValueError, match="one of argos, nllb"):
        engine_class("gpt")


@pytest.mark.parametrize("engine", FAMILIES)
def test_translate_seed_with_each_engine(engine: str, models: Path, tmp_path: Path):
    memory = tmp_path / "memory.sqlite3"
    out = tmp_path / "x.docx"
    project = tmp_path / "x.json"
    r = CliRunner().invoke(
        cli,
        ["translate", str(SEED), "--engine", engine, "-o", str(out), "--memory", str(memory)],
    )
    assert r.exit_code == 0, r.output
    # The project file from the same memory, without translating again.
    r = CliRunner().invoke(
        cli,
        ["translate", str(SEED), "--engine", engine, "-o", str(project), "--memory", str(memory)],
    )
    assert r.exit_code == 0, r.output
    assert "0 translated" in r.output  # all from the memory

    article = Article.from_json(project.read_text(encoding="utf-8"))
    for block, renders in zip(article.blocks, _seed_renders(), strict=True):
        for render in renders:
            assert render in (block.en or ""), (engine, render, block.en)
    text = _docx_text(out)
    for renders in _seed_renders():
        for render in renders:
            assert render in text, (engine, render)

    model = article.provenance["model"]
    assert model["engine"] == engine
    name = model["package"]
    if engine == "argos":
        assert name == "translate-zh_en"
        assert f"Model: {name} 1.0." in text
    else:
        assert name == f"tiny-{engine}"
        word = {"nllb": "NLLB-200", "opus-mt": "OPUS-MT", "llm": "a large language model"}
        assert f"Model: {name} 1.0 ({word[engine]})." in text
    assert article.provenance["settings"]["model_hash"]
    html = tmp_path / "x.html"
    r = CliRunner().invoke(cli, ["export", str(project), "-o", str(html)])
    assert r.exit_code == 0, r.output
    page = html.read_text(encoding="utf-8")
    assert f'name="bilingual:engine" content="{engine}"' in page
    if engine == "llm":
        assert article.provenance["settings"]["beam"] == 1
        assert article.provenance["names"]["order"] == ["inline", "pieces"]


def test_two_engines_keep_two_sets_of_memory_entries(models: Path, tmp_path: Path):
    memory = tmp_path / "memory.sqlite3"
    for engine in ("argos", "nllb"):
        r = CliRunner().invoke(
            cli,
            ["translate", str(SEED), "--engine", engine, "-o", str(tmp_path / f"{engine}.json"),
             "--memory", str(memory)],
        )  # fmt: skip
        assert r.exit_code == 0, r.output
    with Memory(memory) as m:
        counts = m.segment_counts()
        rows = list(m.all_segments())
    assert sorted(sig["engine"] for sig, _ in counts) == ["argos", "nllb"]
    assert all(n > 0 for _, n in counts)
    by_engine: dict[str, dict[str, str]] = {}
    for sig, source, target, _, _ in rows:
        by_engine.setdefault(sig["engine"], {})[source] = target
    shared = set(by_engine["argos"]) & set(by_engine["nllb"])
    assert shared  # the same segments were asked of both ...
    assert any(by_engine["argos"][s] != by_engine["nllb"][s] for s in shared)  # ... apart
    # A third run with nllb finds its own entries: nothing translated, nothing of Argos taken.
    r = CliRunner().invoke(
        cli,
        ["translate", str(SEED), "--engine", "nllb", "-o", str(tmp_path / "again.json"),
         "--memory", str(memory)],
    )  # fmt: skip
    assert r.exit_code == 0 and "0 translated" in r.output
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    first = json.loads((tmp_path / "nllb.json").read_text(encoding="utf-8"))
    assert [b["en"] for b in again["blocks"]] == [b["en"] for b in first["blocks"]]


@pytest.mark.parametrize("engine", ["nllb", "llm"])
def test_review_alternatives_come_from_the_recorded_engine(
    engine: str, models: Path, tmp_path: Path
):
    project = tmp_path / "p.json"
    r = CliRunner().invoke(
        cli, ["translate", str(SEED), "--engine", engine, "-o", str(project), "--no-memory"]
    )
    assert r.exit_code == 0, r.output
    session = ReviewSession(project, routes=routes_of_record())
    route = routes_of_record()(session.article)
    assert route.engine is not None and route.engine.name == engine
    renders = _seed_renders()
    for i, b in enumerate(session.order):
        if renders[b]:
            session.index = i
            break
    wanted = renders[session.order[session.index]]
    assert wanted
    found = session.alternatives(3)
    assert found and all(a.text for a in found)
    for a in found:
        assert all(render in a.text for render in wanted), (a.text, wanted)
    # Retranslating goes through the same engine.
    session.retranslate()
    assert all(render in (session.block.en or "") for render in wanted)


def test_the_model_is_chosen_by_name_when_several_are_installed(
    models: Path, built: dict[str, Path], tmp_path: Path
):
    from tinymodels import build_nllb

    build_nllb(models, name="other-nllb", seed=3)
    assert [m.name for m in list_models(models, "nllb")] == ["other-nllb", "tiny-nllb"]
    with pytest.raises(ModelNotInstalled, match="choose one with --model NAME"):
        find_model("nllb", None, models)
    r = CliRunner().invoke(cli, ["translate", str(SEED), "--engine", "nllb", "--no-memory"])
    assert r.exit_code == 3 and "--model NAME" in r.output
    r = CliRunner().invoke(
        cli,
        ["translate", str(SEED), "--engine", "nllb", "--model", "other-nllb", "--no-memory",
         "-o", str(tmp_path / "o.json")],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "o.json").read_text(encoding="utf-8"))
    assert data["provenance"]["model"]["package"] == "other-nllb"
    r = CliRunner().invoke(
        cli, ["translate", str(SEED), "--engine", "nllb", "--model", "nope", "--no-memory"]
    )
    assert r.exit_code == 3 and "no nllb model called 'nope'" in r.output


def test_an_engine_without_a_model_says_how_to_install_one(tmp_path: Path):
    r = CliRunner().invoke(cli, ["translate", str(SEED), "--engine", "opus-mt", "--no-memory"])
    assert r.exit_code == 3
    assert "no opus-mt model installed" in r.output and "models install --dir" in r.output
    assert "Traceback" not in r.output


def test_m2m100_codes_and_a_folder_without_codes(tmp_path: Path):
    from tinymodels import build_nllb

    from bilingual.engines.nllb import NllbEngine

    m2m = NllbEngine(build_nllb(tmp_path, name="m2m", m2m=True))
    assert m2m.codes == ("__zh__", "__en__")
    assert m2m.translate_batch(["你好。"])[0].text
    folder = build_nllb(tmp_path, name="plain")
    vocab = json.loads((folder / "shared_vocabulary.json").read_text(encoding="utf-8"))
    (folder / "shared_vocabulary.json").write_text(
        json.dumps([t for t in vocab if t not in ("zho_Hans", "eng_Latn")]), encoding="utf-8"
    )
    with pytest.raises(EngineError, match="no Chinese and English language codes"):
        NllbEngine(folder).translate_batch(["你好。"])


def test_llm_prompt_tells_the_names_and_keeps_to_the_template(built: dict[str, Path]):
    from bilingual.engines.llm import LlmEngine, latin_terms

    engine = LlmEngine(built["llm"], Settings(beam=1))
    text = "哈萨克斯坦总统Kassym-Jomart Tokayev说，CSTO部队将撤离。"
    assert latin_terms(text) == ["Kassym-Jomart Tokayev", "CSTO"]
    engine._load()
    prompt = engine.prompt(text)
    assert prompt.startswith("<|im_start|>system\n") and prompt.endswith("<|im_start|>assistant\n")
    assert "exactly as written, letter for letter: Kassym-Jomart Tokayev; CSTO." in prompt
    assert "<|im_end|>" in engine._end_tokens
    first = engine.alternatives(text, 3)
    assert first[0] == engine.translate_batch([text])[0]  # the best answer, then samples
    assert len({r.text for r in first}) == len(first) == 3
    assert all(r.score is not None and r.score <= 0 for r in first)


def test_device_cuda_without_a_gpu_is_a_one_line_error(models: Path):
    import ctranslate2

    if ctranslate2.get_cuda_device_count() > 0:
        pytest.skip("this machine has a CUDA device")
    r = CliRunner().invoke(cli, ["translate", str(SEED), "--device", "cuda", "--no-memory"])
    assert r.exit_code == 3 and "finds no CUDA device" in r.output
    assert Settings(device="auto").on_device().device == "cpu"


def test_a_paragraph_engine_gets_the_title_and_the_paragraph_before_as_context():
    from collections.abc import Mapping

    from scripted import ScriptedEngine

    from bilingual.translation.pipeline import Route
    from bilingual.translation.run import translate_articles

    class Paragraphs(ScriptedEngine):
        unit = "paragraph"

        def __init__(self) -> None:
            super().__init__("good")
            self.context: dict[str, str] = {}

        def give_context(self, context: Mapping[str, str]) -> None:
            self.context.update(context)

    engine = Paragraphs()
    article = read_article(SEED)
    translate_articles([article], lambda a: Route.to(engine))
    body = article.body
    title = article.title or ""
    # Each paragraph went whole (one input), with the title and the paragraph before.
    asked = [t for call in engine.calls for t in call]
    second = next(t for t in asked if t.startswith(body[1].zh[:6]))
    assert engine.context[second] == f"{title}\n{body[0].zh}"
    first = next(t for t in asked if t.startswith(body[0].zh[:6]))
    assert engine.context[first] == title
    assert all(b.en for b in body)


def test_llm_prompt_puts_the_context_before_the_text(built: dict[str, Path]):
    from bilingual.engines.llm import CONTEXT_LEAD, TEXT_LEAD, LlmEngine

    engine = LlmEngine(built["llm"], Settings(beam=1))
    engine._load()
    text = "他说，部队将撤离。"
    plain = engine.prompt(text)
    assert CONTEXT_LEAD not in plain
    engine.give_context({text: "哈萨克斯坦局势\n托卡耶夫发表讲话。"})
    prompt = engine.prompt(text)
    assert f"{CONTEXT_LEAD}\n哈萨克斯坦局势\n托卡耶夫发表讲话。\n\n{TEXT_LEAD}\n{text}" in prompt
    assert "translate only the text, never the context" in prompt
    assert engine.translate_batch([text])[0].text


def test_argos_package_chosen_by_name(models: Path, tmp_path: Path):
    out = tmp_path / "a.json"
    r = CliRunner().invoke(
        cli,
        ["translate", str(SEED), "--model", "translate-zh_en-1_0", "--no-memory", "-o", str(out)],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(out.read_text(encoding="utf-8"))["provenance"]["model"]["engine"] == "argos"
    r = CliRunner().invoke(cli, ["translate", str(SEED), "--model", "nope", "--no-memory"])
    assert r.exit_code == 3 and "no zh→en Argos package called 'nope'" in r.output
