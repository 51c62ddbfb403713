"""Bytes to text: BOMs, UTF-8, UTF-16, then GB18030/GBK/Big5 by detection."""

from __future__ import annotations

import codecs
import re

from bilingual.errors import DecodingError, InputError
from bilingual.textutil import han_count

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Detected legacy Chinese encodings are read with their supersets: GB18030 covers GB2312 and GBK,
# CP950 (Big5 as Windows writes it) covers plain Big5's common characters and more.
_SUPERSET = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "hz": "gb18030",
    "big5": "cp950",
    "big5hkscs": "big5hkscs",
    "cp950": "cp950",
}
_CANDIDATES = ("gb18030", "cp950", "big5hkscs")

ENCODING_HINT = "pass --encoding (for example --encoding gb18030 or --encoding big5)"


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 with no BOM: NUL bytes (ASCII characters) all on one side, and text that reads."""
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for enc, ascii_zeros, other_zeros in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if any(ord(ch) < 32 and ch not in "\r\n\t" for ch in text):
            continue
        mostly_ascii = other_zeros == 0 and ascii_zeros >= half * 0.2
        if _chinese_likelihood(text) > 0.2 or mostly_ascii:
            return text, enc
    return None


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode `data`; returns (text, encoding used). Raises DecodingError with a fix."""
    if encoding:
        try:
            info = codecs.lookup(encoding)
        except (LookupError, ValueError, TypeError):
            raise DecodingError(f"unknown encoding {encoding!r} given to --encoding") from None
        # base64, hex, rot13, zlib, bz2, uu, quopri are codecs too, but not text encodings.
        if not getattr(info, "_is_text_encoding", True):
            raise DecodingError(
                f"{encoding!r} is not a text encoding (give one such as utf-8, gb18030 or big5)"
            )
        try:
            return data.decode(encoding), encoding
        except (UnicodeError, LookupError, ValueError) as exc:
            if not isinstance(exc, UnicodeDecodeError):
                raise DecodingError(
                    f"cannot decode as {encoding}; try another --encoding"
                ) from None
            raise DecodingError(
                f"cannot decode as {encoding} (byte {exc.start}); try another --encoding"
            ) from None

    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                raise DecodingError(
                    f"file starts with a {enc} BOM but is not {enc}; {ENCODING_HINT}"
                ) from None
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return data[: exc.start].decode("utf-8", "replace"), "utf-8 (cut mid-character)"
        damaged = None if b"\x00" in data else _damaged_utf8(data)
        if damaged is not None:
            return damaged
    if b"\x00" in data:
        raise InputError("binary file: this is not a text document")

    declared = _declared_charset(data)
    if declared:
        try:
            return data.decode(declared), declared
        except (UnicodeDecodeError, LookupError):
            pass  # the page lies about its encoding: detect instead
    text, enc = _detect_legacy(data)
    if text is None:
        raise DecodingError(f"cannot tell the text encoding; {ENCODING_HINT}")
    return text, enc


def _damaged_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few stray bytes (a damaged download, a bad copy) is still UTF-8."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    # Legacy Chinese encodings read as UTF-8 give errors everywhere and almost no Han
    # characters; a damaged UTF-8 file gives a handful of errors among plenty of them.
    if bad > max(3, len(data) // 1000) or han_count(text) < 20 * bad:
        return None
    return text, f"utf-8 ({bad} undecodable bytes replaced)"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


def _declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page declares in a <meta> tag, read with its superset."""
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "replace").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return _SUPERSET.get(name.replace("-", ""), _SUPERSET.get(name, name))


def _detect_legacy(data: bytes) -> tuple[str | None, str]:
    """Pick the legacy encoding whose decoding reads most like Chinese text."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    guesses: list[str] = []
    if best is not None and best.encoding:
        guesses.append(_SUPERSET.get(best.encoding.lower(), best.encoding.lower()))
    guesses.extend(c for c in _CANDIDATES if c not in guesses)

    scored: list[tuple[float, int, str, str]] = []
    for rank, enc in enumerate(guesses):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        scored.append((_chinese_likelihood(text), -rank, enc, text))
    if not scored:
        return None, ""
    score, _, enc, text = max(scored)
    if score <= 0:
        return None, ""
    return text, enc


# The most frequent characters of modern written Chinese, in both scripts. A decoding that
# produces many of them is right; a wrong one produces rare characters and symbols.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能"
    "下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
    "都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各"
    "重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代"
    "想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接"
    "知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北"
    "造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打"
    "白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今"
    "集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近"
    "矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写"
    "存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听"
    "该铁价严龙飞們這個國說對會為來時發們學動過後東於經"
    "為與說們這會對時發來國產種實現當從應還關經開們後裡體樣聲報東車長書際點號總權"
)


def _chinese_likelihood(text: str) -> float:
    han = han_count(text)
    if not han:
        return 0.0
    common = sum(1 for ch in text if ch in _COMMON)
    odd = sum(1 for ch in text if ch == "\ufffd" or (0xE000 <= ord(ch) <= 0xF8FF))
    return (common - 5 * odd) / max(han, 1)
