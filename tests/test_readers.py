from __future__ import annotations

import io
from collections import Counter

import pytest
from conftest import ROOT, SEED, sample
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bilingual.document import Kind
from bilingual.errors import BilingualError, DecodingError, InputError, NoContent, UnsupportedInput
from bilingual.readers import Format, parse_bytes, read_article
from bilingual.readers.draft import parse_dateline
from bilingual.textutil import clean_text

SEED_TITLE = "哈萨克斯坦示威危机持续 总统授权无预警开枪 习近平致口信"


def kinds(article) -> Counter:
    return Counter(b.kind.value for b in article.body)


def test_readers_seed_exact():
    a = read_article(SEED)
    assert a.blocks[0].kind is Kind.TITLE and a.blocks[0].zh == SEED_TITLE
    assert a.source_url is not None
    assert a.source_url.startswith("https://www.rfi.fr/cn/")
    assert a.source_url.endswith("%E8%87%B4%E5%8F%A3%E4%BF%A1")
    assert a.captured_at == "2022-01-07T12:45:01Z"
    assert a.published == "2022-01-07T13:39"
    assert a.script == "zh-Hans"
    body = a.body
    assert len(body) == 22
    assert body[0].kind is Kind.LEAD
    assert all(b.kind is Kind.PARAGRAPH for b in body[1:])
    assert all(b.zh.strip() and "Array" not in b.zh for b in body)
    assert body[0].zh.startswith("中国国家主席习近平周五") and body[0].zh.endswith("“摧毁”。")
    assert body[-1].zh.startswith("据BBC消息说") and body[-1].zh.endswith("却没有提供证据。")
    assert all(b.status.value == "new" and b.en is None and b.flags == [] for b in a.blocks)
    assert a.provenance["input"]["format"] == "scraped"


def test_readers_seed_ids_stable_across_runs():
    assert [b.id for b in read_article(SEED).blocks] == [b.id for b in read_article(SEED).blocks]


@pytest.mark.parametrize(
    "name, fmt, encoding, title, published, counts, script",
    [
        (
            "news-page.html", "html", "utf-8",
            "联合国报告：极端天气致全球粮食损失加剧 适应资金缺口扩大",
            "2024-05-20T10:30:00+08:00",
            {"lead": 1, "heading": 2, "paragraph": 6, "quote": 1, "caption": 1}, "zh-Hans",
        ),
        (
            "article.md", "markdown", "utf-8",
            "世卫组织报告：全球青少年近视率十年上升三成 户外活动不足成主因",
            "2024-03-15T09:30", {"heading": 2, "paragraph": 6, "quote": 1}, "zh-Hans",
        ),
        (
            "plain-oneline.txt", "text", "utf-8",
            "第十届国际茶叶博览会在杭州开幕 40个国家和地区展商参展", None, {"paragraph": 5},
            "zh-Hans",
        ),
        (
            "gb18030.txt", "text", "gb18030",
            "日本游客赴华人数明显回升 免签政策带动入境旅游消费", "2024-04-08T14:20",
            {"paragraph": 5}, "zh-Hans",
        ),
        (
            "big5.txt", "text", "cp950",
            "香港國際機場客運量持續回升 全年預計突破五千萬人次", None, {"paragraph": 5}, "zh-Hant",
        ),
        (
            "traditional.txt", "text", "utf-8",
            "西九文化區舉辦敦煌藝術特展 首周吸引逾五萬人次參觀", "2024-07-02", {"paragraph": 6},
            "zh-Hant",
        ),
        (
            "article.docx", "docx", None,
            "亚洲开发银行上调亚太地区经济增长预期 警示外部需求风险", "2024-04-11T16:05",
            {"lead": 1, "heading": 1, "paragraph": 4}, "zh-Hans",
        ),
        (
            "utf16.txt", "text", "utf-16", "欧洲新一代气象卫星传回首批图像", None,
            {"paragraph": 3}, "zh-Hans",
        ),
    ],
)  # fmt: skip
def test_readers_samples(name, fmt, encoding, title, published, counts, script):
    a = read_article(sample(name))
    assert a.provenance["input"]["format"] == fmt
    assert a.provenance["input"]["encoding"] == encoding
    assert a.title == title
    assert a.published == published
    assert dict(kinds(a)) == counts
    assert a.script == script
    assert all(b.zh == b.zh.strip() and b.zh for b in a.blocks)


def test_readers_html_order_and_metadata():
    a = read_article(sample("news-page.html"))
    assert (
        a.source_url
        == "https://news.example.com/world/2024/05/20/un-extreme-weather-food-losses.html"
    )
    order = [b.kind.value for b in a.body]
    assert order == [
        "lead", "paragraph", "paragraph", "heading", "paragraph", "quote", "paragraph", "caption",
        "heading", "paragraph", "paragraph",
    ]  # fmt: skip
    text = "".join(b.zh for b in a.blocks)
    for noise in ("林晓晴", "微信", "Cookie", "版权", "相关", "function"):
        assert noise not in text
    assert (
        a.body[7].zh == "2023年8月，一名农民在干旱的田地里查看枯萎的玉米。（资料图片 / 示例新闻网）"
    )


def test_readers_markdown_joins_hard_wraps_and_strips_markup():
    a = read_article(sample("article.md"))
    assert a.source_url == "https://example.org/health/2024/03/15/myopia-report"
    assert a.body[0].zh == (
        "世界卫生组织（WHO）周五发布的一份视力健康报告显示，全球10至19岁青少年的近视患病率在过去"
        "十年间上升了约35%，部分东亚城市中学生的近视比例已超过80%。报告认为，长时间近距离用眼和户外"
        "活动不足是造成这一趋势的主要原因。"
    )
    quote = next(b for b in a.blocks if b.kind is Kind.QUOTE)
    assert quote.zh.startswith("参与编写报告的眼科专家玛丽亚·费雷拉（Maria Ferreira）说：“光照")
    assert "**" not in quote.zh and "](" not in "".join(b.zh for b in a.blocks)
    paragraphs = [b for b in a.body if b.kind is Kind.PARAGRAPH]
    assert paragraphs[3].zh.endswith("目前，报告全文已在世卫组织网站公开。")


def test_readers_plain_text_keeps_inner_ideographic_space():
    a = read_article(sample("plain-oneline.txt"))
    assert a.body[0].zh.startswith("本报杭州5月18日电\u3000第十届")
    assert not any(b.zh.startswith("\u3000") for b in a.blocks)


def test_readers_gb18030_beyond_gbk():
    a = read_article(sample("gb18030.txt"))
    text = "".join(b.zh for b in a.blocks)
    assert "𠮷田健一" in text and "€" in text


def test_readers_stdin_and_format_override():
    data = SEED.read_bytes()
    a = read_article("-", stdin=io.BytesIO(data))
    assert len(a.body) == 22 and a.provenance["input"]["name"] == "<stdin>"
    as_text = read_article(SEED, fmt="text")
    assert as_text.provenance["input"]["format"] == "text"


def test_readers_content_beats_extension(tmp_path):
    html_as_txt = tmp_path / "page.txt"
    html_as_txt.write_bytes(sample("news-page.html").read_bytes())
    assert read_article(html_as_txt).provenance["input"]["format"] == "html"
    docx_renamed = tmp_path / "article.bin"
    docx_renamed.write_bytes(sample("article.docx").read_bytes())
    assert read_article(docx_renamed).provenance["input"]["format"] == "docx"


def test_readers_encoding_override_and_errors():
    data = sample("gb18030.txt").read_bytes()
    a = parse_bytes(data, encoding="gb18030")
    assert a.title == "日本游客赴华人数明显回升 免签政策带动入境旅游消费"
    with pytest.raises(DecodingError, match="--encoding"):
        parse_bytes(data, encoding="utf-8")
    with pytest.raises(DecodingError, match="unknown encoding"):
        parse_bytes(data, encoding="klingon")


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-le"]
)
def test_readers_detects_encodings(encoding):
    text = (
        "香港機場客運量回升\n\n機管局表示，目前共有超過100家航空公司在香港營運。\n\n"
        "國際航空運輸協會早前發表報告指出，亞太區航空市場正在復甦。\n"
        if encoding == "big5"
        else "日本游客人数明显回升\n\n国家移民管理部门公布的数据显示，今年第一季度入境人数大幅增长。\n\n"
        "文旅部门表示，今年将继续推动景区和酒店提升服务。\n"
    )
    a = parse_bytes(text.encode(encoding))
    assert len(a.body) == 2
    assert a.title in text


@pytest.mark.parametrize(
    "data, error, message",
    [
        (b"%PDF-1.7\n...", UnsupportedInput, "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", UnsupportedInput, "images"),
        (b"\x00\x01\x02\x03\xff\xfe\x00\x00garbage\x00", InputError, "binary"),
        (b"<html><body><nav>menu</nav><script>x()</script></body></html>", NoContent, "no article"),
        (b"Just some English text.\n\nNothing Chinese.", NoContent, "no Chinese"),
        (b"PK\x03\x04notreallyazip", UnsupportedInput, "ZIP"),
    ],
)
def test_readers_bad_input(data, error, message):
    with pytest.raises(error, match=message):
        parse_bytes(data)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("07/01/2022 - 13:39", "2022-01-07T13:39"),
        ("2024年7月2日", "2024-07-02"),
        ("2024-04-08 14:20", "2024-04-08T14:20"),
        ("发布时间：2024年03月15日 09:30", "2024-03-15T09:30"),
        ("12/25/2023", "2023-12-25"),
        ("本报杭州5月18日电　第十届国际茶叶博览会", None),
        ("2024年有2000人参加了会议。", None),
    ],
)
def test_readers_dateline(text, expected):
    assert parse_dateline(text) == expected


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("\u3000\u3000段落&nbsp;文字", "段落 文字"),
        ("中文\u200b字\ufeff符\x07", "中文字符"),
        ("第一行\n第二行", "第一行第二行"),
        ("English\nwrapped", "English wrapped"),
        ("托卡叶夫（Kassym-\nJomart Tokayev）", "托卡叶夫（Kassym-Jomart Tokayev）"),
        ("A&amp;B &lt;tag&gt;", "A&B <tag>"),
        ("  多余   空格  ", "多余 空格"),
    ],
)
def test_readers_cleaning(raw, clean):
    assert clean_text(raw) == clean


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.text(max_size=300), st.sampled_from([None, *Format]))
def test_readers_any_text_parses_or_raises_library_error(text, fmt):
    try:
        a = parse_bytes(text.encode("utf-8"), fmt=fmt)
    except BilingualError:
        return
    assert all(b.zh for b in a.blocks)


_html_fragments = st.lists(
    st.sampled_from(
        ["<p>", "</p>", "<div>", "</div>", "<br>", "<strong>", "</strong>", "<h2>", "</h2>",
         "<script>", "</script>", "<blockquote>", "<li>", "<!--x-->", "&nbsp;", "&amp;", "Array",
         "中文段落。", "Latin", "（CSTO）", "<figure><figcaption>", "\u3000", "\n"]
    ),
    max_size=40,
).map("".join)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(_html_fragments)
def test_readers_any_html_parses_or_raises_library_error(markup):
    try:
        a = parse_bytes(markup.encode("utf-8"), fmt=Format.HTML)
    except BilingualError:
        return
    assert all(b.zh and b.zh != "Array" for b in a.blocks)


@pytest.mark.parametrize(
    "charset, codec", [("gb2312", "gb18030"), ("GBK", "gb18030"), ("big5", "cp950")]
)
def test_readers_html_declared_charset(charset, codec):
    body = "<p>香港國際機場客運量持續回升。</p><p>機管局表示，航空公司在香港營運。</p>"
    if codec == "gb18030":
        body = (
            "<p>国家移民管理部门公布的数据显示入境人数增长。</p><p>文旅部门表示将继续提升服务。</p>"
        )
    title = "標題" if codec == "cp950" else "标题"
    page = f'<html><head><meta charset="{charset}"><title>{title} - 网</title></head><body>{body}</body></html>'
    a = parse_bytes(page.replace("网", "站").encode(codec))
    assert a.provenance["input"]["encoding"] == codec
    assert len(a.body) == 2 and a.title == title


def test_readers_portal_page_without_article_element():
    """A typical Chinese portal: no <article>, menus, byline div, related lists, editor credit."""
    a = read_article(ROOT / "tests" / "data" / "readers" / "portal-no-article.html")
    assert a.title == "外交部回应美方声明"
    assert a.published == "2024-06-01T10:20:33"
    assert a.source_url == "https://news.example.cn/2024/0601/a1.html"
    assert [b.zh[:6] for b in a.body] == ["新华社北京6", "汪文斌说，美", "他还表示，中"]
    text = "".join(b.zh for b in a.blocks)
    for noise in ("首页", "分享", "相关新闻", "热点", "责任编辑", "版权"):
        assert noise not in text


def test_readers_utf8_with_a_stray_byte_or_cut_short():
    good = SEED.read_bytes()
    damaged = good[:500] + b"\xff" + good[500:]
    a = parse_bytes(damaged)
    assert len(a.body) == 22 and "undecodable bytes replaced" in a.provenance["input"]["encoding"]
    cut = good[: len(good) - 1200]
    while cut[-1] & 0xC0 == 0x80:  # make sure the cut falls inside a character
        cut = cut[:-1]
    cut += good[len(cut) : len(cut) + 1]
    assert parse_bytes(cut).provenance["input"]["encoding"] == "utf-8 (cut mid-character)"
    # A GB18030 file is not "UTF-8 with a few bad bytes".
    assert (
        parse_bytes(sample("gb18030.txt").read_bytes()).provenance["input"]["encoding"] == "gb18030"
    )


@pytest.mark.parametrize(
    "name, published",
    [
        ("xinhua.html", "2024-06-12"),  # <h1> outside the body, "-新华网" title, （完）, 【纠错】
        ("wordpress.html", "2024-06-12T08:00:00+08:00"),  # entry-title repeats the title
        ("br.html", "2024-06-12T08:00"),  # <br>-separated paragraphs, date in div.time
    ],
)
def test_readers_site_layouts(name, published):
    a = read_article(ROOT / "tests" / "data" / "readers" / name)
    assert a.title == "世卫组织：全球疫苗接种仍不均衡"
    assert a.published == published
    assert [b.kind.value for b in a.body] == ["paragraph"] * 4
    assert a.body[0].zh.startswith("世界卫生组织（WHO）")
    text = "".join(b.zh for b in a.blocks)
    for noise in ("新华网", "完）", "纠错", "责任编辑"):
        assert noise not in text


def test_readers_docx_tables_are_kept_in_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_heading("统计局公布五月经济数据", level=1)
    document.add_paragraph("国家统计局周五公布了五月主要经济数据。")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("指标", "增速"), ("固定资产投资", "4.0%")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("分析人士认为，经济复苏仍需政策支持。")
    path = tmp_path / "t.docx"
    document.save(str(path))
    a = read_article(path)
    assert [b.zh for b in a.body] == [
        "国家统计局周五公布了五月主要经济数据。",
        "指标 | 增速",
        "固定资产投资 | 4.0%",
        "分析人士认为，经济复苏仍需政策支持。",
    ]


def test_readers_html_data_table_by_rows_and_related_links_dropped():
    a = read_article(ROOT / "tests" / "data" / "readers" / "table.html")
    texts = [b.zh for b in a.body]
    assert "指标 | 增速" in texts and "固定资产投资 | 4.0%" in texts
    assert not any(t.startswith("相关阅读") for t in texts)
    assert texts[-1] == "分析人士认为，经济复苏仍需政策支持。"


def _damaged_docx(where: str) -> bytes:
    """The sample DOCX with one field of its zip directory changed as a damaged copy has it."""
    import struct

    data = bytearray(sample("article.docx").read_bytes())
    if where == "directory offset":  # points far past the file: zipfile seeks before its start
        struct.pack_into("<I", data, data.rfind(b"PK\x05\x06") + 16, 0x7FFFFFFF)
    elif where == "zip version":  # asks for a zip version from the future
        struct.pack_into("<H", data, data.find(b"PK\x01\x02") + 6, 143)
    elif where == "member offset":  # a member's local header before the file start
        central = data.find(b"PK\x01\x02")
        struct.pack_into("<I", data, central + 42, 0xF0000000)
    return bytes(data)


@pytest.mark.parametrize(
    "where, message",
    [
        ("directory offset", "x.docx: not a readable DOCX file (damaged: negative seek value"),
        ("zip version", "x.docx: a damaged ZIP archive that cannot be opened (zip file version "
         "14.3)"),
        ("member offset", "x.docx: "),
    ],
)  # fmt: skip
def test_damaged_docx_is_one_input_error_not_a_crash(where, message):
    with pytest.raises(InputError) as caught:
        parse_bytes(_damaged_docx(where), name="x.docx")
    assert str(caught.value).startswith(message)


def test_readers_json_that_is_not_a_project_is_not_an_article(tmp_path):
    path = tmp_path / "page.json"
    path.write_text(
        '\ufeff{"title": "哈萨克斯坦示威危机持续", "body": ["中国国家主席习近平周五向哈萨克斯坦总统致口信。"]}',
        "utf-8",
    )
    with pytest.raises(
        UnsupportedInput, match=r"page\.json: JSON that is not a bilingual project file"
    ):
        read_article(path)
    # Asked for, it is read as text all the same.
    assert read_article(path, fmt="text").body
    # Text that only happens to be named .json is still read.
    path.write_text(
        "中国国家主席习近平周五向哈萨克斯坦总统致口信，对哈萨克斯坦局势表示关切。", "utf-8"
    )
    assert read_article(path).body
