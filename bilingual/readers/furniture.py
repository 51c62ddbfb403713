"""Page furniture: the lines around an article that are not the article.

Every reader (HTML, Markdown, text, DOCX) produces pieces; these rules decide, from the text of a
piece and where it stands, whether it is furniture, and why. What furniture says about the article
(author, date, credits, original link) is kept as metadata. Nothing is removed silently: each drop
carries a reason, reported by `bilingual parse --show-dropped` and undone by `--keep-all`.

The rules are written for what Chinese news pages put around an article (bylines, datelines, photo
credits, share bars, like counters, subscribe and app prompts, consent notices, tag lists,
breadcrumbs, reposting and editing credits, disclaimers, end marks, related-story pointers), not
for any one site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bilingual.textutil import SCRAPER_ARTIFACTS, han_count

# Sentence-final punctuation: a line that has it reads as prose, not as a label.
_SENTENCE_PUNCT = re.compile(r"[。！？!?；;…]|[，,][^，,]*[，,]")
_SENTENCE_END = re.compile(r"[。！？!?…」』”\"）)]\s*$")

# Labels and tools that pages repeat around every article ("分享到微信", "讚 87", "小字号").
_TOOL_WORDS = {
    "分享", "分享到", "分享至", "分享给朋友", "转发", "轉發", "收藏", "点赞", "點讚", "赞", "讚",
    "按讚", "按赞", "留言", "评论", "評論", "列印", "打印", "推薦", "推荐", "facebook", "twitter",
    "line", "weibo", "微博", "新浪微博", "腾讯微博", "微信", "朋友圈", "qq", "qq空间", "qzone",
    "复制链接", "複製連結", "複製網址", "复制网址", "email", "e-mail", "plurk", "whatsapp",
    "telegram", "linkedin", "reddit", "x", "threads", "转播到腾讯微博", "字号", "字號", "字体",
    "字體", "大", "中", "小", "小字号", "大字号", "中字号", "a+", "a-", "返回顶部", "回到頂部",
    "我要反馈", "我要跟帖", "我要评论", "举报", "檢舉", "打賞", "打赏", "订阅", "訂閱", "追蹤",
    "关注", "關注", "print", "share", "tweet", "like", "comments", "comment", "save", "copy link",
    "listen", "聽新聞", "听新闻", "放大", "縮小", "缩小", "更多", "more", "top", "首页", "首頁",
    "上一篇", "下一篇", "上一頁", "下一頁", "返回", "返回首页", "返回首頁", "手机看", "手機看",
    "分享到微信", "分享到微博", "分享到facebook", "分享到line", "分享到twitter", "扫一扫",
    "掃一掃", "用微信扫码二维码", "分享到微信朋友圈", "网易荐新闻", "网易新闻", "精彩视频推荐",
    "相关新闻", "相關新聞", "热门推荐", "熱門推薦", "猜你喜欢", "猜你喜歡", "推荐阅读",
    "推薦閱讀", "延伸阅读", "延伸閱讀", "新聞專題", "新闻专题", "聚焦新聞", "聚焦新闻",
    "热门新闻", "熱門新聞", "最新新闻", "最新新聞", "贊助說明", "赞助说明", "matters 链接",
    "我要分享", "qq好友", "微信好友", "领英", "领英分享", "line好友", "粉丝团", "粉絲團",
}  # fmt: skip

# "0人参与", "0人跟贴 | 0人参与", "讚 87", "已输入0字", "1.2萬 次瀏覽"
_COUNTER = re.compile(
    r"^(?:[\d.,，万萬kK+\s]*(?:人参与|人參與|人跟贴|人跟帖|条评论|條評論|则留言|則留言|次浏览|次瀏覽"
    r"|次阅读|次閱讀|阅读|閱讀|浏览|瀏覽|讚|赞|likes?|comments?|shares?|views?|人收藏|人点赞)"
    r"[\d.,，万萬kK+\s]*|已输入\d+字|已輸入\d+字|[\d/]+)$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^[（(【\[]?\s*(?:作者|作者\s*[|｜]|記者|记者|文|撰文|文字|撰稿|采写|採寫|采访|採訪|整理|报道|報導"
    r"|特约记者|特約記者|实习生|實習生|通讯员|通訊員|主笔|主筆|专栏作家|專欄作家|by|author|written by)"
    r"\s*[:：,，/／|｜]\s*\S",
    re.IGNORECASE,
)
# "澎湃新闻记者 贺梨萍", "《棱镜》作者 周纯", "新华社记者", "聯合報 記者林宸誼"
_BYLINE_TITLED = re.compile(
    r"^[\w《》「」“”·\s（）():：]{0,30}(?:记者|記者|作者|特约撰稿人|特約撰稿人|撰稿人|实习生|實習生|通讯员"
    r"|通訊員|编译|編譯|主编|主編|评论员|評論員|支局|分社|特派员|特派員|驻.{1,6}记者|駐.{1,6}記者)"
    r"(?:\s*[\w·\s、，,]{0,16})$"
)
# "地方中心／陳小華報導", "国际新闻部/张三综合报道": desk and reporter.
_BYLINE_DESK = re.compile(
    r"^[（(]?[\w·\s]{2,12}[／/][\w·\s]{2,12}(?:報導|报道|報道|撰稿|綜合報導|综合报道|編譯|编译)[)）]?$"
)
# "TNW中文站 10月14日报道", "新华社北京4月24日电　题：…", "（中央社雪梨23日綜合外電報導）" alone.
_DATELINE_SOURCE = re.compile(
    r"^[（(]?[\w\s·]{2,16}?\s*\d{1,2}月\d{1,2}日\s*(?:电|電|报道|報導|讯|訊|综合外电报导|綜合外電報導)"
    r"(?:\s*题\s*[:：].*|\s*[)）]?)$"
)
_PHOTO_CREDIT = re.compile(
    r"^[（(]?\s*(?:圖像來源|图像来源|圖片來源|图片来源|圖片|图片|圖|图|圖/|图/|攝影|摄影|照片|影像|視頻來源"
    r"|视频来源|photo|image|picture|credit|source|getty images|reuters|afp|ap|epa)\s*(?:[:：,，/／|]\s*)"
    r"[\w\s.,&/·、@’'-]{1,40}[)）]?$",
    re.IGNORECASE,
)
_PROMPT = re.compile(
    r"(?:订阅|訂閱|下载|下載|加入|关注|關注|追蹤|扫描|掃描|扫码|掃碼|點我|点我|按我|點擊|点击|立即|免费|免費"
    r"|请继续|請繼續|继续阅读|繼續閱讀|往下|下滑|打开|打開|看更多|收看更多|看活動|看活动|更多原创)"
    r".{0,24}(?:app|客户端|用戶端|用户端|专页|專頁|频道|頻道|公众号|公眾號|帳號|账号|粉丝团|粉絲團|訂戶|订户"
    r"|会员|會員|活動|活动|辦法|办法|新聞|新闻|電子報|电子报|newsletter|阅读|閱讀|圈|群|读者|讀者"
    r"|资讯|資訊|facebook|line|youtube|ig|instagram)"
    r"|\b(?:subscribe|sign up|download (?:the )?app|get the app|newsletter)\b"
    r"|中獎|中奖|領取|领取|抽獎|抽奖",
    re.IGNORECASE,
)
_CONSENT = re.compile(
    r"cookie|隱私權|隐私权|隐私政策|隱私政策|私隱政策|隐私声明|隱私聲明|隱私權規範|使用条款|使用條款"
    r"|跳[过過].{0,20}(?:帖子|內容|内容|貼文|贴文)|允[许許].{0,20}(?:内容|內容)|consent"
    r"|(?:同意|接受)(?:我們|我们)?的?(?:隱私|隐私|使用|服務|服务)|網站技術|网站技术",
    re.IGNORECASE,
)
# What a consent notice asks of the reader, which an article sentence about privacy does not.
_CONSENT_ACTION = re.compile(
    r"同意|接受|继续浏览|繼續瀏覽|继续使用|繼續使用|知道了|我知道|了解更多|允许|允許|跳过|跳過|accept|agree"
    r"|改善.{0,6}(?:体验|體驗)",
    re.I,
)
_TAGS = re.compile(
    r"^(?:相关标签|相關標籤|标签|標籤|关键词|關鍵詞|关键字|關鍵字|熱門關鍵字|热词|跟贴热词|跟帖热词"
    r"|tags?|keywords?|主题|主題|話題|话题)\s*(?:[:：>»]+|$)",
    re.IGNORECASE,
)
_HASHTAGS = re.compile(r"^(?:\s*#[^\s#]+)+\s*$")
_BREADCRUMB = re.compile(
    r"^(?:首页|首頁|主页|主頁|home|当前位置|當前位置|您的位置|你的位置|你现在的位置|您現在的位置)"
    r"\s*[:：]?\s*(?:[>›»/＞|]|$)"
    r"|^[^\s>›»＞]{1,12}(?:\s*[>›»＞]\s*[^\s>›»＞]{1,12}){1,5}$",
    re.IGNORECASE,
)
_CREDIT = re.compile(
    r"^[（(【\[]?\s*(?:原文链接|原文連結|原文网址|原文網址|原文地址|原文出处|原文出處|原文来自|原文來自"
    r"|原文时间|原文時間|原文|原标题|原標題|文章来源|文章來源|稿件来源|稿件來源|来源|來源|出处|出處"
    r"|转载|轉載|转自|轉自|翻译|翻譯|译者|譯者|校对|校對|审校|審校|审核|審核|编译|編譯|责任编辑|責任編輯"
    r"|编辑|編輯|责编|責編|校稿|搬运|搬運|首发|首發|本文来自|本文來自|本文为|本文為|本文经|本文經"
    r"|编者注|編者註|source|via|originally published|translated by|edited by)"
    r"\s*(?:[:：／/|｜]|\s|$|[^\s]{0,2}[:：])"
    # Phrases that open a credit without a colon: "本文来自…", "作者为科技商业观察家…".
    r"|^[（(【\[]?\s*(?:本文来自|本文來自|本文为|本文為|本文经|本文經|本文转载|本文轉載|本文原载|本文原載"
    r"|本文首发|本文首發|本文由|原文来自|原文來自|原文载于|原文載於|作者为|作者為|作者是|作者係|转载自|轉載自"
    r"|译自|譯自|编译自|編譯自)",
    re.IGNORECASE,
)
# Video and audio player controls left in the page's text.
_PLAYER = re.compile(r"^(?:自动播放|自動播放|开关|開關|播放|暂停|暫停|全屏|静音|靜音|重播|\s)+$")
# "▲習近平（左）不出席G20峰會。（組合圖／資料照…）", "…墜毀。（美聯社）": a picture's caption.
_CAPTION_START = re.compile(
    r"^[▲△↑▼⬆]|^(?:圖|图|圖說|图说|圖為|图为|圖／|图／|上图|上圖|下图|下圖)[:：／/]"
)
_CAPTION_CREDIT = re.compile(
    r"[（(][^（）()]{0,30}(?:圖|图|攝|摄|照|提供|取自|翻攝|翻摄|資料|资料|截圖|截图|美聯社|美联社|法新社|路透"
    r"|達志|达志|中央社|新華社|新华社|photo|ap|afp|reuters|getty|epa|shutterstock)[^（）()]{0,30}[）)]\s*$",
    re.IGNORECASE,
)


def looks_like_caption(text: str) -> bool:
    """A short line that names a picture's source, or points at the picture."""
    t = text.strip()
    return len(t) <= 120 and bool(_CAPTION_START.search(t) or _CAPTION_CREDIT.search(t))


def looks_like_subheading(text: str) -> bool:
    """A short line in the middle of an article with no sentence in it: a section heading."""
    t = text.strip()
    return (
        han_count(t) >= 2
        and len(t) <= 30
        and not is_sentence(t)
        and not re.search(r"[。！？!?…][」』”\"）)]?\s*$", t)
        and t[-1] not in ":：,，、"
        and "——" not in t  # a quotation with its speaker: “…”——丰田章男
    )


_DISCLAIMER = re.compile(
    r"免责声明|免責聲明|版权所有|版權所有|版权声明|版權聲明|未经授权|未經授權|未经许可|未經許可|不得转载"
    r"|不得轉載|转载请注明|轉載請註明|仅代表作者|僅代表作者|不代表.{0,12}(?:立场|立場|观点|觀點)"
    r"|本網站之文字|本网站之文字|copyright|©|all rights reserved|报料|報料|网友评论仅供|網友評論僅供"
    r"|獨家所有|独家所有|權益歸|权益归|意見反映|意见反映|email至|e-mail至|來信|来信|投稿|聯絡我們|联系我们"
    r"|敬請見諒|敬请见谅|^声明[:：]|^聲明[:：]|风险自担|風險自擔|投资有风险|投資有風險|据此操作|據此操作",
    re.IGNORECASE,
)
_END_MARK = re.compile(
    r"^(?:[（(【\[]\s*[^）)】\]]{1,8}\s*[）)】\]]\s*)+$|正文已结束|正文已結束|全文完|本文完|^\s*[-—–]*\s*(?:完|end|the end)\s*[-—–]*\s*$"
    r"|正在加载|正在載入|載入中|加载中|loading",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^[（(【\[▌▎▍■□●◆◇►▶→>»]?\s*(?:相关|相關|延伸|推荐|推薦|更多|前情提要|前情|热门|熱門|猜你|精彩|热点|熱點"
    r"|最新|专题|專題|編輯推薦|编辑推荐|即時|即时|看更多|你可能|您可能|read more|related|see also)"
    r"[^\n：:]{0,8}[:：〈<《「]",
    re.IGNORECASE,
)
_COMMENT_PROMPT = re.compile(
    r"我要跟[帖贴]|发表评论|發表評論|参与评论|參與評論|网友跟[帖贴]|網友跟帖|手机发跟[帖贴]|按alt\+\d进行评论"
    r"|查看评论|查看評論|评论区|評論區|留言板|登录后|登入後",
    re.IGNORECASE,
)
_SUMMARY = re.compile(
    r"^[\[【(（]?\s*(?:摘要|导读|導讀|内容提要|內容提要|核心提示|划重点|劃重點)\s*[:：]?"
)
# A related story's headline with its date glued on: "希腊算什么？中国股市…GDP2015/07/03".
_HEADLINE_WITH_DATE = re.compile(r"\S(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2})?$")
_URL_ONLY = re.compile(r"^(?:<?https?://\S+>?|www\.\S+)$", re.IGNORECASE)
# "— Global Times (@globaltimesnews) August 30, 2023": the signature line of an embedded post.
_EMBED_SIGNATURE = re.compile(r"^[—–-]\s*.{1,60}\(@\w{1,30}\)\s*\S.{0,40}$")


def is_sentence(text: str) -> bool:
    """Prose: enough Chinese with sentence punctuation, or a long stretch of it."""
    han = han_count(text)
    if han >= 40:
        return True
    return han >= 6 and bool(_SENTENCE_PUNCT.search(text))


def _tool_tokens(text: str) -> bool:
    """A line made only of tool words and counters: "分享 | 收藏 | 讚 87"."""
    t = text.lower()
    tokens = [tok for tok in re.split(r"[\s|｜·•,，、/／:：()（）\[\]【】]+", t) if tok]
    if not tokens:
        return False
    return all(
        tok in _TOOL_WORDS or re.fullmatch(r"[\d.kK萬万+]+", tok) or _COUNTER.match(tok)
        for tok in tokens
    )


@dataclass(frozen=True)
class Verdict:
    reason: str
    # What the line tells about the article, for the metadata: ("author"|"credit"|"date", text).
    meta: tuple[str, str] | None = None


def classify(text: str, *, edge: bool, caption: bool = False) -> Verdict | None:
    """Why `text` is furniture, or None when it is article text.

    `edge` says the line stands before the article's first sentence or after its last one, where
    pages put bylines, datelines, labels and tool bars; there, short lines that are not sentences
    are furniture too, unless the page marks the line as a caption (`caption`).
    """
    t = text.strip()
    if not t:
        return None
    n = len(t)
    if n > 300:  # every rule below is for short lines; long ones are text (or a long URL)
        return Verdict("link", ("credit", t)) if _URL_ONLY.match(t) else None
    low = t.lower()
    sentence = is_sentence(t)
    if _tool_tokens(t):
        return Verdict("share bar or page tool")
    if _PLAYER.match(t):
        return Verdict("video player controls")
    if n <= 40 and _COUNTER.match(t):
        return Verdict("counter")
    if n <= 80 and _CONSENT.search(t) and (not sentence or _CONSENT_ACTION.search(t)):
        return Verdict("privacy or consent notice")
    if n <= 200 and _CONSENT.search(t) and _CONSENT_ACTION.search(t):
        return Verdict("privacy or consent notice")
    if n <= 40 and _PHOTO_CREDIT.match(t):
        return Verdict("photo credit", ("credit", t))
    if _EMBED_SIGNATURE.match(t):
        return Verdict("embedded social-media post")
    if n <= 60 and (
        _BYLINE.match(t) or _BYLINE_DESK.match(t) or (_BYLINE_TITLED.match(t) and not sentence)
    ):
        return Verdict("byline", ("author", t))
    if n <= 200 and _DATELINE_SOURCE.match(t):
        return Verdict("dateline", ("date", t))
    if n <= 80 and _is_dateline(t):
        return Verdict("dateline", ("date", t))
    if (n <= 60 and _TAGS.match(t)) or (n <= 120 and _HASHTAGS.match(t)):
        return Verdict("tag list")
    if n <= 60 and not sentence and _BREADCRUMB.match(t):
        return Verdict("breadcrumb")
    if n <= 200 and _CREDIT.match(t):
        return Verdict("reposting or editing credit", ("credit", t))
    if (
        n <= 60
        and re.match(r"^[\w\s]{1,12}[:：]\s*\S.{0,40}[;；|｜]\s*[\w\s]{1,8}[:：]?\s*\S", t)
        and (re.search(r"编译|編譯|审校|審校|校对|校對|翻译|翻譯|编辑|編輯", t))
    ):
        return Verdict("reposting or editing credit", ("credit", t))
    if re.match(r"^(?:编译|編譯|翻译|翻譯|审校|審校)\s+\S", t) and n <= 60:
        return Verdict("reposting or editing credit", ("credit", t))
    if n <= 200 and _DISCLAIMER.search(t) and (not sentence or n <= 160):
        return Verdict("disclaimer or copyright notice")
    if n <= 30 and _END_MARK.search(t):
        return Verdict("end mark or page label")
    if n <= 120 and _RELATED.match(t):
        return Verdict("pointer to another story")
    if re.match(r"^[（(【\[]\s*(?:延伸|相關|相关|推薦|推荐|更多)", t) and re.search(
        r"[）)】\]]\s*$", t
    ):
        return Verdict("pointer to another story")
    if n <= 60 and _COMMENT_PROMPT.search(t):
        return Verdict("comment prompt")
    if n <= 100 and _PROMPT.search(t) and (not sentence or n <= 50 or t[0] in "【[（("):
        return Verdict("subscribe or app prompt")
    if n <= 300 and _SUMMARY.match(t):
        return Verdict("summary box")
    if re.fullmatch(r"[\w.-]{1,80}\.(?:jpe?g|png|gif|webp|bmp|svg|mp4|mp3)", t, re.I):
        return Verdict("file name of a picture")
    if _URL_ONLY.match(t):
        return Verdict("link", ("credit", t))
    if n <= 80 and not t.endswith("。") and _HEADLINE_WITH_DATE.search(t):
        return Verdict("pointer to another story")
    if low in SCRAPER_ARTIFACTS:
        return Verdict("scraper leftover")
    if caption and n <= 12 and not sentence and t[-1] in "，,：:":
        # "圖像加註文字，": a screen reader's label in front of a caption, shown alone.
        return Verdict("label beside the article")
    if edge and not sentence and n <= 40 and not caption:
        return Verdict("label beside the article")
    return None


_DATE = re.compile(
    r"(?:19|20)\d{2}\s*(?:[-/.]|年)\s*\d{1,2}\s*(?:[-/.]|月)\s*\d{1,2}\s*日?"
    r"|\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d{2}"
    r"|\d{1,2}月\d{1,2}日"
)
_TIME = re.compile(r"\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?")
_DATE_NOISE = re.compile(
    r"发布时间|發佈時間|發布時間|发布于|發布於|发表时间|發表時間|发表于|發表於|更新时间|更新時間|更新于|更新於|更新"
    r"|最后更新|最後更新|日期|时间|時間|发布|發佈|發布|published|updated|posted|on"
    r"|(?:来源|來源|稿件来源|稿件來源|出处|出處|source)\s*[:：]\s*[\w\s·《》「」]{0,16}"
    r"|[（(]?(?:UTC|GMT|CST|HKT|北京时间|北京時間|台北时间|台北時間|香港时间|香港時間|当地时间|當地時間)[)）]?"
    r"(?:[+\-]\d{1,2}(?::?\d{2})?)?"
    r"|星期[一二三四五六日天]|周[一二三四五六日]|週[一二三四五六日]|[上下]午|早上|晚上"
    r"|[\s:：|｜\-–—,，/()（）\[\]【】·•]"
    r"|\d+\s*(?:人参与|人參與|条评论|條評論|评论|評論)",
    re.IGNORECASE,
)


def _is_dateline(text: str) -> bool:
    """A date (and time) with at most a label, a source and a short name around it."""
    if not _DATE.search(text):
        return False
    # What remains may be a byline's name ("金错刀2015-06-23 14:42:25 0人参与评论").
    return len(dateline_rest(text)) <= 6 and not _SENTENCE_PUNCT.search(text)


def dateline_rest(text: str) -> str:
    """What a dateline says besides its date, time, labels and source: a name, if anything."""
    return _DATE_NOISE.sub("", _TIME.sub("", _DATE.sub("", text)))


def strip_dates(text: str) -> str:
    """`text` without the dates and times in it."""
    return re.sub(r"\s{2,}", " ", _TIME.sub(" ", _DATE.sub(" ", text))).strip()


__all__ = [
    "Verdict",
    "classify",
    "dateline_rest",
    "is_sentence",
    "looks_like_caption",
    "looks_like_subheading",
    "strip_dates",
]
