from __future__ import annotations

import json
import shutil
import socket

import pytest
from click.testing import CliRunner
from conftest import SEED, sample

from bilingual.cli import cli
from bilingual.document import Article, Status
from bilingual.engines.base import Engine, Result
from bilingual.errors import ModelNotInstalled
from bilingual.memory import Memory
from bilingual.readers import read_article
from bilingual.translation.run import Route, translate_articles

SEED_SPANS = [
    "Kassym-Jomart Tokayev",
    "CSTO",
    "Collective Security Treaty Organisation",
    "Ned Price",
    "Antony Blinken",
    "Mukhtar Tleuberdi",
    "BBC",
    "Almaty",
]


def run(*args, input=None):
    return CliRunner().invoke(cli, [str(a) for a in args], input=input)


class Recording(Engine):
    """Uppercases ASCII and records what it was asked, so tests see the exact engine inputs."""

    name = "recording"

    def __init__(self, fail_after: int | None = None) -> None:
        self.seen: list[str] = []
        self.batches = 0
        self.fail_after = fail_after
        self.batch_size = 4

    def translate_batch(self, segments: list[str]) -> list[Result]:
        if self.fail_after is not None and self.batches >= self.fail_after:
            raise KeyboardInterrupt
        self.batches += 1
        self.seen.extend(segments)
        return [Result(f"<{s}>", -0.5) for s in segments]

    def signature(self) -> dict:
        return {"engine": self.name, "from_code": "zh", "to_code": "en"}


def _route(engine: Engine | None, simplify=False, signature=None):
    sig = signature or (engine.signature() if engine else {})
    return lambda article: Route(engine, sig, simplify, "test")


def test_translate_cli_real_engine_whole_seed(installed, tmp_path):
    out = tmp_path / "project.json"
    r = run("translate", SEED, "-o", out, "--memory", tmp_path / "m.sqlite3")
    assert r.exit_code == 0, r.output
    article = Article.load(out)
    assert all(b.en and b.status is Status.MACHINE for b in article.blocks)
    english = "\n".join(b.en or "" for b in article.blocks)
    assert "hello world" in english
    # The tiny model copies nothing, yet every Latin span of the seed is in its paragraph.
    for block in article.blocks:
        for span in SEED_SPANS:
            assert block.zh.count(span) <= (block.en or "").count(span) or span == "CSTO"
    for span in SEED_SPANS:
        assert span in english
    assert english.count("Kassym-Jomart Tokayev") >= 3
    prov = article.provenance
    assert prov["model"]["package"] == "translate-zh_en" and prov["model"]["version"] == "1.0"
    assert prov["settings"]["beam"] == 4 and "zh→en" in prov["route"]
    assert "22 paragraphs" in r.output


def test_translate_rerun_from_memory_without_model(installed, tmp_path):
    memory = tmp_path / "m.sqlite3"
    first = run("translate", SEED, "-o", tmp_path / "a.json", "--memory", memory)
    assert first.exit_code == 0, first.output
    shutil.rmtree(installed)
    installed.mkdir()
    second = run("translate", SEED, "-o", tmp_path / "b.json", "--memory", memory)
    assert second.exit_code == 0, second.output
    assert "0 translated" in second.output
    a = json.loads((tmp_path / "a.json").read_text())
    b = json.loads((tmp_path / "b.json").read_text())
    assert [x["en"] for x in a["blocks"]] == [x["en"] for x in b["blocks"]]
    assert "translation memory only" in b["provenance"]["route"]


def test_translate_without_model_says_what_to_run(installed, tmp_path):
    shutil.rmtree(installed)
    installed.mkdir()
    r = run("translate", SEED, "-o", tmp_path / "p.json", "--no-memory")
    assert r.exit_code != 0
    assert "bilingual models install zh en" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "p.json").exists()


def test_translate_offline_with_sockets_blocked(installed, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    r = run("translate", SEED, "-o", tmp_path / "p.json", "--memory", tmp_path / "m.sqlite3")
    assert r.exit_code == 0, r.output


def test_translate_memory_written_per_batch_and_resumed(tmp_path):
    memory = Memory(tmp_path / "m.sqlite3")
    article = read_article(SEED)
    broken = Recording(fail_after=2)
    with pytest.raises(KeyboardInterrupt):
        translate_articles([article], _route(broken), memory=memory)
    done = len(broken.seen)
    assert done == 8
    engine = Recording()
    report = translate_articles([read_article(SEED)], _route(engine), memory=memory)
    assert report.from_memory >= done
    assert not set(engine.seen) & set(broken.seen)  # never translated twice
    assert report.translated == len(engine.seen)


def test_translate_all_segments_in_one_stream_across_documents(tmp_path):
    engine = Recording()
    articles = [read_article(SEED), read_article(sample("article.md"))]
    report = translate_articles(articles, _route(engine))
    assert report.translated == len(engine.seen) < report.segments  # the seed repeats a sentence
    # Duplicate sentences (the seed repeats some) are translated once.
    assert len(engine.seen) == len(set(engine.seen))
    assert all(b.en for a in articles for b in a.blocks)


def test_translate_traditional_is_simplified_for_a_zh_model():
    engine = Recording()
    article = read_article(sample("traditional.txt"))
    translate_articles([article], _route(engine, simplify=True))
    assert any("区" in s for s in engine.seen)  # 區 became 区 on the way to the model
    assert not any("區" in s for s in engine.seen)
    assert "區" in article.blocks[0].zh  # the handout keeps the original


def test_translate_human_work_wins(tmp_path):
    memory = Memory(tmp_path / "m.sqlite3")
    article = read_article(SEED)
    edited = article.body[3]
    memory.store_human(edited.zh, "A human translation.", "edited")
    approved = article.body[5]
    approved.en, approved.status = "Kept as is.", Status.APPROVED
    engine = Recording()
    report = translate_articles([article], _route(engine), memory=memory)
    assert edited.en == "A human translation." and edited.status is Status.EDITED
    assert approved.en == "Kept as is." and approved.status is Status.APPROVED
    assert report.human == 1 and report.kept == 1
    assert not any(s in approved.zh for s in engine.seen)


def test_translate_no_engine_and_cold_memory_raises(tmp_path):
    with pytest.raises(ModelNotInstalled, match="bilingual models install zh en"):
        translate_articles([read_article(SEED)], _route(None, signature={"engine": "x"}))


def test_translate_refuses_to_overwrite_and_keeps_reviews(installed, tmp_path):
    out = tmp_path / "p.json"
    memory = tmp_path / "m.sqlite3"
    assert run("translate", SEED, "-o", out, "--memory", memory).exit_code == 0
    before = out.read_bytes()
    # The same command again: the same project, left as it is (no --force needed, no ~).
    again = run("translate", SEED, "-o", out, "--memory", memory)
    assert again.exit_code == 0 and "1 output already there as they are (left)" in again.output
    assert out.read_bytes() == before and not (tmp_path / "p.json~").exists()
    # Other settings, another project: that needs --force.
    other = run("translate", SEED, "-o", out, "--memory", memory, "--beam", "2")
    assert other.exit_code == 2 and "--force" in other.output
    project = Article.load(out)
    project.body[0].en, project.body[0].status = "Reviewed lead.", Status.APPROVED
    project.body[1].draft = "A reviewer's draft, not confirmed yet."
    out.write_text(project.to_json())
    forced = run("translate", SEED, "-o", out, "--force", "--no-memory", "--beam", "2")
    assert forced.exit_code == 0, forced.output
    assert Article.load(out).body[0].en == "Reviewed lead."
    # A draft stays with its paragraph, still a draft (the machine English is the new one).
    kept = Article.load(out).body[1]
    assert kept.draft == "A reviewer's draft, not confirmed yet." and kept.status is Status.MACHINE
    assert (tmp_path / "p.json~").exists()


def test_translate_several_inputs_into_a_directory(installed, tmp_path):
    out = tmp_path / "out"
    r = run("translate", SEED, sample("article.md"), "-o", out, "--memory", tmp_path / "m.db")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == [
        "article.json",
        "rfi-kazakhstan-2022-01-07.json",
    ]


def test_translate_show_glossary_needs_no_model_and_round_trips(tmp_path):
    r = run("translate", SEED, "--show-glossary")
    assert r.exit_code == 0, r.output
    assert "托卡叶夫\tKassym-Jomart Tokayev" in r.output
    assert "阿拉木图\tAlmaty" in r.output
    edited = tmp_path / "glossary.tsv"
    edited.write_text(r.output + "习近平\tXi Jinping\n", encoding="utf-8")
    again = run("translate", SEED, "--show-glossary", "--glossary", edited)
    assert again.exit_code == 0, again.output
    assert "习近平\tXi Jinping" in again.output


def test_translate_glossary_terms_reach_the_english(installed, tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("zh,en,note\n习近平,Xi Jinping,Chinese president\n", encoding="utf-8")
    out = tmp_path / "p.json"
    r = run("translate", SEED, "-o", out, "--glossary", glossary, "--no-memory")
    assert r.exit_code == 0, r.output
    article = Article.load(out)
    for block in article.blocks:
        if "习近平" in block.zh:
            assert "Xi Jinping" in (block.en or "")


def test_translate_bad_glossary_is_one_line(tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("习近平,Xi Jinping\n习近平,Xi\n", encoding="utf-8")
    r = run("translate", SEED, "--show-glossary", "--glossary", glossary)
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and "line 2" in r.output


def test_translate_handout_output(installed, tmp_path):
    out = tmp_path / "handout.html"
    r = run("translate", SEED, "-o", out, "--no-memory")
    assert r.exit_code == 0, r.output
    page = out.read_text(encoding="utf-8")
    assert "Kassym-Jomart Tokayev" in page and 'lang="zh-Hans"' in page


def test_translate_a_directory_gives_one_handout_per_article(installed, tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "a.txt").write_bytes(SEED.read_bytes())
    (articles / "b.md").write_bytes(sample("article.md").read_bytes())
    (articles / "notes.pdf").write_bytes(b"%PDF-1.4")  # not an article file: skipped
    out = tmp_path / "out"
    r = run("translate", articles, "-o", out, "--format", "html", "--no-memory")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "b.html"]
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run("translate", empty, "-o", out)
    assert r.exit_code == 2 and "no article files" in r.output


@pytest.mark.parametrize(
    "make_args, message",
    [
        (
            lambda d: [d / "in.txt", "-o", d / "in.txt", "--format", "html", "--force"],
            "is also an input",
        ),
        (lambda d: [d, "-o", d], "is the input directory"),
        (lambda d: [d, "-o", d.parent / "out.docx"], "need a directory for -o"),
        (lambda d: [d / "in.txt", "-o", d / "in.txt" / "x.json"], "not a directory"),
    ],
)
def test_translate_never_writes_over_its_inputs(installed, tmp_path, make_args, message):
    articles = tmp_path / "in"
    articles.mkdir()
    (articles / "in.txt").write_bytes(SEED.read_bytes())
    r = run("translate", *make_args(articles), "--no-memory")
    assert r.exit_code == 2, r.output
    assert message in r.output and r.output.count("\n") == 1
    assert (articles / "in.txt").read_bytes() == SEED.read_bytes()
    assert [p.name for p in articles.iterdir()] == ["in.txt"]


def test_translate_simplified_glossary_applies_to_traditional_text(tmp_path):
    glossary = tmp_path / "g.csv"
    glossary.write_text("西九文化区,West Kowloon Cultural District\n", encoding="utf-8")
    r = run("translate", sample("traditional.txt"), "--show-glossary", "--glossary", glossary)
    assert r.exit_code == 0, r.output
    assert "西九文化區\tWest Kowloon Cultural District" in r.output
    engine = Recording()
    from bilingual.names.glossary import load_glossary

    article = read_article(sample("traditional.txt"))
    translate_articles([article], _route(engine, simplify=True), glossary=load_glossary(glossary))
    assert "West Kowloon Cultural District" in (article.blocks[0].en or "")


def test_memory_stats_on_a_mistyped_path_creates_nothing(tmp_path):
    r = run("memory", "stats", "--memory", tmp_path / "typo.sqlite3")
    assert r.exit_code == 2 and "no translation memory there" in r.output
    assert not (tmp_path / "typo.sqlite3").exists()


def test_translate_traditional_routes(installed, tmp_path):
    """zh-Hant goes through zh→en after OpenCC, or through a zt→en package once installed."""
    from tinyargos import build_unpacked

    memory = tmp_path / "m.sqlite3"
    out = tmp_path / "a.json"
    assert run("translate", sample("big5.txt"), "-o", out, "--memory", memory).exit_code == 0
    assert "OpenCC" in Article.load(out).provenance["route"]
    build_unpacked(installed, deterministic=True, from_code="zt", version="1.1")
    out2 = tmp_path / "b.json"
    r = run("translate", sample("big5.txt"), "-o", out2, "--memory", memory)
    assert r.exit_code == 0, r.output
    project = Article.load(out2)
    assert (
        "zt→en" in project.provenance["route"] and project.provenance["model"]["from_code"] == "zt"
    )
    assert "0 from memory" in r.output  # another model: nothing reused from the zh→en run
    assert "國際機場" in project.blocks[0].zh  # the handout keeps the original script


def test_translate_identical_articles_translate_each_segment_once():
    once = Recording()
    translate_articles([read_article(SEED)], _route(once))
    twice = Recording()
    # _route builds a new Route object per article: routes are told apart by signature.
    report = translate_articles([read_article(SEED), read_article(SEED)], _route(twice))
    assert len(once.seen) == 38
    assert len(twice.seen) == 38  # not 76
    assert report.translated == 38
    assert twice.batches == once.batches


def test_translate_one_engine_per_package_per_process(installed):
    from bilingual.engines.argos import ArgosSettings
    from bilingual.translation.run import plan_routes

    article = read_article(SEED)
    first = plan_routes(ArgosSettings(), models_dir=installed)(article)
    second = plan_routes(ArgosSettings(), models_dir=installed)(article)
    assert first.engine is second.engine
    other = plan_routes(ArgosSettings(beam=2), models_dir=installed)(article)
    assert other.engine is not first.engine and other.key != first.key


def test_translate_summary_counts_page_furniture_and_keep_all_keeps_it(installed, tmp_path):
    page = sample("news-page.html")
    r = run("translate", page, "-o", tmp_path / "a.json", "--memory", tmp_path / "m.sqlite3")
    assert r.exit_code == 0, r.output
    dropped = len(Article.load(tmp_path / "a.json").dropped)
    assert dropped > 0
    assert f"; {dropped} blocks of page furniture left out" in r.output
    r = run(
        "translate", page, "--keep-all", "-o", tmp_path / "b.json",
        "--memory", tmp_path / "m.sqlite3",
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    kept = Article.load(tmp_path / "b.json")
    assert kept.dropped == [] and "page furniture" not in r.output
    assert len(kept.body) == len(Article.load(tmp_path / "a.json").body) + dropped


# -- folders and batches at the shell ------------------------------------------------------------

SAMPLE_ARTICLES = [
    "article.docx", "article.md", "big5.txt", "gb18030.txt", "news-page.html",
    "plain-oneline.txt", "rfi-kazakhstan-2022-01-07.txt", "traditional.txt", "utf16.txt",
]  # fmt: skip


def test_translate_samples_folder_translates_every_article_and_names_what_it_skipped(
    installed, tmp_path
):
    """The repository's own samples folder: nine articles, a README and a script."""
    samples = sample("")
    out = tmp_path / "out"
    r = run("translate", samples, "-o", f"{out}/", "--memory", tmp_path / "m.sqlite3")
    assert r.exit_code == 1, r.output
    lines = r.output.splitlines()
    assert lines[0] == f"Not read: {samples / 'make_docx.py'} (not an article file: .py)"
    assert lines[1] == (
        f"Skipped {samples / 'README.md'}: hardly any Chinese: 9% of its letters are Chinese "
        "characters (bilingual translates Chinese articles)"
    )
    assert lines[-1] == f"Error: 1 input of 10 skipped (not an article): {samples / 'README.md'}"
    names = {
        "article.docx": "article-docx.json",
        "article.md": "article-md.json",
    }
    expected = sorted(names.get(n, n.rsplit(".", 1)[0] + ".json") for n in SAMPLE_ARTICLES)
    assert sorted(p.name for p in out.iterdir()) == expected
    for name in SAMPLE_ARTICLES:
        target = out / names.get(name, name.rsplit(".", 1)[0] + ".json")
        assert f"wrote {target} (from {samples / name})" in lines
        assert Article.load(target).body, name


def test_translate_batch_of_files_skips_what_is_not_an_article(installed, tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("Just some English notes, nothing to translate here.\n")
    empty = tmp_path / "empty.md"
    empty.write_text("\n")
    out = tmp_path / "out"
    r = run("translate", bad, SEED, empty, "-o", out, "--no-memory", "-q")
    assert r.exit_code == 1, r.output
    assert r.output.splitlines() == [
        f"Skipped {bad}: no Chinese text found in the input",
        f"Skipped {empty}: empty input",
        f"Error: 2 inputs of 3 skipped (not articles): {bad}, {empty}",
    ]
    assert [p.name for p in out.iterdir()] == ["rfi-kazakhstan-2022-01-07.json"]
    # Nothing an article: nothing written, exit 2.
    r = run("translate", bad, empty, "-o", tmp_path / "out2", "--no-memory")
    assert r.exit_code == 2, r.output
    assert r.output.splitlines()[-1] == (
        f"Error: nothing to translate: no input was an article ({bad}, {empty})"
    )
    assert not (tmp_path / "out2").exists()
    # One input alone is not a batch: its error, as ever.
    r = run("translate", empty, "-o", tmp_path / "one.json")
    assert (r.exit_code, r.output) == (2, f"Error: {empty}: empty input\n")


def test_translate_a_failed_write_costs_no_other_output(installed, tmp_path, monkeypatch):
    import bilingual.writers.outputs
    from bilingual.errors import FileSystemError

    real = bilingual.writers.outputs.write_made

    def failing(item):
        if item.target.path.name.startswith("article"):
            raise FileSystemError(f"cannot write {item.target.path}: no space left on the device")
        return real(item)

    monkeypatch.setattr(bilingual.writers.outputs, "write_made", failing)
    out = tmp_path / "out"
    r = run("translate", sample("article.md"), SEED, "-o", out, "--memory", tmp_path / "m.db")
    assert r.exit_code == 5, r.output
    lines = r.output.splitlines()
    assert lines[0] == f"Error: cannot write {out / 'article.json'}: no space left on the device"
    assert lines[-1] == (
        "Error: 1 output of 2 not written (see above); their translations are kept in the "
        "translation memory: run the same command again once that is fixed"
    )
    assert [p.name for p in out.iterdir()] == ["rfi-kazakhstan-2022-01-07.json"]


@pytest.mark.parametrize(
    "names, outputs",
    [
        (["article.docx", "article.md"], ["article-docx.json", "article-md.json"]),
        (["a/x.md", "b/x.md"], ["x.json", "x-2.json"]),
        (["a/x.md", "a/x.txt", "b/x.md"], ["x-md.json", "x-txt.json", "x-md-2.json"]),
        (["-", "stdin.txt"], ["stdin.json", "stdin-txt.json"]),
        (["X.md", "x.txt"], ["X-md.json", "x-txt.json"]),
    ],
)
def test_output_names_tell_same_named_inputs_apart(names, outputs):
    from bilingual.writers.outputs import output_names

    assert [f"{n}.json" for n in output_names(names)] == outputs


def test_translate_same_named_inputs_say_which_output_is_which(installed, tmp_path):
    out = tmp_path / "out"
    docx, md = sample("article.docx"), sample("article.md")
    r = run("translate", docx, md, "-o", out, "--memory", tmp_path / "m.db", "--format", "html")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines()[:2] == [
        f"wrote {out / 'article-docx.html'} (from {docx})",
        f"wrote {out / 'article-md.html'} (from {md})",
    ]


def test_translate_output_ending_in_a_slash_is_a_directory(installed, tmp_path):
    out = tmp_path / "handouts"
    r = run("translate", SEED, "-o", f"{out}/", "--format", "html", "--no-memory")
    assert r.exit_code == 0, r.output
    assert [p.name for p in out.iterdir()] == ["rfi-kazakhstan-2022-01-07.html"]
    assert r.output.startswith(f"wrote {out / 'rfi-kazakhstan-2022-01-07.html'} (from {SEED})\n")


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["translate", SEED, "-o", "-", "--format", "docx"], 2,
         "Error: DOCX is binary and standard output is a terminal: give -o FILE, or redirect "
         "it (> handout.docx)"),
        (["translate", SEED, "-o", "-", "--format", "pdf"], 2,
         "Error: PDF is binary and standard output is a terminal: give -o FILE, or redirect "
         "it (> handout.pdf)"),
        (["export", "PROJECT", "-o", "-", "--format", "docx"], 2,
         "Error: DOCX is binary and standard output is a terminal: give -o FILE, or redirect "
         "it (> handout.docx)"),
    ],
)  # fmt: skip
def test_binary_output_is_never_printed_to_a_terminal(tmp_path, args, code, message):
    """Run in a real pseudo-terminal: nothing but the one-line error reaches it."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    project = tmp_path / "p.json"
    project.write_text(read_article(SEED).to_json(), encoding="utf-8")
    args = [str(project) if a == "PROJECT" else str(a) for a in args]
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "bilingual", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
        )
        os.set_blocking(leader, False)
        try:
            shown = os.read(leader, 65536)
        except BlockingIOError:
            shown = b""
    finally:
        os.close(leader)
        os.close(follower)
    assert proc.returncode == code
    assert proc.stderr.decode() == message + "\n"
    assert shown == b""


def test_translate_binary_output_to_a_pipe_is_fine(installed, tmp_path):
    r = run("translate", SEED, "-o", "-", "--format", "docx", "--no-memory", "-q")
    assert r.exit_code == 0
    assert r.stdout_bytes.startswith(b"PK\x03\x04")


@pytest.mark.parametrize(
    "count, singular, expected",
    [(0, "block", "0 blocks"), (1, "block", "1 block"), (2, "block", "2 blocks"),
     (1, "entry", "1 entry"), (3, "machine segment", "3 machine segments")],
)  # fmt: skip
def test_plural_counts(count, singular, expected):
    from bilingual.textutil import plural

    assert plural(count, singular, "entries" if singular == "entry" else None) == expected


def test_translate_summary_says_one_in_the_singular(installed, tmp_path):
    page = tmp_path / "one.txt"
    page.write_text(
        "标题新闻\n\n中国北京今天宣布了一项新的经济政策，以促进国内消费和就业增长。\n\n"
        "分享到：微信 微博 QQ空间\n",
        encoding="utf-8",
    )
    r = run("translate", page, "-o", tmp_path / "a.json", "--no-memory")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("1 paragraph, 1 flagged (")
    assert "; 1 block of page furniture left out" in r.output


def test_translate_folder_skips_json_that_is_not_a_project(installed, tmp_path):
    """A scraper's or a benchmark's JSON beside the articles is named as skipped, not
    translated as if its Chinese strings were an article."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_bytes(SEED.read_bytes())
    record = {
        "title": "哈萨克斯坦示威危机持续",
        "body": ["托卡叶夫（Kassym-Jomart Tokayev）今天表示。"],
    }
    (folder / "a.expect.json").write_text(json.dumps(record, ensure_ascii=False), "utf-8")
    out = tmp_path / "out"
    r = run("translate", folder, "-o", f"{out}/", "--memory", tmp_path / "m.sqlite3")
    assert r.exit_code == 1, r.output
    assert (
        f"Skipped {folder / 'a.expect.json'}: JSON that is not a bilingual project file (give "
        "the article itself, or --from text to read it as text)"
    ) in r.output.splitlines()
    assert sorted(p.name for p in out.iterdir()) == ["a.json"]
