"""Which stretches of a Chinese text are names, and how English news writes them.

Latin-script names, acronyms, brands, handles, URLs, e-mail addresses and quoted English phrases
are found as they are written; a gloss ``中文名（Latin Name）`` is found together with the
Chinese name it glosses (transliteration characters, titles and quotes tell where that starts).

English news writes a name in full once, then short: the surname where the Chinese uses the
surname alone (托卡叶夫 -> Tokayev; the last part of 卡瑟姆-若马尔特·托卡耶夫 likewise), the
acronym after an organisation was introduced with one. `short_form` says what the short form
is, `Mentions` follows a document in reading order, and `spelling_variants` links two spellings
of one transliteration (托卡耶夫/托卡叶夫).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from dataclasses import dataclass

from bilingual.names.spans import Found, Span
from bilingual.textutil import HAN_RANGES, HAN_RE, has_han

# Only membership of a Chinese term is asked of a glossary here, so any container of terms will
# do; naming `Glossary` would make the glossary and the name finder import each other.
Terms = Container[str]

__all__ = [
    "EMAIL",
    "TRANSLIT",
    "URL",
    "Gloss",
    "Mentions",
    "find_glosses",
    "latin_spans",
    "person_tokens",
    "short_form",
    "spelling_variants",
    "surname_term",
]

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
_ORG_SUFFIXES = tuple(
    [
        "组织",
        "公司",
        "集团",
        "银行",
        "委员会",
        "联盟",
        "协会",
        "大学",
        "机构",
        "基金会",
        "理事会",
        "议会",
        "法院",
        "中心",
        "研究所",
        "论坛",
        "联合会",
        "共同体",
        "同盟",
        "通讯社",
        "电视台",
        "组織",
        "銀行",
        "委員會",
        "聯盟",
        "協會",
        "機構",
        "基金會",
        "理事會",
        "議會",
        "研究所",
        "論壇",
    ]
)
_ORG_START = "的和与及在对向為为與"
_PREPOSITIONS = frozenset("据據")  # 据美联社（AP）报道
_CLAUSE_BREAKS = frozenset("，。；：！？、,;:!?“”「」『』\n \u3000")
_OPEN_QUOTES = {"”": "“", "」": "「", "』": "『", "》": "《", "〉": "〈", '"': '"'}
# "BBC 2000人": a number followed by a measure word or unit stays a number (not "iPhone 15上市").
_UNIT_AFTER_NUMBER = re.compile(
    r"\s?(?:[人名个個位万萬亿億千百元年月日号號岁歲次件辆輛架艘座所家国國项項条條天倍台"
    r"多余餘%％‰]|小时|小時|分钟|分鐘|公里|公斤|美元|km|kg|cm|mm|m\b|g\b|t\b)"
)

# --- Latin spans -------------------------------------------------------------------------------

URL = r"(?:https?://|www\.)[^\s<>\"'“”‘’（）()，。、；：！？【】《》「」" + HAN_RANGES + r"]+"
EMAIL = r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+"
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
_ADDRESS_RE = re.compile(f"(?P<url>{URL})|(?P<email>{EMAIL})|(?P<quote>{_QUOTED})")
_ABBREVIATION_WORDS = (
    "mr mrs ms dr jr sr st prof gen col lt sgt gov sen rep inc ltd co corp bros no vs"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
# Between two words of one span: spaces, at most one line break (a name wrapped across lines).
_GAP_RE = re.compile(r"[ \t\u00a0]*\n?[ \t\u00a0]*")


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


def latin_spans(text: str, start: int, end: int) -> list[Found]:
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


@dataclass(frozen=True)
class _Run:
    """The Han run right before a gloss's parenthesis, and what the name rules read of it."""

    text: str
    start: int  # of the run in `text`
    run: str
    latin: str  # the gloss
    glossary: Terms | None
    after_title: int  # where the last title or role in the run ends (0: none)
    limit: int  # the most characters a transliteration of `latin` takes

    @classmethod
    def before(cls, text: str, end: int, floor: int, latin: str, glossary: Terms | None) -> _Run:
        start = end
        while start > floor and (HAN_RE.match(text[start - 1]) or text[start - 1] in _JOINERS):
            start -= 1
        while start < end and text[start] in _JOINERS:
            start += 1
        run = text[start:end]
        # A name never starts inside a title or role.
        after_title = 0
        for title in _TITLES:
            i = run.rfind(title)
            if i >= 0 and i + len(title) < len(run):
                after_title = max(after_title, i + len(title))
        limit = 2 * _vowel_groups(latin) + 2
        if _ACRONYM_RE.fullmatch(latin):
            limit = min(limit, 4)
        return cls(text, start, run, latin, glossary, after_title, limit)


# Where the glossed name starts in the run, rule by rule, first answer wins (None: no answer).


def _glossary_term(r: _Run) -> int | None:
    """A glossary term right before the parenthesis is the name."""
    if r.glossary is not None:
        for j in range(len(r.run) - 1):
            if r.run[j:] in r.glossary:
                return j
    return None


def _transliteration(r: _Run) -> int | None:
    """The transliteration characters right before the parenthesis."""
    return _translit_start(r.run, r.after_title, len(r.run), r.limit)


def _transliteration_and_title(r: _Run) -> int | None:
    """A transliterated name with its title: 哈里王子（Prince Harry）, 查尔斯国王（King Charles）."""
    for title in _TITLES:
        if r.run.endswith(title) and len(r.run) > len(title):
            k = _translit_start(r.run, r.after_title, len(r.run) - len(title), r.limit)
            if k is not None:
                return k
    return None


def _after_title(r: _Run) -> int | None:
    """A Chinese name (2-4 characters) right after a title: 外交部发言人赵立坚（Zhao Lijian）."""
    return r.after_title if r.after_title and 2 <= len(r.run) - r.after_title <= 4 else None


def _clause_start(r: _Run) -> int | None:
    """A short term that starts its clause: ，北约（NATO）, 。元宇宙（metaverse）; a preposition
    before it is not part of it (据美联社（AP）)."""
    lead = 1 if len(r.run) > 3 and r.run[0] in _PREPOSITIONS else 0
    starts_clause = r.start == 0 or r.text[r.start - 1] in _CLAUSE_BREAKS
    short = 2 <= len(r.run) - lead <= 6
    if short and not r.after_title and starts_clause and r.run[lead] not in _NOT_NAME_START:
        return lead
    return None


def _organisation(r: _Run) -> int | None:
    """An organisation: 俄罗斯领导的集体安全条约组织（…）, from after the last 的/和/与 or the
    clause start."""
    if not r.run.endswith(_ORG_SUFFIXES):
        return None
    k = max(r.run.rfind(ch) for ch in _ORG_START) + 1
    while k < len(r.run) and r.run[k] in _NOT_NAME_START:
        k += 1
    return k if 3 <= len(r.run) - k <= 14 else None


_NAME_RULES = (
    _glossary_term,
    _transliteration,
    _transliteration_and_title,
    _after_title,
    _clause_start,
    _organisation,
)


def _quoted_name(text: str, end: int, floor: int) -> tuple[int, str] | None:
    """A quoted or titled name: “集体安全公约组织”（…）, 《纽约时报》（…）."""
    start = text.rfind(_OPEN_QUOTES[text[end - 1]], floor, end - 1)
    if start >= 0:
        inner = text[start + 1 : end - 1]
        if inner and has_han(inner) and len(inner) <= 40 and not _LATIN_RE.search(inner):
            return start, inner
    return None


def _name_before(
    text: str, pos: int, latin: str, glossary: Terms | None, floor: int
) -> tuple[int, str] | None:
    """Where the Chinese name glossed by a parenthesis at `pos` starts, and the name itself."""
    end = pos
    while end > floor and text[end - 1] in " \t\u3000":
        end -= 1
    if end <= floor:
        return None
    if text[end - 1] in _OPEN_QUOTES:
        return _quoted_name(text, end, floor)
    r = _Run.before(text, end, floor, latin, glossary)
    if len(r.run) < 2:
        return None
    for rule in _NAME_RULES:
        k = rule(r)
        if k is not None:
            return r.start + k, r.run[k:]
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


def find_glosses(text: str, glossary: Terms | None = None) -> list[Gloss]:
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
        if not re.fullmatch(f"{URL}|{EMAIL}", latin):
            named = _name_before(text, m.start(), latin, glossary, floor)
        if named is None:
            out.append(Gloss(paren_start, m.end(), "", f"({render})", latin))
        else:
            start, zh = named
            out.append(Gloss(start, m.end(), zh, render, latin))
        floor = m.end()
    return out


# --- names as English news writes them ---------------------------------------------------------

_DOTS = "·・‧"
# First words of multi-word place names: "New York" is not Mr York.
_PLACE_FIRST = frozenset(
    [
        "new",
        "san",
        "santa",
        "los",
        "las",
        "saint",
        "st",
        "st.",
        "sao",
        "são",
        "port",
        "puerto",
        "mount",
        "lake",
        "north",
        "south",
        "east",
        "west",
        "upper",
        "lower",
        "great",
        "greater",
        "united",
        "hong",
        "buenos",
        "sri",
        "el",
        "costa",
        "tel",
        "abu",
        "addis",
        "sierra",
        "cape",
        "rio",
        "saudi",
        "czech",
        "central",
        "bosnia",
        "trinidad",
        "antigua",
        "marshall",
        "solomon",
        "cook",
        "virgin",
        "golden",
        "kuala",
        "dar",
        "ho",
        "phnom",
        "papua",
        "guinea",
        "ivory",
        "burkina",
        "sao",
        "cabo",
    ]
)
# Particles that belong to a surname: Marine Le Pen -> Le Pen, Ursula von der Leyen -> von der Leyen.
_PARTICLES = frozenset(
    [
        "le",
        "la",
        "de",
        "del",
        "della",
        "di",
        "da",
        "du",
        "van",
        "von",
        "der",
        "den",
        "dos",
        "das",
        "al",
        "bin",
        "ben",
        "ibn",
    ]
)
_SUFFIXES = frozenset(["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"])
_ACRONYM_GLOSS_RE = re.compile(r".+ \(([A-Z][A-Z0-9&.\-]*[A-Z0-9.])\)")
_NAME_TOKEN_RE = re.compile(f"[A-Z][{_LETTER}'’\\-]*\\.?")


def _surname(tokens: list[str]) -> str:
    k = len(tokens) - 1
    while k > 1 and tokens[k - 1].lower() in _PARTICLES:
        k -= 1
    return " ".join(tokens[k:])


def person_tokens(zh: str, render: str) -> list[str] | None:
    """The Latin tokens of a foreign person's name glossed by transliterated Chinese, else None.

    A person: 2-4 capitalised words (particles aside), the Chinese all transliteration
    characters, not a place that starts like one (New York, Sri Lanka), no Jr./III ending.
    """
    letters = [c for c in zh if c not in _DOTS and c not in _JOINERS]
    if len(letters) < 2 or any(c not in TRANSLIT for c in letters):
        return None
    tokens = render.split()
    if not 2 <= len(tokens) <= 4 or tokens[0].lower() in _PLACE_FIRST:
        return None
    if tokens[-1].lower() in _SUFFIXES:
        return None
    if not all(t.lower() in _PARTICLES or _NAME_TOKEN_RE.fullmatch(t) for t in tokens):
        return None
    return tokens


def short_form(zh: str, render: str) -> str:
    """What a later mention of a glossed name reads as in English news, or "" (the render).

    An organisation introduced with its acronym is the acronym (`CSTO`); a foreign person
    whose Chinese name is the surname alone (托卡叶夫 for Kassym-Jomart Tokayev) is the surname.
    """
    m = _ACRONYM_GLOSS_RE.fullmatch(render)
    if m:
        return m.group(1)
    if any(d in zh for d in _DOTS):
        return ""  # the Chinese gives the full name: so does the English
    tokens = person_tokens(zh, render)
    return _surname(tokens) if tokens else ""


def surname_term(zh: str, render: str) -> tuple[str, str] | None:
    """For a ·-separated name, its last Chinese part and the surname it stands for:
    卡瑟姆-若马尔特·托卡耶夫（Kassym-Jomart Tokayev） -> (托卡耶夫, Tokayev)."""
    parts = [p for p in re.split(f"[{_DOTS}]", zh) if p]
    if len(parts) < 2:
        return None
    tokens = person_tokens(zh, render)
    if not tokens or len(parts[-1]) < 2:
        return None
    return parts[-1], _surname(tokens)


# Transliteration characters that sound the same: one foreign name, spelt either way in one
# article (托卡耶夫/托卡叶夫).
_SAME_SOUND = [
    "耶叶",
    "伊依",
    "亚娅雅",
    "里理丽莉利黎",
    "尔儿",
    "夫弗伏福",
    "斯丝思",
    "纳娜那",
    "尼妮",
    "西希锡席",
    "基吉济",
    "科柯",
    "莫默墨",
    "维威韦",
    "塞赛",
    "莎沙",
    "琳林",
    "马玛",
    "蒂迪狄",
    "娃瓦",
    "洛罗",
    "杰捷",
    "比毕",
    "奥澳",
    "艾爱",
    "伯博勃",
    "波玻",
    "顿敦",
    "卢鲁路露",
    "蒙孟",
    "米密",
    "兹滋",
    "齐奇",
    "金津",
    "萨撒",
    "加佳迦",
    "拉腊",
    "莱赖",
    "兰蓝",
]
_SOUND_OF = {ch: group for group in _SAME_SOUND for ch in group}


def spelling_variants(term: str, text: str) -> set[str]:
    """Other spellings of the transliterated name `term` in `text` (same sounds, same length)."""
    letters = [c for c in term if c not in _JOINERS and c not in _DOTS]
    if len(letters) < 3 or any(c not in TRANSLIT for c in letters):
        return set()
    if not any(c in _SOUND_OF for c in term):
        return set()
    pattern = "".join(f"[{_SOUND_OF[c]}]" if c in _SOUND_OF else re.escape(c) for c in term)
    return {m.group(0) for m in re.finditer(pattern, text)} - {term}


class Mentions:
    """The names a document has mentioned so far, in reading order: the first mention of a
    glossed name is its full render, a later one its short form."""

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def mention(self, render: str, short: str = "") -> str:
        """The render for this mention of a name (full the first time), and remember it."""
        if short and render in self._seen:
            return short
        self._seen.add(render)
        return render
