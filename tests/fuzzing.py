"""Fuzz cases shared by the tests (a few hundred) and `scripts/fuzz` (thousands).

Each `check_*` takes one generated input and passes when bilingual either refuses it with its
own error (a BilingualError: one line at the CLI) or accepts it into something every writer can
write. Anything else (a crash, a value a writer cannot write) fails.
"""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from bilingual.document import Article, Block, Flag, Kind, Status
from bilingual.errors import BilingualError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# Text with what breaks writers: lone surrogates, NUL and other controls, XML specials, CJK.
# Unicode non-characters (XML cannot hold U+FFFE/U+FFFF; other tools refuse the rest), C1 controls
# and bidi overrides: what an id or a text may carry in from a hand-edited project.
NONCHARACTERS = ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff", "\x85", "\x9b"]
_NASTY = st.sampled_from(
    ["\ud800", "\udfff", "\x00", "\x0b", "\x1f", "<", "&", "]]>", "\u2028", "\u202e", "𠀀", "中",
     *NONCHARACTERS]
)  # fmt: skip
texts = st.lists(st.text(max_size=6) | _NASTY, max_size=5).map("".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)


def base_project() -> dict[str, Any]:
    article = Article(
        blocks=[
            Block(Kind.TITLE, "哈萨克斯坦危机", en="Kazakhstan crisis", status=Status.MACHINE),
            Block(Kind.PARAGRAPH, "托卡耶夫（Tokayev）说。", en="Tokayev said.", status=Status.EDITED,
                  flags=[Flag("length-ratio", "short")], score=-0.4, comment="ok"),
            Block(Kind.QUOTE, "“引语”", en=None),
        ],
        source_url="https://example.com/a",
        published="2022-01-07",
        provenance={"tool": "bilingual", "model": {"package": "p", "version": "1"}},
    )  # fmt: skip
    return article.to_dict()


PROJECT_KEYS = ["schema_version", "source_url", "captured_at", "published", "script", "provenance",
                "blocks", "outlet", "author", "credits", "dropped"]  # fmt: skip
BLOCK_KEYS = ["id", "kind", "zh", "en", "status", "flags", "score", "comment", "mt"]


@st.composite
def project_texts(draw: st.DrawFn) -> str:
    """A project file with a few fields replaced, deleted, or its text cut and spliced."""
    d = base_project()
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(["top", "block", "block", "raw"]))
        if where == "top":
            key = draw(st.sampled_from(PROJECT_KEYS))
            if draw(st.booleans()):
                d.pop(key, None)
            else:
                d[key] = draw(json_values)
        elif where == "block" and isinstance(d.get("blocks"), list) and d["blocks"]:
            i = draw(st.integers(0, len(d["blocks"]) - 1))
            block = d["blocks"][i]
            if isinstance(block, dict):
                key = draw(st.sampled_from(BLOCK_KEYS))
                if draw(st.booleans()):
                    block.pop(key, None)
                else:
                    block[key] = draw(json_values)
            else:
                d["blocks"][i] = draw(json_values)
    if draw(st.integers(0, 4)) == 0 and isinstance(d.get("blocks"), list) and d["blocks"]:
        # An id with a non-character or a control in it (XLIFF export failed on U+FFFE).
        block = d["blocks"][draw(st.integers(0, len(d["blocks"]) - 1))]
        if isinstance(block, dict):
            at = draw(st.integers(0, 11))
            char = draw(st.sampled_from(NONCHARACTERS))
            block["id"] = "b3f54c4fdbd"[:at] + char + "b3f54c4fdbd"[at:]
    text = json.dumps(d, ensure_ascii=draw(st.booleans()))
    if draw(st.integers(0, 9)) == 0:  # cut and splice the text itself
        at = draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + draw(st.sampled_from(["", "[" * 5000, '"\\ud800"', "\x00", "}", "NaN"]))
            + text[at + draw(st.integers(0, 20)) :]
        )
    return text


def writes_everywhere(article: Article) -> None:
    """Every writer writes `article` and the project file reads back the same."""
    from bilingual.exchange.xliff import to_xliff
    from bilingual.writers import HandoutOptions, writer_for

    again = Article.from_json(article.to_json())
    assert again.to_dict() == article.to_dict()
    article.to_json().encode("utf-8")
    to_xliff(article)
    writer_for("html")(article, HandoutOptions())


def check_project(text: str, *, docx: bool = False) -> None:
    try:
        article = Article.from_json(text)
    except BilingualError:
        return
    writes_everywhere(article)
    if docx:
        from bilingual.writers import HandoutOptions, writer_for

        writer_for("docx")(article, HandoutOptions())


@st.composite
def xliff_bytes(draw: st.DrawFn) -> bytes:
    """The XLIFF export of a project, with targets, ids and structure edited or cut."""
    from bilingual.exchange.xliff import to_xliff

    text = to_xliff(Article.from_dict(copy.deepcopy(base_project()))).decode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.integers(0, 3))
        start = text.find(">", text.find("<target") + 1) + 1 if "<target" in text else 0
        end = text.find("</target>", start)
        if kind == 0 and start and end >= start:  # a reviewer's target with anything in it
            value = draw(texts).replace("\ud800", "&#xD800;").replace("\udfff", "")
            text = text[:start] + value + text[end:]
        elif kind == 1:  # another id, state or attribute value
            for attr in ('id="', 'state="', 'original="'):
                at = text.find(attr) + len(attr)
                end = text.find('"', at)
                if attr in text and end >= at and draw(st.booleans()):
                    value = draw(st.sampled_from(["", "x", "b1", "&#0;", "final", "\t"]))
                    text = text[:at] + value + text[end:]
        elif kind == 2:  # an element removed or doubled
            tag = draw(
                st.sampled_from(["<source", "<target", "<trans-unit", "<body", "<note", "<file"])
            )
            if tag in text:
                at = text.index(tag)
                text = text[:at] + text[at + draw(st.integers(1, 200)) :]
        else:  # cut anywhere
            text = text[: draw(st.integers(0, len(text)))]
    return text.encode("utf-8", "surrogatepass")


def check_xliff(data: bytes) -> None:
    from bilingual.exchange.xliff import merge_xliff, parse_xliff

    article = Article.from_dict(copy.deepcopy(base_project()))
    try:
        merge_xliff(article, parse_xliff(data))
    except BilingualError:
        return
    writes_everywhere(article)


def sample_inputs() -> list[tuple[str, bytes]]:
    return [
        (p.name, p.read_bytes())
        for p in sorted(SAMPLES.iterdir())
        if p.suffix in (".txt", ".md", ".html", ".docx")
    ]


@st.composite
def reader_inputs(draw: st.DrawFn) -> tuple[str, bytes]:
    """A sample article with bytes flipped, cut, spliced or repeated."""
    name, data = draw(st.sampled_from(sample_inputs()))
    buf = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.integers(0, 3))
        at = draw(st.integers(0, max(0, len(buf) - 1)))
        if op == 0 and buf:
            buf[at] = draw(st.integers(0, 255))
        elif op == 1:
            del buf[at : at + draw(st.integers(1, 500))]
        elif op == 2:
            buf[at:at] = draw(
                st.sampled_from(
                    [b"<div>" * 50, b"\x00", b"\xff\xfe", b"<script>", b"]]>", b"<p>", b"\xe4\xb8"]
                )
            )
        else:
            buf[at:at] = buf[at : at + draw(st.integers(1, 200))] * draw(st.integers(1, 20))
    return name, bytes(buf)


def check_reader(case: tuple[str, bytes], tmp: Path) -> None:
    from bilingual.readers import read_article

    name, data = case
    path = tmp / name
    path.write_bytes(data)
    try:
        article = read_article(path)
    except BilingualError:
        return
    writes_everywhere(article)


# DOCX containers: what other archivers and attackers put in the zip ---------------------------
# Compression methods: stored and deflate (what Word writes), bzip2 and LZMA (zipfile reads
# them), and what it cannot: Shrink, Implode, Deflate64, Zstandard, XZ, PPMd, AES, and junk.
ZIP_METHODS = [0, 8, 12, 14, 1, 6, 9, 93, 95, 97, 98, 99, 255]
_PARTS: list[tuple[str, bytes]] = []


def _docx_parts() -> list[tuple[str, bytes]]:
    if not _PARTS:
        from zips import docx_parts

        _PARTS.extend(docx_parts([f"第{i}段：哈萨克斯坦局势趋于稳定。" for i in range(4)]))
    return _PARTS


@st.composite
def docx_containers(draw: st.DrawFn) -> bytes:
    """A genuine DOCX with its zip container changed: a member's compression method, its
    encryption flag or sizes, entity declarations in its XML, members added or dropped."""
    import zlib

    from zips import stored, zip_bytes

    members = [list(stored(name, data)) for name, data in _docx_parts()]
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(members) - 1))
        op = draw(st.integers(0, 6))
        name, _method, _crc, size, body = members[i][:5]
        if op == 0:  # another method said for deflated bytes
            members[i][1] = draw(st.sampled_from(ZIP_METHODS))
        elif op == 1:  # stored or compressed with what the method says (when zipfile can)
            raw = dict(_docx_parts()).get(name, b"")
            method = draw(st.sampled_from([0, 8, 12, 14]))
            body = _compressed(raw, method)
            members[i] = [name, method, zlib.crc32(raw), len(raw), body]
        elif op == 2:  # sizes that lie
            members[i][3] = draw(st.sampled_from([0, 1, size // 2, size * 2, 2**31, 2**32 - 1]))
        elif op == 3:  # cut short
            members[i][4] = body[: draw(st.integers(0, len(body)))]
        elif op == 4 and name.endswith(".xml"):  # entities: internal, external, nested
            raw = dict(_docx_parts()).get(name, b"")
            decl = draw(
                st.sampled_from(
                    [
                        '<!DOCTYPE x [<!ENTITY e "实体">]>',
                        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>',
                        '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY e "&a;&a;&a;&a;&a;&a;">]>',
                        "<!DOCTYPE x [<!ENTITY e '&e;'>]>",
                    ]
                )
            )
            text = raw.replace(b"?>", b"?>" + decl.encode(), 1).replace(b"<w:t>", b"<w:t>&e;", 2)
            members[i] = list(stored(name, text))
        elif op == 5:  # a member more, or one less
            if draw(st.booleans()):
                members.append(list(stored(f"word/media/x{len(members)}.bin", b"\0" * 64)))
            elif len(members) > 1:
                members.pop(i)
        elif len(members[i]) == 5:  # the encryption flag
            members[i].append(0x1)
    return zip_bytes([tuple(m) for m in members])


def _compressed(raw: bytes, method: int) -> bytes:
    """`raw` as zipfile compresses it with `method` (the member's bytes, without headers)."""
    import io
    import struct
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        zf.writestr("m", raw)
        info = zf.getinfo("m")
    data = buf.getvalue()
    name_len, extra_len = struct.unpack("<HH", data[26:30])
    start = 30 + name_len + extra_len
    return data[start : start + info.compress_size]


def check_docx_container(data: bytes, tmp: Path) -> None:
    """A DOCX container is read as an article and as a returned review handout: each refuses
    it with its own one-line error, or reads it."""
    from bilingual.exchange.review_docx import read_review_docx
    from bilingual.readers import read_article

    path = tmp / "fuzz.docx"
    path.write_bytes(data)
    try:
        article = read_article(path)
    except BilingualError:
        article = None
    if article is not None:
        writes_everywhere(article)
    with contextlib.suppress(BilingualError):
        read_review_docx(data, "fuzz.docx", Article.from_dict(copy.deepcopy(base_project())))
