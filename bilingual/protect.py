"""Names stay as written: protect Latin-script spans and glossary terms around the engine.

`protect` finds every span of a Chinese segment that must come out of the engine verbatim --
Latin-script names, acronyms, brands, handles, URLs and e-mail addresses, glosses
`中文名（Latin Name）`, and glossary terms -- and replaces each with a placeholder. The engine
translates the text with placeholders; `restore` puts the renders back and says whether every
placeholder came back exactly once. When one did not, the caller translates `pieces` (the
Chinese between the spans) on their own and `join_pieces` puts the renders back in place, so a
name is never lost, only flagged.

Placeholders: ``QZ0``, ``QZ1``, ... (``QZ`` + the span's index, digits only after it).

* What the model copies. A zh→en Argos model is a Transformer over SentencePiece pieces trained
  on web and OPUS data, where Chinese text is full of short Latin codes that the English repeats
  as they are: acronyms and model numbers (``BBC``, ``G20``, ``MH370``, ``F-16``). An uppercase
  letters-and-digits code is the shape it has learned to copy through. Markup-like tokens
  (``<x1>``, ``[[1]]``, ``__0__``) are split into punctuation pieces and come back mangled or
  dropped; private-use or rare characters become ``<unk>``; bare numbers get reformatted and
  would collide with the article's own numbers, which the checks compare.
* No collision. Every Latin letter of the segment is inside a protected span, so the only Latin
  the engine sees is the placeholders; ``qz`` followed by a digit occurs in no English word, so
  the model cannot produce one by accident either. A placeholder never touches an ASCII letter or
  digit in the text sent to the engine (a space is put in between), so ``QZ1`` next to ``2000``
  stays two tokens.
* Easy to find again. The pattern is matched case-insensitively and tolerates a space, hyphen
  or underscore between ``Q``, ``Z`` and the index (``qz0``, ``Q Z 1``, ``QZ-2``) and any
  punctuation around it. A ``QZ`` left over without a usable index counts as garbled.
* The translation memory caches the engine's output by the placeholder text, which does not
  depend on what the spans are: ``总统QZ0今天表示`` is the same sentence whoever QZ0 is.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bilingual.textutil import HAN_RANGES, HAN_RE, has_han

if TYPE_CHECKING:
    from bilingual.glossary import Glossary

__all__ = [
    "PLACEHOLDER_RE",
    "Found",
    "Gloss",
    "Protected",
    "Restored",
    "Span",
    "build",
    "english_punctuation",
    "find_glosses",
    "find_spans",
    "join_pieces",
    "pieces",
    "placeholder",
    "protect",
    "restore",
]


@dataclass(frozen=True)
class Span:
    """One protected stretch of the source."""

    source: str  # exactly as in the Chinese
    render: str  # what must appear verbatim in the English
    kind: str  # "latin", "gloss", "glossary", "url", "email"


@dataclass(frozen=True)
class Protected:
    original: str
    text: str  # with placeholders: what the engine sees
    spans: tuple[Span, ...]  # placeholder i <-> spans[i]
    # The source text around the spans: parts[i] comes before spans[i]; len(spans) + 1 items.
    parts: tuple[str, ...] = ()

    @property
    def renders(self) -> list[str]:
        return [s.render for s in self.spans]


@dataclass
class Restored:
    text: str
    ok: bool
    problems: list[str] = field(default_factory=list)
    # Renders whose placeholder was missing, repeated or garbled (all of them if it is unclear).
    broken: list[str] = field(default_factory=list)


def placeholder(i: int) -> str:
    return f"QZ{i}"


PLACEHOLDER_RE = re.compile(r"[Qq][ \-_]?[Zz][ \-_]?(\d{1,3})(?!\d)")
# A "QZ" that is not followed by a usable index: the model garbled a placeholder.
_GARBLED_RE = re.compile(r"(?<![A-Za-z])[Qq][ \-_]?[Zz]")

# --- character classes -------------------------------------------------------------------------

_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_MARK = "\u0300-\u036f"  # combining accents, for text that is not NFC
_ALNUM = f"{_LETTER}{_MARK}0-9"
_LATIN_RE = re.compile(f"[{_LETTER}]")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")

# Characters Chinese uses to transliterate foreign names (音译用字), Simplified and Traditional.
# A name before a gloss is the longest run of these right before the parenthesis.
TRANSLIT = frozenset(
    "阿埃艾爱安昂敖奥澳巴拜班邦保鲍贝本比彼毕宾波玻伯勃博布采蔡查策茨楚达戴丹道德登邓狄迪蒂"
    "丁东杜敦顿多厄恩尔法凡范菲费芬丰冯佛夫弗伏福盖甘冈高戈哥格根贡古瓜圭哈海汉豪赫亨洪胡华"
    "霍基吉济加迦贾杰捷金津卡凯坎康考柯科克肯库夸奎昆拉腊莱赖兰朗劳勒雷蕾黎里理丽利莉连廉列"
    "林琳灵留柳龙隆娄卢鲁路露伦罗洛吕略马玛迈麦曼芒梅美门蒙孟米密敏缪莫墨默姆木穆纳娜乃奈南"
    "内尼妮涅聂宁纽努诺欧帕派潘庞佩彭皮珀坡普奇齐契恰乔切钦琴琼丘热荣茹瑞若撒萨塞赛桑瑟森沙"
    "莎尚绍舍申圣施什史舒斯松苏索塔泰坦汤唐陶特滕提廷汀图托瓦万旺威韦维温翁沃乌伍武西希锡席"
    "夏谢辛欣休许薛雅亚娅扬杨耶叶伊依因英尤约泽扎詹兹朱卓佐娃京翰逊斐蓬琪翠裴朔芙黛缇"
    "愛奧鮑貝畢賓採達鄧東頓爾範費豐馮蓋岡貢漢華濟賈傑凱庫誇臘萊賴蘭勞裏麗連列龍婁盧魯倫羅"
    "呂馬瑪邁麥門繆納內聶寧紐諾歐龐齊喬欽瓊熱榮薩賽紹聖蘇湯圖萬韋維溫烏錫謝許亞婭揚楊葉約"
    "澤茲遜緹"
    "·・‧-－"  # joiners inside full names: 卡瑟姆-若马尔特·托卡耶夫
)
_JOINERS = "·・‧-－"
# Transliteration characters that are also everyday words; a name does not start with them.
_NONINITIAL = frozenset("若因許许") | frozenset(_JOINERS)
# Titles and roles written right before a name; some end in a transliteration character
# (总理, 主席, 丈夫), so a name never starts inside one.
_TITLE_WORDS = (
    "总统 总理 首相 主席 外长 部长 国务卿 发言人 大使 议员 州长 市长 议长 院长 局长 国王 女王 王子"
    " 公主 王妃 亲王 教宗 教皇 主教 总书记 总裁 董事长 执行长 首席执行官 创办人 创始人 教授 博士"
    " 先生 女士 小姐 夫人 将军 上将 司令 总督 记者 作家 导演 演员 歌手 球星 球员 教练 律师 法官"
    " 官员 代表 特使 专家 学者 领导人 领袖 总干事 秘书长 主任 委员 顾问 候选人 丈夫 妻子 儿子 女儿"
    " 母亲 父亲 防长 首都 城市 总統 總統 總理 外長 部長 國務卿 發言人 議員 州長 市長 議長 院長"
    " 局長 國王 親王 總書記 總裁 董事長 執行長 創辦人 創始人 將軍 總督 記者 導演 演員 歌手 球員"
    " 教練 律師 官員 專家 學者 領導人 領袖 總幹事 祕書長 秘書長 顧問 候選人 兒子 女兒 母親 父親"
    " 防長"
)
_TITLES = tuple(_TITLE_WORDS.split())
# Words a clause starts with that are not names (for the "short run after punctuation" rule).
_NOT_NAME_START = frozenset("据據他她它我你们們在对對向但而并並也还還这這那该該其此与與和及同跟或")
_CLAUSE_BREAKS = frozenset("，。；：！？、,;:!?“”「」『』\n \u3000")
_OPEN_QUOTES = {"”": "“", "」": "「", "』": "『", "》": "《", "〉": "〈", '"': '"'}
# "BBC 2000人": a number followed by a measure word or unit stays a number (not "iPhone 15上市").
_UNIT_AFTER_NUMBER = re.compile(
    r"\s?(?:[人名个個位万萬亿億千百元年月日号號岁歲次件辆輛架艘座所家国國项項条條天倍台"
    r"多余餘%％‰]|小时|小時|分钟|分鐘|公里|公斤|美元|km|kg|cm|mm|m\b|g\b|t\b)"
)

# --- Latin spans -------------------------------------------------------------------------------

_URL = r"(?:https?://|www\.)[^\s<>\"'“”‘’（）()，。、；：！？【】《》「」" + HAN_RANGES + r"]+"
_EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
# One word: letters and digits, joined inside by - ' ’ . & _ / (COVID-19, O'Brien, U.S, AT&T);
# @handles and #tags keep their sigil.
# A word may end in ++ or # (C++, C#, F#) or be a brand written with its ! (Yahoo!).
_BRANDS = "Yahoo|Jeopardy|Wham|Panic"
_WORD = f"[@#]?(?:(?:{_BRANDS})!|[{_ALNUM}]+(?:[-'’.&_/][{_ALNUM}]+)*(?:\\+\\+|(?<=[A-Za-z])#)?)"
_WORD_RE = re.compile(_WORD)
# A phrase quoted in English inside the Chinese (“Hello? World!”): one span, punctuation and all.
_QUOTED = (
    r"(?<=[“\"「『])(?=[^“”\"「」『』\n]*[A-Za-z])[A-Za-z0-9 ,.;:!?'’&%$@#()\-]{1,200}(?=[”\"」』])"
)
_ADDRESS_RE = re.compile(f"(?P<url>{_URL})|(?P<email>{_EMAIL})|(?P<quote>{_QUOTED})")
_ABBREVIATION_WORDS = (
    "mr mrs ms dr jr sr st prof gen col lt sgt gov sen rep inc ltd co corp bros no vs"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# Between two words of one span: spaces, at most one line break (a name wrapped across lines).
_GAP_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*")


@dataclass(frozen=True)
class Found:
    """A protected span and where it is in the text."""

    start: int
    end: int
    span: Span


def _word_end(text: str, m: re.Match[str]) -> int:
    """Where a word really ends: keep the period of an initial, a dotted acronym, Mr., etc."""
    end = m.end()
    word = m.group(0)
    if end < len(text) and text[end] == "." and _LATIN_RE.search(word):
        bare = word.lstrip("@#")
        if (
            len(bare) == 1
            or re.fullmatch(f"(?:[{_LETTER}]\\.)+[{_LETTER}]", bare)
            or bare.lower() in _ABBREVIATIONS
        ):
            return end + 1
    return end


def _latin_spans(text: str, start: int, end: int) -> list[Found]:
    """Latin-script spans in text[start:end]: URLs and e-mail addresses, then words."""
    found: list[Found] = []
    pos = start
    for m in _ADDRESS_RE.finditer(text, start, end):
        found.extend(_word_spans(text, pos, m.start()))
        address = m.group(0)
        if m.group("url"):
            address = address.rstrip(".,;:!?'\"")
            kind = "url"
        elif m.group("quote"):
            if not re.search(r"[,;:!?]|\.\s", address.strip()):
                continue  # words without punctuation: the word rule takes them
            kind = "quote"
        else:
            kind = "email"
        render = _normalize_latin(address) if kind == "quote" else address
        found.append(Found(m.start(), m.start() + len(address), Span(address, render, kind)))
        pos = m.start() + len(address)
    found.extend(_word_spans(text, pos, end))
    return found


def _word_spans(text: str, start: int, end: int) -> list[Found]:
    """Latin words in text[start:end], joined by single gaps into one span."""
    found: list[Found] = []
    pos = start
    region = text[:end]
    while True:
        m = _WORD_RE.search(region, pos)
        if not m:
            break
        word = m.group(0)
        if not _LATIN_RE.search(word):
            pos = m.end()  # a bare number: the model translates it, the checks compare it
            continue
        s, e = m.start(), _word_end(region, m)
        # Extend with following words: "Kassym-Jomart Tokayev", "iPhone 15", "Donald J. Trump".
        while True:
            gap = _GAP_RE.match(region, e)
            if gap is None or gap.end() == e:
                break
            nxt = _WORD_RE.match(region, gap.end())
            if nxt is None:
                break
            w = nxt.group(0)
            if w.startswith(("@", "#")):
                break
            numbered = region[s:e].lower().endswith("no.")  # No. 1 is one span
            if (
                not _LATIN_RE.search(w)
                and not numbered
                and _UNIT_AFTER_NUMBER.match(region, nxt.end())
            ):
                break
            e = _word_end(region, nxt)
        source = text[s:e]
        kind = "latin"
        found.append(Found(s, e, Span(source, _normalize_latin(source), kind)))
        pos = e
    return found


def _normalize_latin(s: str) -> str:
    s = unicodedata.normalize("NFC", s)
    return re.sub(r"\s+", " ", s).strip()


# --- glosses: 中文名（Latin Name） ------------------------------------------------------------

_PAREN_RE = re.compile(r"[ \t\u3000]*[（(][ \t\u3000\u00a0]*([^（）()]*?)[ \t\u3000\u00a0]*[）)]")
_GLOSS_CONTENT_RE = re.compile(f"[{_ALNUM} \t\n\u00a0\\-'’.&_/@:+，,、；;·!?#]+")
_ACRONYM_RE = re.compile(r"[A-Z][A-Z0-9&.\-]*[A-Z0-9.]")


@dataclass(frozen=True)
class Gloss:
    """A Latin gloss in parentheses and, when it could be told, the Chinese name it glosses."""

    start: int  # of the Chinese name (or of the parenthesis when there is none)
    end: int
    zh: str  # the Chinese name without quotes; "" when unsure
    render: str
    latin: str  # the parenthesis content, normalised


def _gloss_render(content: str) -> str:
    """`Long Name，ACRONYM` -> `Long Name (ACRONYM)`; anything else, the content normalised."""
    content = _normalize_latin(content)
    parts = [p.strip() for p in re.split(r"[，,、;；]", content)]
    if len(parts) == 2 and all(parts):
        long, short = parts
        if _ACRONYM_RE.fullmatch(short) and not _ACRONYM_RE.fullmatch(long):
            return f"{long} ({short})"
        if _ACRONYM_RE.fullmatch(long) and not _ACRONYM_RE.fullmatch(short):
            return f"{short} ({long})"
    return re.sub(r"\s*[，、]\s*", ", ", re.sub(r"\s*[；]\s*", "; ", content))


def _vowel_groups(latin: str) -> int:
    return len(re.findall(r"[aeiouyAEIOUYà-ÿÀ-ß]+", latin)) or 1


def _name_before(
    text: str, pos: int, latin: str, glossary: Glossary | None, floor: int
) -> tuple[int, str] | None:
    """Where the Chinese name glossed by a parenthesis at `pos` starts, and the name itself."""
    end = pos
    while end > floor and text[end - 1] in " \t\u3000":
        end -= 1
    if end <= floor:
        return None
    closing = text[end - 1]
    # A quoted or titled name: “集体安全公约组织”（…）, 《纽约时报》（…）.
    if closing in _OPEN_QUOTES:
        opening = _OPEN_QUOTES[closing]
        start = text.rfind(opening, floor, end - 1)
        if start >= 0:
            inner = text[start + 1 : end - 1]
            if inner and has_han(inner) and len(inner) <= 40 and not _LATIN_RE.search(inner):
                return start, inner
        return None
    run_start = end
    while run_start > floor and (
        HAN_RE.match(text[run_start - 1]) or text[run_start - 1] in _JOINERS
    ):
        run_start -= 1
    while run_start < end and text[run_start] in _JOINERS:
        run_start += 1
    run = text[run_start:end]
    if len(run) < 2:
        return None
    # A glossary term right before the parenthesis is the name.
    if glossary is not None:
        for j in range(len(run) - 1):
            if run[j:] in glossary:
                return run_start + j, run[j:]
    # Where the last title or role before the parenthesis ends: a name never starts inside one.
    after_title = 0
    for title in _TITLES:
        i = run.rfind(title)
        if i >= 0 and i + len(title) < len(run):
            after_title = max(after_title, i + len(title))
    limit = 2 * _vowel_groups(latin) + 2
    if _ACRONYM_RE.fullmatch(latin):
        limit = min(limit, 4)
    # A transliterated name: the transliteration characters right before the parenthesis.
    k = _translit_start(run, after_title, len(run), limit)
    if k is not None:
        return run_start + k, run[k:]
    # A transliterated name with its title: 哈里王子（Prince Harry）, 查尔斯国王（King Charles）.
    for title in _TITLES:
        if run.endswith(title) and len(run) > len(title):
            k = _translit_start(run, after_title, len(run) - len(title), limit)
            if k is not None:
                return run_start + k, run[k:]
    # A Chinese name (2-4 characters) right after a title: 外交部发言人赵立坚（Zhao Lijian）.
    if after_title and 2 <= len(run) - after_title <= 4:
        return run_start + after_title, run[after_title:]
    # A short term that starts its clause: ，北约（NATO）, 。元宇宙（metaverse）.
    if (
        2 <= len(run) <= 6
        and not after_title
        and (run_start == 0 or text[run_start - 1] in _CLAUSE_BREAKS)
        and run[0] not in _NOT_NAME_START
    ):
        return run_start, run
    return None


def _translit_start(run: str, lo: int, end: int, limit: int) -> int | None:
    """Start of the transliterated name ending at run[end], of 2 to `limit` characters."""
    k = end
    while k > lo and run[k - 1] in TRANSLIT:
        k -= 1
    while k < end and run[k] in _NONINITIAL:
        k += 1
    letters = sum(1 for ch in run[k:end] if ch not in _JOINERS)
    return k if 2 <= letters <= limit else None


def find_glosses(text: str, glossary: Glossary | None = None) -> list[Gloss]:
    """Every parenthesised Latin gloss in `text`, with the Chinese name it follows if known."""
    out: list[Gloss] = []
    floor = 0
    for m in _PAREN_RE.finditer(text):
        content = m.group(1)
        if (
            not content
            or not _LATIN_RE.search(content)
            or has_han(content)
            or not _GLOSS_CONTENT_RE.fullmatch(content)
        ):
            continue
        latin = _normalize_latin(content)
        render = _gloss_render(content)
        paren_start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(" \t\u3000"))
        named = None
        if not re.fullmatch(f"{_URL}|{_EMAIL}", latin):
            named = _name_before(text, m.start(), latin, glossary, floor)
        if named is None:
            out.append(Gloss(paren_start, m.end(), "", f"({render})", latin))
        else:
            start, zh = named
            out.append(Gloss(start, m.end(), zh, render, latin))
        floor = m.end()
    return out


# --- protect -----------------------------------------------------------------------------------


def _glossary_spans(
    text: str, start: int, end: int, glossary: Glossary
) -> tuple[list[Found], list[tuple[int, int]]]:
    found: list[Found] = []
    gaps: list[tuple[int, int]] = []
    pos = start
    for s, e, entry in glossary.find(text, start, end):
        found.append(Found(s, e, Span(text[s:e], entry.en, "glossary")))
        gaps.append((pos, s))
        pos = e
    gaps.append((pos, end))
    return found, gaps


def _find_spans(segment: str, glossary: Glossary | None) -> list[Found]:
    found: list[Found] = []
    gaps: list[tuple[int, int]] = []
    pos = 0
    for g in find_glosses(segment, glossary):
        if g.start < pos:
            continue
        kind = "gloss" if g.zh else "latin"
        if not g.zh and re.fullmatch(_URL, g.latin):
            kind = "url"
        elif not g.zh and re.fullmatch(_EMAIL, g.latin):
            kind = "email"
        found.append(Found(g.start, g.end, Span(segment[g.start : g.end], g.render, kind)))
        gaps.append((pos, g.start))
        pos = g.end
    gaps.append((pos, len(segment)))
    if glossary:
        latin_gaps: list[tuple[int, int]] = []
        for s, e in gaps:
            more, sub = _glossary_spans(segment, s, e, glossary)
            found.extend(more)
            latin_gaps.extend(sub)
        gaps = latin_gaps
    for s, e in gaps:
        if s < e:
            found.extend(_latin_spans(segment, s, e))
    found.sort(key=lambda f: f.start)
    return found


def protect(segment: str, glossary: Glossary | None = None) -> Protected:
    """Replace every span that must survive translation verbatim by a placeholder."""
    return build(segment, _find_spans(segment, glossary))


def find_spans(text: str, glossary: Glossary | None = None) -> list[Found]:
    """Every protected span of `text`, in order, with its place."""
    return _find_spans(text, glossary)


def build(text: str, found: Sequence[Found], start: int = 0, end: int | None = None) -> Protected:
    """The Protected segment text[start:end], whose spans are `found` (placed in `text`)."""
    stop = len(text) if end is None else end
    segment = text[start:stop]
    out: list[str] = []
    parts: list[str] = []
    pos = 0
    for i, f in enumerate(found):
        s, e = f.start - start, f.end - start
        before = segment[pos:s]
        parts.append(before)
        out.append(before)
        ph = placeholder(i)
        prev = before[-1:] or (out[-2][-1:] if len(out) > 1 else "")
        if prev and _ASCII_ALNUM.match(prev):
            ph = " " + ph
        nxt = segment[e : e + 1]
        if nxt and _ASCII_ALNUM.match(nxt):
            ph += " "
        out.append(ph)
        pos = e
    parts.append(segment[pos:])
    out.append(segment[pos:])
    return Protected(segment, "".join(out), tuple(f.span for f in found), tuple(parts))


# --- restore -----------------------------------------------------------------------------------

_STRAY_BRACKETS_RE = re.compile(r"[\[<{«]\s*(\x00\d+\x00)\s*[\]>}»]")


def restore(output: str, p: Protected) -> Restored:
    """Put the renders back where the engine left the placeholders, and say if all came back."""
    n = len(p.spans)
    matches = list(PLACEHOLDER_RE.finditer(output))
    counts = Counter(int(m.group(1)) for m in matches)
    problems: list[str] = []
    broken: set[int] = set()
    for i in range(n):
        if counts[i] == 0:
            problems.append(f"{p.spans[i].render!r}: placeholder missing")
            broken.add(i)
        elif counts[i] > 1:
            problems.append(f"{p.spans[i].render!r}: placeholder repeated {counts[i]} times")
            broken.add(i)
    for i in sorted(k for k in counts if k >= n):
        problems.append(f"unknown placeholder {placeholder(i)}")
    # Mark kept placeholders with NUL-delimited indexes, drop repeats and unknown ones.
    seen: set[int] = set()
    pieces_out: list[str] = []
    pos = 0
    for m in matches:
        pieces_out.append(output[pos : m.start()])
        i = int(m.group(1))
        if i < n and i not in seen:
            seen.add(i)
            pieces_out.append(f"\x00{i}\x00")
        pos = m.end()
    pieces_out.append(output[pos:])
    marked = "".join(pieces_out)
    leftover = _GARBLED_RE.findall(marked)
    if leftover:
        problems.append(f"garbled placeholder {leftover[0]!r}")
    if (leftover or any(k >= n for k in counts)) and not broken:
        broken = set(range(n))
    marked = _STRAY_BRACKETS_RE.sub(r"\1", marked)
    marked = _drop_echoes(marked, p)

    def put(m: re.Match[str]) -> str:
        return p.spans[int(m.group(1))].render

    # Tidy the engine's spacing before the renders go in: a render is never touched.
    text = re.sub(r"\x00(\d+)\x00", put, _tidy(marked))
    return Restored(
        text=text,
        ok=not problems,
        problems=problems,
        broken=[p.spans[i].render for i in sorted(broken)],
    )


def _drop_echoes(marked: str, p: Protected) -> str:
    """Undo a model that wrapped a placeholder, or also translated the name it stands for.

    Parentheses the model put around a placeholder go, unless the text it saw had them there
    (a gloss's own parentheses are inside its span). Before a gloss placeholder, the model's
    own rendering of the name goes too: `Tokayev QZ0` with QZ0 = "Kassym-Jomart Tokayev".
    """
    for i, span in enumerate(p.spans):
        mark = re.escape(f"\x00{i}\x00")
        ph = placeholder(i)
        if not re.search(rf"[（(]\s*{ph}\s*[）)]", p.text):
            marked = re.sub(rf"\(\s*({mark})\s*\)", r"\1", marked)
        if span.kind != "gloss":
            continue
        words = re.findall(r"[^\W\d_][\w'’\-]*", span.render.split("(")[0])
        for k in range(len(words), 0, -1):
            echo = r"\s+".join(re.escape(w) for w in words[-k:])
            marked, n = re.subn(rf"(?i)(?<![\w'’-]){echo}\s*({mark})", r"\1", marked)
            if n:
                break
    return marked


def _tidy(text: str) -> str:
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r" +([,.;:!?)\]])", r"\1", text)
    text = re.sub(r"([(\[]) +", r"\1", text)
    return text.strip()


# --- repair ------------------------------------------------------------------------------------


def _needs_translation(part: str) -> bool:
    return has_han(part)


def pieces(p: Protected) -> list[str]:
    """The Chinese between the spans that needs translating, in order (no placeholders).

    Parts without Han characters (punctuation, digits, spaces) are not sent: `join_pieces`
    keeps them as they are.
    """
    return [part.strip() for part in p.parts if _needs_translation(part)]


def join_pieces(p: Protected, translated: Sequence[str]) -> str:
    """Join the translated pieces with the renders in their original places.

    Every render appears exactly where its span was; anything in the translations that looks
    like a placeholder is dropped, so no span is ever invented.
    """
    wanted = pieces(p)
    if len(translated) != len(wanted):
        raise ValueError(f"join_pieces: {len(translated)} translations for {len(wanted)} pieces")
    it = iter(translated)
    out: list[str] = []
    for i, part in enumerate(p.parts):
        if _needs_translation(part):
            en = PLACEHOLDER_RE.sub("", next(it))
            out.append(_tidy(en))
        elif part.strip():
            out.append(part.strip())
        if i < len(p.spans):
            out.append(p.spans[i].render)
    return _join(out)


_NO_SPACE_BEFORE = set(",.;:!?)]}%”’") | set("，。、；：！？）】》」』")
_NO_SPACE_AFTER = set("([{“‘") | set("（【《「『，。、；：！？）】》」』")


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if not part:
            continue
        if text and not (
            text[-1] in _NO_SPACE_AFTER or part[0] in _NO_SPACE_BEFORE or text[-1].isspace()
        ):
            text += " "
        text += part
    return text.strip()


# --- English punctuation -----------------------------------------------------------------------

_STOPS = {"，": ",", "、": ",", "。": ".", "．": ".", "；": ";", "：": ":", "！": "!", "？": "?"}
_OPENERS = {"（": "(", "【": "[", "〔": "[", "〖": "["}
_CLOSERS = {"）": ")", "】": "]", "〕": "]", "〗": "]"}
_OPEN_QUOTE = set("“《〈「『")
_CLOSE_QUOTE = set("”》〉」』")


def english_punctuation(en: str, renders: Sequence[str] = ()) -> str:
    """No Chinese punctuation in English text: 。，、“”《》（）：；！？【】… become English forms.

    Only the converted marks get new spacing (none before , . ; : ! ? and closing brackets and
    quotes, one after them before a word); the rest of the English is left as it is, curly
    apostrophes included. Strings passed in `renders` are not touched at all: pass the block's
    renders, since a glossary rendering may hold “curly quotes” of its own.
    """
    masks: dict[str, str] = {}
    for i, r in enumerate(sorted(set(filter(None, renders)), key=len, reverse=True)):
        key = chr(0xE000 + i)
        if r in en:
            en = en.replace(r, key)
            masks[key] = r
    en = en.replace("……", "...").replace("…", "...").replace("——", "—")
    en = re.sub(r"(?<=\d)[～〜](?=\d)", "-", en)
    en = re.sub(r"(?<=\d)：(?=\d)", ":", en)
    out: list[str] = []
    space_next = False  # a converted mark wants a space before the next word
    skip_space = False  # a converted opening mark wants no space after it

    def trim() -> None:
        while out and out[-1] == " ":
            out.pop()

    for ch in en:
        if ch in _STOPS:
            trim()
            out.append(_STOPS[ch])
            space_next, skip_space = True, False
        elif ch in _OPENERS or ch in _OPEN_QUOTE:
            if out and out[-1] not in " ([":
                out.append(" ")
            out.append(_OPENERS.get(ch, '"'))
            space_next, skip_space = False, True
        elif ch in _CLOSERS or ch in _CLOSE_QUOTE:
            trim()
            out.append(_CLOSERS.get(ch, '"'))
            space_next, skip_space = True, False
        elif ch in " \u3000\t":
            if not skip_space:
                out.append(" ")
            space_next = False
        else:
            if "\uff01" <= ch <= "\uff5e":
                ch = unicodedata.normalize("NFKC", ch)
            elif ch == "～" or ch == "〜":
                ch = "~"
            if space_next and (ch.isalnum() or ch in '("' or "\ue000" <= ch <= "\uf8ff"):
                out.append(" ")
            out.append(ch)
            space_next = skip_space = False
    en = "".join(out)
    en = re.sub(r",(?:\s*,)+", ",", en)
    en = re.sub(r",\s*(?=[.;:!?])", "", en)
    en = re.sub(r"(?<![.\d])\.\s*\.(?!\.)", ".", en)
    en = re.sub(r"[ \t]{2,}", " ", en).strip()
    for key, r in masks.items():
        en = en.replace(key, r)
    return en
