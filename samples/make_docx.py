#!/usr/bin/env python3
"""Regenerate samples/article.docx (requires python-docx).

Usage: python samples/make_docx.py
Writes article.docx next to this script. The text is fictional, written for the
bilingual project's tests; see samples/README.md for the expected parse.
"""

from pathlib import Path

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

TITLE = "亚洲开发银行上调亚太地区经济增长预期 警示外部需求风险"
DATELINE = "2024-04-11 16:05"
LEAD = (
    "亚洲开发银行（ADB）周四发布最新一期《亚洲发展展望》报告，将亚太发展中经济体"
    "今年的经济增长预期从4.8%上调至4.9%，理由是区域内消费复苏和电子产品出口回暖。"
    "报告同时警告，主要发达经济体利率长期维持高位可能拖累外部需求。"
)
BODY_1 = [
    "报告显示，南亚仍是增长最快的次区域，预计今年增速约为6.3%；东南亚经济体受益于旅游业恢复和"
    "半导体需求回升，增速有望达到4.6%。太平洋岛国的增长则在很大程度上取决于国际游客人数的恢复情况。",
    "在物价方面，报告预计区域平均通胀率将从去年的3.3%回落至3.2%，但部分依赖粮食进口的国家仍面临"
    "较大价格压力。亚行首席经济学家在发布会上表示，各国央行需要在稳定物价与支持增长之间保持平衡。",
]
HEADING_2 = "气候投资需求巨大"
BODY_2 = [
    "报告专门讨论了气候变化对区域经济的影响。据估算，到2030年，亚太发展中经济体每年需要约1.1万亿"
    "美元用于能源转型和防灾减灾，而目前的投资规模仅为所需资金的约35%。",
    "亚行表示，将通过优惠贷款和担保工具撬动更多私人资本，并计划在今后三年内为区域内约2000个"
    "中小城市的防洪和供水项目提供技术援助。",
]


def set_east_asian_font(style, name: str) -> None:
    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), name)


def build(path: Path) -> None:
    doc = Document()
    doc.core_properties.title = TITLE
    doc.core_properties.author = "示例新闻网"
    doc.core_properties.language = "zh-CN"
    normal = doc.styles["Normal"]
    set_east_asian_font(normal, "SimSun")
    normal.font.size = Pt(11)

    doc.add_paragraph(TITLE, style="Title")  # title
    doc.add_paragraph(DATELINE)  # dateline (Normal)
    lead = doc.add_paragraph()  # lead: one bold run
    lead.add_run(LEAD).bold = True
    for text in BODY_1:
        doc.add_paragraph(text)
    doc.add_paragraph("")  # empty paragraph: readers drop it
    doc.add_paragraph(HEADING_2, style="Heading 2")
    for text in BODY_2:
        doc.add_paragraph(text)
    doc.save(str(path))


if __name__ == "__main__":
    build(Path(__file__).resolve().parent / "article.docx")
