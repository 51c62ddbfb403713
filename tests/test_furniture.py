"""The article found in real page shapes: nothing lost, furniture set apart with its reason,
what the furniture says about the article kept as metadata."""

from __future__ import annotations

import html
import re
import time

import pytest
from click.testing import CliRunner
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from bilingual.cli import cli
from bilingual.document import Kind
from bilingual.errors import NoContent, UnsupportedInput
from bilingual.readers import parse_bytes, read_article
from bilingual.readers.draft import Draft
from bilingual.readers.furniture import Verdict, classify, looks_like_caption
from bilingual.readers.headers import read_header_lines
from bilingual.textutil import unwrap_wiki_links

DATA = ROOT / "tests" / "data" / "readers"


def reasons(article) -> dict[str, str]:
    return {d.text: d.reason for d in article.dropped}


def test_furniture_page_keeps_every_paragraph_and_nothing_else():
    a = read_article(DATA / "furniture-page.html")
    assert a.title == "青岛港自动化码头吞吐量创新高"
    body = [(b.kind.value, b.zh[:8]) for b in a.body]
    assert body == [
        ("lead", "青岛港自动化集装"),
        ("caption", "▲自动化码头的桥"),
        ("paragraph", "码头负责人介绍，"),
        ("heading", "智能调度成关键"),
        ("paragraph", "据介绍，该系统由"),
        ("paragraph", "业内人士认为，自"),
        ("paragraph", "港口方面表示，下"),  # after an ad box, outside the content <div>
    ]
    why = reasons(a)
    assert why["记者 王小明"] == "byline"
    assert why["2024-03-15 09:30 来源：示例日报"] == "dateline"
    assert why["图片来源，Reuters"] == "photo credit"
    assert why["讚 87"] == "share bar or page tool"
    assert why["（完）"] == "end mark or page label"
    assert why["相关标签：港口 自动化 青岛"] == "tag list"
    assert why["免责声明：本文仅代表作者观点，不代表本网立场。"] == "disclaimer or copyright notice"
    assert why["请下载示例新闻APP，阅读更多精彩内容"] == "subscribe or app prompt"
    assert why["— Port News (@portnews) March 15, 2024"] == "embedded social-media post"
    assert why["广告：限时优惠，立即下载示例新闻APP领取好礼！"] == "advertisement"
    assert "网友甲" in "".join(why)  # comments: outside the article, still reported
    text = "".join(b.zh for b in a.blocks)
    for noise in ("分享", "首页", "Cookie", "版权", "相关新闻", "网友", "赞助", "Qingdao"):
        assert noise not in text


def test_furniture_page_metadata_from_the_page_and_its_furniture():
    a = read_article(DATA / "furniture-page.html")
    assert a.published == "2024-03-15T09:30:00+08:00"  # JSON-LD in a list; a null @graph skipped
    assert a.author == "王小明"
    assert a.outlet == "示例新闻网"
    assert a.source_url == "https://news.example.cn/2024/0315/qd.html"
    assert "原文链接：https://news.example.cn/a/qd" in a.credits
    assert "（编辑：李四）" in a.credits
    assert "来源：示例日报" in a.credits


def test_furniture_keep_all_gives_every_dropped_block_back():
    a = read_article(DATA / "furniture-page.html")
    kept = read_article(DATA / "furniture-page.html", keep_all=True)
    assert kept.dropped == []
    texts = [b.zh for b in kept.body]
    for d in a.dropped:
        assert d.text in texts
    assert len(kept.body) == len(a.body) + len(a.dropped)


def test_furniture_page_wrapped_in_a_form_and_its_title_repeated():
    a = read_article(DATA / "aspnet-form.html")
    assert a.title == "台北市推動公共自行車升級"
    assert [b.zh[:6] for b in a.body] == ["台北市交通局", "交通局長表示"]
    assert a.author == "陳小華"
    assert "示例新聞網" not in "".join(b.zh for b in a.blocks)


def test_furniture_scraped_markdown_navigation_relative_link_and_wiki_markup():
    a = read_article(DATA / "scraped-nav.md")
    assert a.title == "托卡耶夫宣布解除全国紧急状态"
    assert a.source_url is None  # README.md is not where the article came from
    assert a.published == "2022-01-19T10:20"
    assert a.body[0].zh.startswith("哈萨克斯坦总统托卡耶夫周三宣布")
    assert "集安组织维和部队" in a.body[0].zh and "[[" not in a.body[0].zh
    assert len(a.body) == 2
    assert reasons(a)[":house:返回"] == "navigation"
    assert "翻译：张三｜校对：李四" in a.credits


def test_furniture_text_header_lines_are_metadata():
    a = read_article(DATA / "headers.txt")
    assert a.title == "西湖景区推出夜游新线路"
    assert a.published == "2023-08-12T20:15"
    assert a.outlet == "示例晚报"
    assert [b.zh[:6] for b in a.body] == ["杭州西湖景区", "新线路每晚七"]


def test_furniture_text_without_a_title_line_keeps_its_first_paragraph():
    a = read_article(DATA / "no-title.txt")
    assert a.title is None
    assert len(a.body) == 3 and a.body[0].zh.startswith("国家统计局15日发布数据显示")


@pytest.mark.parametrize(
    "lines, title, published, rest",
    [
        (["Title: 标题一", "Time: 2024-01-02", "Content: 正文开始。"], "标题一", "2024-01-02", ["正文开始。"]),
        (["Tittle: 标题二", "", "正文。"], "标题二", None, ["正文。"]),
        (["标题：标题三", "日期：2024年3月4日", "", "正文。"], "标题三", "2024-03-04", ["正文。"]),
        (["Note: 不是头", "正文。"], None, None, ["Note: 不是头", "正文。"]),
    ],
)  # fmt: skip
def test_furniture_header_lines(lines, title, published, rest):
    draft = Draft()
    assert [ln for ln in read_header_lines(lines, draft) if ln] == rest
    assert draft.title == title
    assert draft.published == published


@pytest.mark.parametrize(
    "raw, text",
    [
        ("总统[[zh:托卡耶夫]]表示", "总统托卡耶夫表示"),
        ("[[集体安全条约组织|集安组织]]", "集安组织"),
        ("[[阿拉木图]]", "阿拉木图"),
        ("no [wiki] here", "no [wiki] here"),
    ],
)
def test_furniture_wiki_links_unwrapped(raw, text):
    assert unwrap_wiki_links(raw) == text


@pytest.mark.parametrize(
    "text, reason",
    [
        ("发表时间： 30/11/2025", "dateline"),
        ("Author,李雨梦", "byline"),
        ("图像来源，BBC NEWS CHINESE", "photo credit"),
        ("分享 facebook 讚87", "share bar or page tool"),
        ("转播到腾讯微博", "share bar or page tool"),
        ("0人跟贴 | 0人参与", "share bar or page tool"),
        ("Subscribe now", "subscribe or app prompt"),
        ("Download App", "subscribe or app prompt"),
        ("請加入成為上報月費訂戶，支持優質新聞", "subscribe or app prompt"),
        ("跳过 Instagram 帖子", "privacy or consent notice"),
        ("允许Instagram内容", "privacy or consent notice"),
        ("相关标签：科技 手机", "tag list"),
        ("首页>科技湃", "breadcrumb"),
        ("原文链接：https://example.com/a", "reposting or editing credit"),
        ("翻译：王五｜校对：赵六", "reposting or editing credit"),
        ("免责声明：本文内容仅供参考。", "disclaimer or copyright notice"),
        ("（延伸閱讀：美商務部長會晤李強）", "pointer to another story"),
        ("正文已结束，您可以按alt+4进行评论", "end mark or page label"),
        ("希腊算什么？中国股市三周跌掉10个希腊GDP2015/07/03", "pointer to another story"),
        ("自动播放开关自动播放", "video player controls"),
    ],
)
def test_furniture_rules(text, reason):
    verdict = classify(text, edge=False)
    assert verdict is not None, text
    assert verdict.reason == reason


@pytest.mark.parametrize(
    "text",
    [
        # Article sentences that contain words furniture uses.
        "他在接受采访时表示，公司将在下个月推出新的手机应用程序，供用户下载使用。",
        "记者注意到，展会现场吸引了大量观众，许多人排队体验新产品。",
        "来源于民间的创新力量正在改变这个行业，分析人士说。",
        "报道称，该公司的隐私政策将于明年修改，以符合新的法规要求，引发外界关注和讨论。",
        "2023年，该市接待游客超过5000万人次，同比增长20%。",
        "分享经济在过去十年间迅速发展，改变了人们的出行和消费习惯。",
        "美国国务院发言人普莱斯（Ned Price）告诉媒体：“坦白说，美国会紧盯任何侵害人权情事。”",
    ],
)
def test_furniture_rules_leave_sentences_alone(text):
    assert classify(text, edge=True) is None


_SAFE = "中国经济发展市场企业政府国际合作增长技术研究社会城市人口教育"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_SAFE, min_size=3, max_size=30), min_size=2, max_size=6))
def test_furniture_any_sentence_stays(clauses):
    assert classify("，".join(clauses) + "。", edge=True) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_furniture_rules_never_fail(text):
    classify(text, edge=True)
    classify(text, edge=False)


def test_furniture_everything_furniture_says_how_to_get_it_back():
    with pytest.raises(NoContent, match="--keep-all"):
        parse_bytes("分享到微信\n\n讚 87\n\n相关标签：新闻".encode(), name="x.txt")
    a = parse_bytes("分享到微信\n\n讚 87\n\n相关标签：新闻".encode(), name="x.txt", keep_all=True)
    assert [b.zh for b in a.blocks] == ["分享到微信", "讚 87", "相关标签：新闻"]


def test_furniture_short_text_without_sentences_is_kept():
    a = parse_bytes("你好世界".encode(), name="x.txt")
    assert [b.zh for b in a.blocks] == ["你好世界"]


def test_furniture_cli_show_dropped_and_keep_all():
    r = CliRunner().invoke(cli, ["parse", "--show-dropped", str(DATA / "furniture-page.html")])
    assert r.exit_code == 0, r.output
    assert "author:      王小明" in r.output
    assert "outlet:      示例新闻网" in r.output
    assert "(dropped: byline) 记者 王小明" in r.output
    assert "[paragraph §7] 港口方面表示" in r.output
    r = CliRunner().invoke(cli, ["parse", str(DATA / "furniture-page.html")])
    assert "dropped:     " in r.output and "(--show-dropped lists them)" in r.output
    assert "(dropped:" not in r.output
    r = CliRunner().invoke(cli, ["parse", "--keep-all", str(DATA / "furniture-page.html")])
    assert "记者 王小明" in r.output and "dropped:" not in r.output
    r = CliRunner().invoke(cli, ["parse", "--json", str(DATA / "furniture-page.html")])
    assert '"dropped": [' in r.output and '"reason": "byline"' in r.output


def test_furniture_deep_and_unclosed_nesting_keeps_the_text():
    """Pages nested past the parser's depth, or with a thousand unclosed tags, keep their text
    (the walk is iterative and linear)."""
    deep = "<html><body>" + "<div>" * 100_000 + "深处的段落内容。" + "</div>" * 100_000
    deep += "<p>页面最后一段，还在这里。</p></body></html>"
    start = time.perf_counter()
    a = parse_bytes(deep.encode(), name="deep.html")
    elapsed = time.perf_counter() - start
    text = "".join(b.zh for b in a.blocks)
    assert "深处的段落内容。" in text and "页面最后一段，还在这里。" in text
    assert elapsed < 60  # a hang guard, not a benchmark (the figure is in benchmarks/)
    unclosed = "<html><body>" + "<div><font>" * 1200 + "未闭合的标签里的正文。</body></html>"
    assert "未闭合的标签里的正文。" in parse_bytes(unclosed.encode(), name="u.html").blocks[-1].zh


def test_furniture_text_after_an_embed_is_kept():
    a = parse_bytes(
        "<html><body><p>前文的内容。<embed src=x>后文的内容也在。</p></body></html>".encode(),
        name="e.html",
    )
    assert a.body[0].zh == "前文的内容。后文的内容也在。"


@pytest.mark.parametrize(
    "ld",
    ["null", '{"@graph": null}', "[1, 2]", '"x"', "[" * 100_000 + "]" * 100_000, "{bad json"],
)
def test_furniture_odd_json_ld_is_ignored(ld):
    page = f'<html><head><script type="application/ld+json">{ld}</script></head>'
    page += "<body><p>正文内容在这里，一切正常。</p></body></html>"
    assert parse_bytes(page.encode(), name="j.html").body[0].zh == "正文内容在这里，一切正常。"


def test_furniture_outside_prose_is_reported_not_silently_lost():
    page = (
        "<html><body><div class='main'>" + "<p>主要文章的段落，内容很长很长很长很长很长很长很长很长很长。</p>" * 5
        + "</div><div class='sidebar'><p>侧栏里另一篇报道的摘要内容，也是一句完整的话。</p>"
        + "<ul><li><a href='/1'>热门文章一</a></li><li><a href='/2'>热门文章二</a></li></ul></div>"
        + "</body></html>"
    )  # fmt: skip
    a = parse_bytes(page.encode(), name="o.html")
    assert len(a.body) == 5
    assert reasons(a)["侧栏里另一篇报道的摘要内容，也是一句完整的话。"] == "outside the article"
    assert Kind.PARAGRAPH in {b.kind for b in read_article(DATA / "br.html").body}


def test_furniture_shapes_from_held_out_pages():
    """Shapes found on real pages the rules were not written from (kept as small fixtures)."""
    page = (
        "---\nlayout: post\ntitle: \"示例标题：一场讨论\"\nauthor: 张三\nfrom: https://example.org/a/1\n---\n\n"
        '<div class="node node-article node-promoted">'
        '<div class="field field-name-body field-label-hidden"><p>'
        "第一段的内容在这里，讲述了事情的经过。<br/><br/>"
        "<strong>一个小标题</strong><br/>"
        "小标题下面的段落，继续讲述事情的发展。</p>"
        "<p>“希望大家共同努力”——某公司社长</p>"
        "<table><tr><td><img src='a.jpg'></td></tr>"
        "<tr><td><span style='font-size:8pt'><strong>工厂仍在运行（路透）</strong></span></td></tr></table>"
        "<p><strong>日本经济新闻（中文版：日经中文网）硅谷支局　奥平和行</strong></p>"
        "<p>最后一段的内容，事情告一段落。</p></div></div>"
    )  # fmt: skip
    a = parse_bytes(page.encode(), name="post")
    assert a.provenance["input"]["format"] == "markdown"
    assert a.title == "示例标题：一场讨论"
    assert a.author == "张三" and a.source_url == "https://example.org/a/1"
    assert [(b.kind.value, b.zh[:6]) for b in a.body] == [
        ("paragraph", "第一段的内容"),
        ("heading", "一个小标题"),
        ("paragraph", "小标题下面的"),
        ("paragraph", "“希望大家共"),
        ("caption", "工厂仍在运行"),
        ("paragraph", "最后一段的内"),
    ]
    assert reasons(a)["日本经济新闻（中文版：日经中文网）硅谷支局　奥平和行"] == "byline"


def test_furniture_headline_in_a_title_span_beats_the_page_title():
    page = (
        "<html><head><title>区领导开展调研工作 东区办事处_某某网</title></head><body><table><tr><td>"
        "<span class='Title'><b>区领导开展调研工作</b></span></td></tr><tr><td>"
        "<p>区领导一行到辖区企业开展调研，了解企业生产经营情况。</p>"
        "<p>调研组一行还召开了座谈会，听取企业的意见和建议。</p></td></tr></table></body></html>"
    )
    assert parse_bytes(page.encode(), name="t.html").title == "区领导开展调研工作"


def test_furniture_pinyin_classes_and_a_headline_under_a_section_title():
    page = (
        "<html><head><title>新闻动态--某某学会官网</title></head><body>"
        "<div class='nav'><a href='/'>首页</a><a href='/n'>新闻动态</a></div><div class='main'>"
        "<div class='xq'><h5>2019年学术年会在重庆成功举行！</h5>"
        "<div class='txt_con'>证券时报e公司讯，年会于11月2日开幕，来自全国的三百余名学者参加了会议。</div>"
        "<div class='shenming'><p>声明：本网力求信息真实、准确，文章提及内容仅供参考，据此操作风险自担。</p></div>"
        "<div class='tuijian'><h2>为你推荐</h2><dl><dd class='tit'><a href='/1'>另一条新闻</a></dd>"
        "<dd class='exp'>十一国庆假期前，有关部门召开会议，研究部署下一阶段的重点工作。</dd></dl></div>"
        "</div></div></body></html>"
    )  # fmt: skip
    a = parse_bytes(page.encode(), name="p.html")
    assert a.title == "2019年学术年会在重庆成功举行！"
    assert [b.zh[:8] for b in a.body] == ["证券时报e公司讯"]


@pytest.mark.parametrize(
    "head, author",
    [
        ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
         '{"@type": "Organization", "name": "示例通訊社"}}</script>', None),
        ('<script type="application/ld+json">{"@type": "NewsArticle", "author": '
         '{"@type": "Person", "name": "李四"}}</script>', "李四"),
        ('<meta name="author" content="105092">', None),
        ('<meta name="author" content="示例新闻网"><meta property="og:site_name" content="示例新闻网">',
         None),
        ('<meta name="author" content="中央通訊社">', None),
        ('<meta name="author" content="王五">', "王五"),
    ],
)  # fmt: skip
def test_furniture_author_is_a_person_not_the_outlet(head, author):
    page = f"<html><head>{head}</head><body><p>正文内容在这里，一切正常。</p></body></html>"
    assert parse_bytes(page.encode(), name="a.html").author == author


def test_furniture_a_caption_label_alone_is_dropped_a_paragraph_ending_in_a_colon_is_not():
    assert classify("圖像加註文字，", edge=False, caption=True).reason == "label beside the article"
    assert classify("这里面包含两个信息：", edge=False) is None


def test_furniture_metadata_from_glued_and_bare_bylines():
    # <time> glued onto the byline by the page: the date is the date, the rest the author.
    a = read_article(ROOT / "samples" / "news-page.html")
    assert a.author == "本网记者 林晓晴 发自日内瓦"
    page = (
        "<html><body><h1>两国领导人举行会谈</h1><div class='info'>洪毅 2023年08月31日 21:00:00</div>"
        "<div class='info'>来源：</div>"
        "<p>正文的第一段，讲述了事情的经过。</p><p>正文的第二段，事情还在继续。</p>"
        "<figure><img src='v.jpg'><figcaption>視頻：2019年，兩國領導人在峰會上舉杯</figcaption></figure>"
        "</body></html>"
    )  # fmt: skip
    a = parse_bytes(page.encode(), name="m.html")
    assert a.author == "洪毅" and a.published == "2023-08-31T21:00:00"
    assert a.credits == []  # "来源：" says nothing
    assert a.body[-1].kind is Kind.CAPTION  # a caption marked up as one stays, even at the end


@pytest.mark.parametrize(
    "text, message",
    [
        ("日本の首相は今日、東京で記者会見を開き、新しい経済対策を発表しました。" * 3, "Japanese"),
        ("한국 대통령은 오늘 서울에서 기자회견을 열고 새로운 경제 대책을 발표했다。" * 3, "Korean"),
        ("This English page only quotes a name, 北京, among a great deal of English text. " * 6,
         "hardly any Chinese"),
    ],
)  # fmt: skip
def test_furniture_what_is_not_a_chinese_article_is_refused(text, message):
    with pytest.raises(UnsupportedInput, match=message):
        parse_bytes(text.encode(), name="x.txt")


def test_furniture_every_error_names_the_file(tmp_path):
    pdf = tmp_path / "doc.pdf"
    pdf.write_bytes(b"%PDF-1.5\n%\xe2\xe3")
    with pytest.raises(UnsupportedInput, match=r"doc\.pdf: PDF is not supported"):
        read_article(pdf)


# Prose alone comes through whole: the hand-written files of tests/data/prose (features, opinion,
# machine-translated news, official statements...), full of words that furniture uses too.
PROSE = sorted((ROOT / "tests" / "data" / "prose").glob("*.txt"))


def _prose(path):
    chunks = [c.strip() for c in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))]
    chunks = [c for c in chunks if c]
    return chunks[0], chunks[1:]


def _as_html(title, paragraphs):
    ps = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head><body>\n<h1>{html.escape(title)}</h1>\n{ps}</body></html>"
    ).encode()


@pytest.mark.parametrize("form", ["text", "html"])
@pytest.mark.parametrize("path", PROSE, ids=[p.stem for p in PROSE])
def test_furniture_prose_alone_comes_through_whole(path, form):
    title, paragraphs = _prose(path)
    data = path.read_bytes() if form == "text" else _as_html(title, paragraphs)
    a = parse_bytes(data, name=f"{path.stem}.{'txt' if form == 'text' else 'html'}")
    assert a.title == title
    assert [b.zh for b in a.body] == paragraphs
    assert all(b.kind is Kind.PARAGRAPH for b in a.body)
    assert a.dropped == []


def test_furniture_prose_files_hold_the_words_furniture_uses():
    """The prose files are a test only while they hold what used to be taken for furniture."""
    text = "".join(p.read_text(encoding="utf-8") for p in PROSE)
    for word in ("未经授权", "委托", "版权", "转载", "记者", "摄", "点击", "关注", "订阅", "来源",
                 "来信", "隐私政策", "記者：", "联系我们", "免责声明", "据美联社报道"):  # fmt: skip
        assert word in text, word
    assert len(PROSE) >= 6


def test_furniture_video_page_set_apart_by_shape():
    a = read_article(DATA / "video-page.html")
    assert a.title == "长江流域进入主汛期 多地启动防汛应急响应"
    why = reasons(a)
    assert why["视频｜长江流域进入主汛期 多地启动防汛应急响应 02:36"] == "the headline repeated"
    assert why["点击进入专题：2024年主汛期防汛救灾"] == "pointer to another story"
    assert why["本台将持续关注长江流域汛情，并进行直播报道。"] == (
        "the outlet promoting its own coverage"
    )
    kinds = {b.zh[:10]: b.kind for b in a.body}
    assert kinds["6月23日，工作人员"] is Kind.CAPTION  # "…新华社记者 周密 摄"
    assert [b.zh[:6] for b in a.body if b.kind is Kind.PARAGRAPH] == [
        "6月24日，", "据气象部门预", "在湖北省武汉", "江西省水利厅", "专家提醒，汛",
    ]  # fmt: skip
    text = "".join(b.zh for b in a.blocks)
    for noise in ("12图", "组图", "图集", "版权所有"):
        assert noise not in text


def test_furniture_attribution_line_kept_with_its_name():
    a = read_article(DATA / "attribution.txt")
    assert a.title == "欧洲央行维持利率不变　释放年内降息信号"  # indented with U+3000
    body = [b.zh for b in a.body]
    assert body[0] == "据《金融时报》路透社（Reuters）报道："
    assert "记者：您认为降息最早会在什么时候？" in body  # an interview's question, not a byline
    assert reasons(a) == {
        "本文仅代表作者观点，不代表本网立场。未经授权，不得转载。": "disclaimer or copyright notice"
    }


@pytest.mark.parametrize(
    "text, reason",
    [
        ("作者为科技商业观察家，“微创新”提出者。", "reposting or editing credit"),
        ("本文来自微信公众号“科技观察”，作者：张三。", "reposting or editing credit"),
        ("本网站所刊载信息，不代表本站观点。如转载请注明出处。", "disclaimer or copyright notice"),
        ("未经授权，不得转载。", "disclaimer or copyright notice"),
        ("本站部分内容来源于网络，如有侵权请联系删除。", "disclaimer or copyright notice"),
        ("投资有风险，入市需谨慎。", "disclaimer or copyright notice"),
        ("本网站使用cookie，继续浏览即表示您同意我们的隐私政策。", "privacy or consent notice"),
        ("欢迎下载示例新闻客户端。", "subscribe or app prompt"),
        ("本台将持续关注事件进展。", "the outlet promoting its own coverage"),
        ("央视新闻客户端将进行全程直播，敬请关注。", "the outlet promoting its own coverage"),
        ("敬请锁定本台的后续报道。", "the outlet promoting its own coverage"),
        ("BBC中文将持续更新。", "the outlet promoting its own coverage"),
        ("我们将第一时间为您带来最新消息。", "the outlet promoting its own coverage"),
        ("敬请关注。", "the outlet promoting its own coverage"),
    ],
)
def test_furniture_sentence_shaped_furniture_at_the_end(text, reason):
    """Furniture written as a sentence is set apart at the end of the article, not in the middle,
    where the same words are ordinary prose."""
    verdict = classify(text, edge=True, tail=True)
    assert verdict is not None and verdict.reason == reason
    assert classify(text, edge=False) is None


@pytest.mark.parametrize(
    "text, reason",
    [
        ("点击进入专题：2024年全国两会", "pointer to another story"),
        ("查看更多图集>>", "pointer to another story"),
        ("【组图】暴雨中的坚守", "photo gallery card"),
        ("图集｜汛期里的城市排水", "photo gallery card"),
        ("航拍春日油菜花田 12图", "photo gallery card"),
        ("春日里的油菜花海（组图）", "photo gallery card"),
        ("免责声明：本文内容仅供参考，不构成投资建议。", "disclaimer or copyright notice"),
        ("© 2024 示例新闻网 All Rights Reserved", "disclaimer or copyright notice"),
        ("（未经授权，不得转载）", "disclaimer or copyright notice"),
        ("报料热线：0571-12345678", "disclaimer or copyright notice"),
        ("记者：张三，李四，王五", "byline"),
        ("新华社北京5月24日电", "dateline"),
    ],
)
def test_furniture_shapes_anywhere(text, reason):
    verdict = classify(text, edge=False)
    assert verdict is not None and verdict.reason == reason


@pytest.mark.parametrize(
    "text",
    [
        "記者：您當初為什麼會選擇德語文學？",
        "他每天早上打开新闻客户端看消息。",
        "评论区里，有网友说自己也遇到过同样的事。",
        "读者来信中，一位母亲写道，孩子已经三个月没有见到父亲。",
        "未经授权的二房东是最让街坊头疼的群体。",
        "用户被迫同意平台的隐私政策，否则无法使用。",
        "点击进入群聊的人很多，真正愿意签字的却只有十几户。",
        "中方将继续密切关注事态发展。",
        "国际原子能总署（IAEA）将继续关注排放过程。",
        "本报记者将继续追踪此案的法律责任问题。",
        "特此通报。",
        "他沉默了。",
    ],
)
def test_furniture_sentences_stay_at_the_edge_too(text):
    assert classify(text, edge=True, tail=True) is None
    assert classify(text, edge=False) is None


def test_furniture_author_bio_only_after_the_text():
    text = "作者是一名退休教师，她在书中写道，那一年的冬天格外漫长。"
    assert classify(text, edge=False) is None
    assert classify(text, edge=True) is None  # before the text: its first sentence
    verdict = classify(text, edge=True, tail=True)
    assert verdict is not None and verdict.meta == ("credit", text)  # shown with the credits


@pytest.mark.parametrize("text", ["（路透社）", "（Reuters）", "(中央社)"])
def test_furniture_source_mark_kept_with_the_credits(text):
    verdict = classify(text, edge=True, tail=True)
    assert verdict == Verdict("source of the article", ("credit", text))
    assert classify("（完）", edge=True, tail=True).meta is None


def test_furniture_lead_in_kept_at_the_edge():
    assert classify("据路透社（Reuters）报道：", edge=True) is None
    assert classify("外交部发言人在记者会上表示：", edge=True) is None
    assert classify("国际新闻", edge=True).reason == "label beside the article"


@pytest.mark.parametrize(
    "text, caption",
    [
        ("6月23日，工作人员在大堤上巡查。新华社记者 周密 摄", True),
        ("（新华社记者 李鑫 摄）", True),
        ("游客在景区游览。本报记者张三、李四摄", True),
        ("孩子们在操场上踢球。（受访者供图）", True),
        ("这张照片由新华社记者李鑫拍摄。", False),
        ("比赛过程由记者现场拍摄", False),
    ],
)
def test_furniture_caption_ends_in_the_photographer(text, caption):
    assert looks_like_caption(text) is caption


@pytest.mark.parametrize(
    "first, title",
    [
        ("\u3000\u3000欧洲央行维持利率不变", "欧洲央行维持利率不变"),
        ("    欧洲央行维持利率不变", "欧洲央行维持利率不变"),
        ("刷单是Uber中国的危机？", "刷单是Uber中国的危机？"),
        ("中國官媒卻嗨喊「打贏對美科技戰」", "中國官媒卻嗨喊「打贏對美科技戰」"),
        ("欧洲央行周四宣布维持利率不变。", None),
        ("欧洲央行周四宣布，维持利率不变，市场反应平淡", None),
        ("新华社北京5月24日电", None),
    ],
)
def test_furniture_text_headline_first_line(first, title):
    body = "欧洲中央银行周四宣布维持三大关键利率不变，市场对这一决定反应平淡。"
    a = parse_bytes(f"{first}\n\n{body}\n\n分析人士认为，此举意在为市场留出观察空间。\n".encode())
    assert a.title == title


@pytest.mark.parametrize(
    "text",
    ["长江进入主汛期", "视频｜长江进入主汛期 02:36", "【视频】长江进入主汛期", "正在播放：长江进入主汛期",
     "长江进入主汛期（时长 02:36）", "长江进入主汛期 2024-06-24 10:21"],
)  # fmt: skip
def test_furniture_headline_repeated(text):
    verdict = classify(text, edge=False, title="长江进入主汛期")
    assert verdict is not None and verdict.reason == "the headline repeated"
    assert classify("长江进入主汛期的第一天", edge=False, title="长江进入主汛期") is None


def test_furniture_text_repeated_headline_set_apart():
    text = "示例标题：长江进入主汛期\n\n示例标题：长江进入主汛期\n\n长江流域周一正式进入主汛期，多地启动防汛应急响应。\n"
    a = parse_bytes(text.encode())
    assert a.title == "示例标题：长江进入主汛期"
    assert reasons(a) == {"示例标题：长江进入主汛期": "the headline repeated"}


@pytest.mark.parametrize(
    "text, reason, tail",
    [
        ("新浪声明：此消息系转载自新浪合作媒体，新浪网登载此文出于传递更多信息之目的，并不意味着赞同其观点"
         "或证实其描述。文章内容仅供参考，不构成投资建议。投资者据此操作，风险自担。",
         "disclaimer or copyright notice", True),
        ("更多精彩内容，请下载新华社客户端。", "subscribe or app prompt", True),
        ("本文为作者独立观点，不代表示例网立场。未经授权，请勿转载。",
         "disclaimer or copyright notice", True),
        ("（本文作者系中国人民大学教授）", "reposting or editing credit", True),
        ("本文来源：每日经济新闻 作者：张三 责任编辑：王五", "reposting or editing credit", True),
        ("文章转载自微信公众号“科技观察”，已获授权。", "reposting or editing credit", True),
        ("题图来源：视觉中国", "photo credit", False),
        ("总台记者将持续关注事态进展。", "the outlet promoting its own coverage", True),
        ("2020-10-04 15:05聯合報 記者林宸誼／即時報導", "byline", False),
    ],
)  # fmt: skip
def test_furniture_other_outlets_shapes(text, reason, tail):
    """Shapes from outlets the corpus does not hold."""
    verdict = classify(text, edge=True, tail=tail)
    assert verdict is not None and verdict.reason == reason


def test_furniture_wire_dateline_with_its_reporters_is_no_headline():
    text = (
        "新华社北京5月24日电（记者 王明 李华）\n\n"
        "　　国家统计局24日发布数据显示，4月份全国规模以上工业增加值同比增长6.7%。\n\n"
        "　　专家认为，随着稳增长政策持续发力，工业生产有望保持平稳增长。\n"
    )
    a = parse_bytes(text.encode())
    assert a.title is None
    assert a.author == "王明 李华"
    assert reasons(a) == {"新华社北京5月24日电（记者 王明 李华）": "dateline"}


def test_furniture_reporter_then_place():
    page = (
        "<html><body><h1>颱風逼近 氣象署發布海上警報</h1><div class=article>"
        "<div class=byline>記者陳怡君／台北報導</div>"
        "<p>中央氣象署今日上午發布颱風海上警報，預計颱風將於明天清晨最接近台灣東南部海面。</p>"
        "<p>氣象署提醒，東半部及南部地區今晚起將有明顯降雨，民眾應避免前往海邊及山區。</p>"
        "<p>本報將持續追蹤颱風動態，請鎖定本報網站及APP。</p></div></body></html>"
    )
    a = parse_bytes(page.encode(), name="page.html")
    assert a.author == "陳怡君"  # not "台北"
    assert reasons(a)["本報將持續追蹤颱風動態，請鎖定本報網站及APP。"] == (
        "the outlet promoting its own coverage"
    )


@pytest.mark.parametrize(
    "line, reason",
    [("本报讯（记者 张三）", "byline"), ("中新网北京5月24日电 (记者 张三)", "dateline")],
)
def test_furniture_reporters_in_brackets_give_the_author(line, reason):
    text = (
        f"{line}\n\n国家统计局24日发布数据显示，4月份全国规模以上工业增加值同比增长6.7%。\n\n"
        "专家认为，随着稳增长政策持续发力，工业生产有望保持平稳增长。\n"
    )
    a = parse_bytes(text.encode())
    assert a.author == "张三"
    assert reasons(a) == {line: reason}


def test_furniture_byline_with_the_date_glued_on_gives_the_author():
    page = (
        "<html><body><h1>东芝出售存储器业务</h1><div class=article>"
        "<p>2020-10-04 15:05聯合報 記者林宸誼／即時報導</p>"
        "<p>日本东芝公司周日表示，将出售旗下存储器业务的剩余股份，以改善公司的财务状况。</p>"
        "<p>分析人士认为，此举有助于东芝专注于基础设施和能源业务。</p></div></body></html>"
    )
    a = parse_bytes(page.encode(), name="page.html")
    assert a.author == "聯合報 記者林宸誼"
    assert a.published == "2020-10-04T15:05"
