"""Page furniture: the lines around an article that are not the article.

Every reader (HTML, Markdown, text, DOCX) produces pieces; these rules decide, from the text of a
piece and where it stands, whether it is furniture, and why. What furniture says about the article
(author, date, credits, original link) is kept as metadata. Nothing is removed silently: each drop
carries a reason, reported by `bilingual parse --show-dropped` and undone by `--keep-all`.

The rules are written for what Chinese news pages put around an article (bylines, datelines, photo
credits, share bars, like counters, subscribe and app prompts, consent notices, tag lists,
breadcrumbs, reposting and editing credits, disclaimers, end marks, related-story pointers, topic
links, gallery cards, a repeated headline, an outlet promoting its coverage), not for any one site.

They are data: `RULES`, a table of `Rule`s, each with its shape, the reason shown for it, where it
may stand (anywhere, before the first sentence or after the last, after the last only) and where
it may take a line that reads as a sentence. Furniture is judged by its shape, never by a word that
ordinary prose uses too: a full sentence in the middle of the article is article text unless a
rule built for that exact shape says otherwise (a label and its colon, a whole line in brackets, a
dateline, the headline again), and most rules never take a sentence at all.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
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
    r"\s*[:：,，/／|｜]\s*\S"
    # "本报讯（记者 张三）", "本報訊（記者 張三／台北報導）"
    r"|^\w{0,8}(?:讯|訊)\s*[（(](?:记者|記者|通讯员|通訊員)[^（）()]{1,30}[)）]$",
    re.IGNORECASE,
)
# "澎湃新闻记者 贺梨萍", "《棱镜》作者 周纯", "新华社记者", "聯合報 記者林宸誼"
_BYLINE_TITLED = re.compile(
    r"^[\w《》「」“”·\s（）():：]{0,30}(?:记者|記者|作者|特约撰稿人|特約撰稿人|撰稿人|实习生|實習生|通讯员"
    r"|通訊員|编译|編譯|主编|主編|评论员|評論員|支局|分社|特派员|特派員|驻.{1,6}记者|駐.{1,6}記者)"
    r"(?:\s*[\w·\s、，,]{0,16})(?:[／/|｜]\s*\w{0,4}(?:報導|报道|報道|撰稿|编译|編譯))?$"
)
# "地方中心／陳小華報導", "国际新闻部/张三综合报道": desk and reporter.
_BYLINE_DESK = re.compile(
    r"^[（(]?[\w·\s]{2,12}[／/][\w·\s]{2,12}(?:報導|报道|報道|撰稿|綜合報導|综合报道|編譯|编译)[)）]?$"
)
# "TNW中文站 10月14日报道", "新华社北京4月24日电　题：…", "（中央社雪梨23日綜合外電報導）" alone.
_DATELINE_SOURCE = re.compile(
    r"^[（(]?[\w\s·]{2,16}?\s*\d{1,2}月\d{1,2}日\s*(?:电|電|报道|報導|讯|訊|综合外电报导|綜合外電報導)"
    r"(?:\s*[（(](?:记者|記者|通讯员|通訊員)[^（）()]{1,30}[)）])?(?:\s*题\s*[:：].*|\s*[)）]?)$"
)
_PHOTO_CREDIT = re.compile(
    r"^[（(]?\s*(?:圖像來源|图像来源|圖片來源|图片来源|题图来源|題圖來源|头图来源|頭圖來源|配图来源|配圖來源"
    r"|题图|題圖|头图|頭圖|配图|配圖|圖片|图片|圖|图|圖/|图/|攝影|摄影|照片|影像|視頻來源"
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
# "来源：新华社", "责任编辑：张三", "原标题：…": a credit under its label.
_CREDIT_LABEL = re.compile(
    r"^[（(【\[]?\s*(?:原文链接|原文連結|原文网址|原文網址|原文地址|原文出处|原文出處|原文来自|原文來自"
    r"|原文时间|原文時間|原文|原标题|原標題|文章来源|文章來源|稿件来源|稿件來源|本文来源|本文來源|来源|來源"
    r"|出处|出處|转载|轉載|转自|轉自|翻译|翻譯|译者|譯者|校对|校對|审校|審校|审核|審核|编译|編譯|责任编辑"
    r"|責任編輯|编辑|編輯|责编|責編|校稿|搬运|搬運|首发|首發|编者注|編者註|编者按|編者按|source|via"
    r"|originally published|translated by|edited by)"
    # strict: the label, then its separator; else a word or two more first ("来源于：", "原文写道：")
    r"(?:(?P<strict>\s*(?:[:：／/|｜]|\s+\S|$))|\S{0,2}[:：])",
    re.IGNORECASE,
)
# Phrases that open a credit without a colon: "本文来自…", "作者为科技商业观察家…".
_CREDIT = re.compile(
    r"^[（(【\[]?\s*(?:本文来自|本文來自|本文为|本文為|本文经|本文經|本文转载|本文轉載|本文原载|本文原載"
    r"|文章转载自|文章轉載自|文章来自|文章來自|文章来源于|文章來源於"
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


# "…游客在景区游览。新华社记者 李鑫 摄", "本报记者张三、李四摄", "（受访者供图）": a picture's caption
# ends in who took it, where a sentence ends in its punctuation.
_PHOTOGRAPHER = re.compile(
    r"(?:记者|記者|通讯员|通訊員|摄影|攝影|摄影师|攝影師|特约摄影|特約攝影)\s*[\w·]{2,12}"
    r"(?:\s*[、，,和及與与]\s*[\w·]{2,12}){0,3}\s*(?<!拍)(?:摄|攝)[)）]?\s*$"
    r"|(?:^|[。！？\s])[\w·]{2,6}\s+(?:摄|攝)[)）]?\s*$"
    r"|[（(][^（）()]{0,30}(?:供图|供圖|摄|攝)[）)]\s*$"
)


def looks_like_caption(text: str) -> bool:
    """A short line that names a picture's source, or points at the picture; or a longer one that
    ends in the photographer's credit."""
    t = text.strip()
    if len(t) <= 120 and (_CAPTION_START.search(t) or _CAPTION_CREDIT.search(t)):
        return True
    return len(t) <= 250 and bool(_PHOTOGRAPHER.search(t))


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


# "免责声明：…", "版权声明：", "报料热线：0571-…", "投稿邮箱：": a notice under its label.
_DISCLAIMER_LABEL = re.compile(
    r"^[（(【\[]?\s*(?:免责声明|免責聲明|版权声明|版權聲明|特别声明|特別聲明|法律声明|法律聲明|声明|聲明"
    r"|版权说明|版權說明|版权所有|版權所有|报料|報料|投稿|新闻热线|新聞熱線|联系我们|聯絡我們|聯繫我們"
    r"|意见反映|意見反映)\w{0,4}\s*[:：]"
)
# "© 2024 …", "Copyright 2024 …", "… All Rights Reserved."
_COPYRIGHT_LINE = re.compile(r"^\s*(?:©|\(c\)|copyright\b)|all rights reserved", re.IGNORECASE)
# The stock phrases of a notice, which make up the whole of a short line: "未经授权，不得转载。",
# "投资有风险，入市需谨慎", "如有侵权请联系删除", "版权所有".
_STOCK_DISCLAIMER = re.compile(
    r"^(?:未经|未經)\S{0,6}(?:授权|授權|许可|許可|同意|允许|允許)[，,\s]*(?:不得|禁止|请勿|請勿|严禁|嚴禁|谢绝|謝絕)"
    r"|(?:不得|禁止|请勿|請勿|严禁|嚴禁|谢绝|謝絕)(?:任何)?(?:转载|轉載|复制|複製|摘编|摘編|镜像|鏡像|翻印)"
    r"|转载请注明|轉載請註明|请注明出处|請註明出處|投资有风险|投資有風險|风险自担|風險自擔|仅供参考|僅供參考"
    r"|不构成.{0,8}建议|不構成.{0,8}建議|如有侵权|如有侵權|网友评论仅供|網友評論僅供|本網站之文字|本网站之文字"
    r"|版权所有(?!者)|版權所有(?!者)|独家所有|獨家所有|敬请见谅|敬請見諒|e-?mail至",
    re.IGNORECASE,
)
# The site or the text speaking of itself, as notices do ("本网站所刊载…", "本文仅代表作者观点").
_SELF = re.compile(
    r"本网站|本網站|本网|本網|本站|本文|本报|本報|本刊|本平台|本公众号|本公眾號|本号|本號|本台|本臺|本社"
    r"|本频道|本頻道|this (?:site|website)|we use|our ",
    re.IGNORECASE,
)
# A notice speaks to the reader: "請同意我們的隱私權規範", "您同意…".
_ADDRESSED = re.compile(r"我们|我們|您|^请|^請", re.IGNORECASE)
_BRACKETED = re.compile(r"^[（(【\[].*[）)】\]]$")
# What a notice says of the site's texts (ordinary sentences say 未经授权, 版权, 来信 too: the words
# alone never decide, the rules below ask for a notice's shape): who owns them, what others may not do with them, whose
# views they are. With the site naming itself, this is a notice, not an article's sentence about
# copyright ("本报记者将继续追踪此案的法律责任问题" is not one).
_NOTICE_CLAUSE = re.compile(
    r"不得|请勿|請勿|须注明|須註明|注明出处|註明出處|如需转载|如需轉載|如有|未经|未經|均属|均屬|归.{0,12}所有"
    r"|歸.{0,12}所有|版权所有|版權所有|仅代表|僅代表|不代表|无关|無關|概不负责|概不負責|不承担|不承擔|不负任何"
    r"|不負任何|请联系|請聯繫|請聯絡|转载自|轉載自|来源于网络|來源於網絡|删除|刪除|copyright|©|all rights reserved"
    r"|不意味着|不意味著|据此操作|據此操作|自行核实|自行核實|仅供参考|僅供參考|侵删|侵刪",
    re.IGNORECASE,
)
# What a prompt opens with when it asks the reader to do something: "欢迎下载…", "请关注…",
# "扫码订阅…", "点击下载…".
_PROMPT_OPENER = re.compile(
    r"(?:^|[，,。：:])\s*[【\[（(]?\s*(?:欢迎|歡迎|请|請|敬请|敬請|立即|马上|馬上|赶快|趕快|即刻|长按|長按|扫码|掃碼|扫描|掃描"
    r"|点击(?:下载|订阅|关注|链接|这里|此处|阅读|查看)|點擊(?:下載|訂閱|關注|連結|這裡|此處|閱讀|查看)"
    r"|下载|下載|订阅|訂閱|关注|關注|追蹤|加入|打开|打開)"
)
# "作者为…", "（作者系…研究员）": the author's description, after the text.
_AUTHOR_BIO = re.compile(r"^[（(【\[]?\s*(?:本文)?作者(?:为|為|是|係|系)")
_SOURCE_MARK = re.compile(
    r"^[（(]\s*[^（）()]{0,16}(?:社|報|报|網|网|台|臺|新聞|新闻|電視|电视|[A-Za-z]{2,})[^（）()]{0,8}\s*[）)]$"
)
_EDITORIAL = re.compile(r"完|编辑|編輯|责任|責任|综合|綜合|纠错|糾錯|end", re.IGNORECASE)
# What only a notice says (a credit says where the text comes from, "转载自…", as notices do).
_NOTICE_ONLY = re.compile(
    r"不得|请勿|請勿|未经|未經|仅代表|僅代表|不代表|无关|無關|概不负责|概不負責|不承担|不承擔|侵权|侵權"
)
# A topic page or more of the same behind a link: "点击进入专题：…", "查看更多图集>>", "更多精彩>>".
_TOPIC_LINK = re.compile(
    r"^[【\[（(]?\s*(?:点击|點擊|点此|點此|请点击|請點擊)?\s*(?:进入|進入|查看|观看|觀看|阅读|閱讀|浏览|瀏覽)"
    r"\s*(?:专题|專題|直播|图集|圖集|全文|原文|详情|詳情|更多|视频|視頻|特别报道|特別報導)[^，。,]{0,8}"
    r"(?:[:：>》»]|$)|(?:>>|》》|»|→)\s*$"
)
# A feed's photo-gallery card: "【组图】…", "图集｜…", "航拍春日油菜花田 12图", "（共8张）".
_GALLERY = re.compile(
    r"^(?:[【\[](?:图集|圖集|组图|組圖|高清组图|高清組圖|多图|多圖|图辑|圖輯|图片故事|圖片故事|相册|相冊)[】\]]"
    r"|(?:图集|圖集|组图|組圖|高清组图|高清組圖|多图|多圖|图辑|圖輯|图片故事|圖片故事)\s*[:：｜|丨])"
    r"|(?:^|\s|[（(])(?:共\s*)?\d{1,3}\s*(?:图|圖|张|張|P)[）)]?\s*$"
    r"|[（(](?:组图|組圖|多图|多圖|高清组图|高清組圖|图集|圖集)[）)]\s*$"
)
# A broadcaster or outlet promoting its own coverage: "本台将持续关注…", "央视新闻客户端将进行直播",
# "敬请锁定本台的直播". Only as the article's last words; an article's own last sentence about
# what a government will keep watching ("中方将继续关注…") names no outlet.
_OUTLET = (
    r"(?:(?:本台|本臺|总台|總臺|我台|我臺)(?:记者|記者)?|本报|本報|本网|本網|本频道|本頻道|本站|本刊|本社"
    r"|\w{0,12}?(?:新闻|新聞|客户端|客戶端|频道|頻道|卫视|衛視|电视台|電視台|电台|電台|广播|廣播|app|APP)"
    r"|[A-Z]{2,6}(?:中文|中文网|中文網))"
)
_STATION = re.compile(
    rf"(?:^|[，。,\s]){_OUTLET}(?:也|还|還)?(?:将|將|会|會)?(?:进行|進行|全程|持续|持續|继续|繼續|第一时间"
    r"|第一時間|随时|隨時|进一步|進一步|为您|為您|密切){0,3}"
    r"(?:关注|關注|追踪|追蹤|跟进|跟進|带来|帶來|直播|报道|報導|更新)"
    rf"|(?:敬请|敬請|请|請)(?:继续|繼續)?(?:锁定|鎖定|关注|關注|收看|收听|收聽|留意){_OUTLET}"
    # "我们将第一时间为您带来最新消息": the outlet speaking to its audience.
    r"|(?:我们|我們)(?:也|还|還)?(?:将|將|会|會)?\w{0,6}(?:为您|為您)(?:带来|帶來|报道|報導|更新|直播)"
    r"|^(?:敬请|敬請)(?:关注|關注|期待|留意)[。！!]?$"
)
# "据《金融时报》路透社（Reuters）5月24日报道：", "外交部发言人在记者会上表示：": a line that leads
# into the text and names its source. It stays with the article, whatever its length.
_LEAD_IN = re.compile(
    r"^(?:据|據|根据|根據|综合|綜合).{2,80}(?:报道|報導|報道|消息|电|電|称|稱|指出|表示|透露)[：:，,]?$"
    r"|^.{8,}[：:]$"
)
_VIDEO_LABEL = re.compile(
    r"^(?:[【\[](?:视频|視頻|video)[】\]]|(?:视频|視頻|video|正在播放|播放)\s*[｜|丨:：])", re.I
)
_STAMP = re.compile(
    r"[（(]?(?:时长|時長)?[:：]?\s*(?:\d{1,2}:\d{2}(?::\d{2})?|(?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
    r"(?:\s*\d{1,2}:\d{2})?)[）)]?\s*$"
)
_CLOSED = re.compile(r"[。！？!?…][」』”\"）)]?\s*$")


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


def _squeeze(text: str) -> str:
    return _SPACES.sub("", text)


_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_squeezed_title = functools.lru_cache(maxsize=16)(_squeeze)


class Line:
    """A line to judge, and where it stands."""

    __slots__ = ("caption", "edge", "n", "prose", "sentence", "tail", "text", "title")

    def __init__(self, text: str, edge: bool, tail: bool, caption: bool, title: str) -> None:
        self.text = text
        self.edge = edge  # before the article's first sentence or after its last
        self.tail = tail  # after the last sentence
        self.caption = caption  # the page marks it as a picture's caption
        self.title = title  # the headline, without spaces ("" when there is none)
        self.n = len(text)
        self.sentence = is_sentence(text)
        # It reads as a sentence: a full one, or a short one that ends as sentences do.
        self.prose = self.sentence or (bool(_CLOSED.search(text)) and han_count(text) >= 2)


# Where a rule applies: anywhere, only before the first or after the last sentence, only after
# the last one, or (for lines that read as sentences) nowhere.
ANY, EDGE, TAIL, NEVER = "anywhere", "at the edge", "at the end", "never"


def _placed(where: str, edge: bool, tail: bool) -> bool:
    return where == ANY or (where == EDGE and edge) or (where == TAIL and tail)


@dataclass(frozen=True)
class Rule:
    """One kind of furniture: its shape, where it may stand, and the reason shown for it.

    `prose` says where the rule may set apart a line that reads as a sentence: most rules never
    do, as a full sentence in the article is article text whatever words it uses. A rule whose
    reason is None keeps the line as article text and ends the search."""

    reason: str | None
    test: Callable[[Line], bool]
    max_len: int = 300
    where: str = ANY
    prose: str = NEVER
    meta: str | None = None  # what the line tells about the article: author, credit or date

    def placed(self, prose: bool, edge: bool, tail: bool) -> bool:
        """Whether the rule may apply to a line (reading as a sentence or not) standing there."""
        if not _placed(self.where, edge, tail):
            return False
        return not prose or _placed(self.prose, edge, tail)

    def applies(self, line: Line) -> bool:
        return (
            line.n <= self.max_len
            and self.placed(line.prose, line.edge, line.tail)
            and self.test(line)
        )


def _repeated_title(line: Line) -> bool:
    """The headline again: under a video player, with a "视频｜" label or a time stamp."""
    if not line.title or line.n > len(line.title) + 40:  # labels and stamps are short
        return False
    text = _squeeze(line.text)
    if text == line.title:
        return True
    bare = _squeeze(_STAMP.sub("", _VIDEO_LABEL.sub("", line.text.strip())))
    return bare == line.title and bare != text


def _credit_label(text: str, *, strict: bool) -> bool:
    m = _CREDIT_LABEL.match(text)
    return m is not None and (not strict or m.group("strict") is not None)


def _notice_phrases(text: str) -> int:
    """How many of a notice's stock phrases a line holds."""
    found = {m.group(0) for m in _STOCK_DISCLAIMER.finditer(text)}
    return len(found | {m.group(0) for m in _NOTICE_CLAUSE.finditer(text)})


def _credit_pair(line: Line) -> bool:
    """ "编译：张三；审校：李四": two editing credits on one line."""
    return bool(
        re.match(r"^[\w\s]{1,12}[:：]\s*\S.{0,40}[;；|｜]\s*[\w\s]{1,8}[:：]?\s*\S", line.text)
        and re.search(r"编译|編譯|审校|審校|校对|校對|翻译|翻譯|编辑|編輯", line.text)
    )


def _is_related(line: Line) -> bool:
    m = _RELATED.match(line.text)
    return m is not None and not re.search(
        r"的|显示|顯示|表示|指出|认为|認為|发现|發現", m.group(0)
    )


RULES: tuple[Rule, ...] = (
    Rule("link", lambda ln: bool(_URL_ONLY.match(ln.text)), 10**9, prose=ANY, meta="credit"),
    Rule("the headline repeated", _repeated_title, prose=ANY),
    Rule("share bar or page tool", lambda ln: _tool_tokens(ln.text)),
    Rule("video player controls", lambda ln: bool(_PLAYER.match(ln.text))),
    Rule("counter", lambda ln: bool(_COUNTER.match(ln.text)), 40),
    Rule("privacy or consent notice", lambda ln: bool(_CONSENT.search(ln.text)), 80),
    Rule(
        "privacy or consent notice",  # "本网站使用cookie…继续浏览即表示您同意…"
        lambda ln: bool(
            _CONSENT.search(ln.text)
            and _CONSENT_ACTION.search(ln.text)
            and (_SELF.search(ln.text) or _ADDRESSED.search(ln.text))
        ),
        200,
        prose=EDGE,
    ),
    Rule("photo credit", lambda ln: bool(_PHOTO_CREDIT.match(ln.text)), 40, meta="credit"),
    Rule("embedded social-media post", lambda ln: bool(_EMBED_SIGNATURE.match(ln.text))),
    Rule(
        "byline",
        # "记者：张三，李四，王五" (not "記者：您怎麼看？", an interview's question)
        lambda ln: (
            bool(
                _BYLINE.match(ln.text)
                or _BYLINE_DESK.match(ln.text)
                # "2020-10-04 15:05聯合報 記者林宸誼／即時報導": the page glued the date on
                or (_BYLINE_TITLED.match(strip_dates(ln.text)) and not ln.sentence)
            )
            and not _CLOSED.search(ln.text)
        ),
        60,
        prose=ANY,
        meta="author",
    ),
    Rule("dateline", lambda ln: bool(_DATELINE_SOURCE.match(ln.text)), 200, prose=ANY, meta="date"),
    Rule("dateline", lambda ln: _is_dateline(ln.text), 80, meta="date"),
    Rule(
        "tag list",
        lambda ln: bool((ln.n <= 60 and _TAGS.match(ln.text)) or _HASHTAGS.match(ln.text)),
        120,
    ),
    Rule("breadcrumb", lambda ln: bool(_BREADCRUMB.match(ln.text)), 60),
    Rule(
        "reposting or editing credit",
        lambda ln: _credit_label(ln.text, strict=True),
        200,
        prose=ANY,
        meta="credit",
    ),
    Rule(
        "reposting or editing credit",  # "作者为科技商业观察家。": who wrote it, after the text
        lambda ln: bool(_AUTHOR_BIO.match(ln.text)),
        200,
        where=TAIL,
        prose=TAIL,
        meta="credit",
    ),
    Rule(
        # "本文来自…": at the edge, or all in brackets ("本文为作者观点，不代表本网立场" is a notice)
        "reposting or editing credit",
        lambda ln: (
            bool(_CREDIT.match(ln.text) or _credit_label(ln.text, strict=False))
            and not _AUTHOR_BIO.match(ln.text)
            and not _NOTICE_ONLY.search(ln.text)
            and (ln.edge or bool(_BRACKETED.match(ln.text)))
        ),
        200,
        prose=ANY,
        meta="credit",
    ),
    Rule("reposting or editing credit", _credit_pair, 60, prose=ANY, meta="credit"),
    Rule(
        "reposting or editing credit",
        lambda ln: bool(re.match(r"^(?:编译|編譯|翻译|翻譯|审校|審校)\s+\S", ln.text)),
        60,
        meta="credit",
    ),
    Rule(
        "disclaimer or copyright notice",
        lambda ln: bool(_DISCLAIMER_LABEL.match(ln.text) or _COPYRIGHT_LINE.search(ln.text)),
        prose=ANY,
    ),
    Rule(
        "disclaimer or copyright notice",  # "（本文为原创，未经授权不得转载）"
        lambda ln: bool(_BRACKETED.match(ln.text)) and _notice_phrases(ln.text) >= 1,
        200,
        prose=ANY,
    ),
    Rule(
        "disclaimer or copyright notice",  # a short line of stock phrases: "未经授权，不得转载。"
        lambda ln: bool(_STOCK_DISCLAIMER.search(ln.text)) and (ln.n <= 40 or not ln.prose),
        60,
        prose=EDGE,
    ),
    Rule(
        # "新浪声明：此消息系转载自…，并不意味着赞同其观点…。文章内容仅供参考，不构成投资建议。…"
        "disclaimer or copyright notice",
        lambda ln: _notice_phrases(ln.text) >= 3,
        where=EDGE,
        prose=EDGE,
    ),
    Rule(
        "disclaimer or copyright notice",  # "本网站所刊载信息，不代表本站观点…"
        lambda ln: bool(_SELF.search(ln.text) and _NOTICE_CLAUSE.search(ln.text)),
        200,
        where=EDGE,
        prose=EDGE,
    ),
    Rule(
        # "（路透社）", "（Reuters）" after the text: where it comes from, kept with the credits.
        "source of the article",
        lambda ln: bool(_SOURCE_MARK.match(ln.text)) and not _EDITORIAL.search(ln.text),
        30,
        where=EDGE,
        meta="credit",
    ),
    Rule("end mark or page label", lambda ln: bool(_END_MARK.search(ln.text)), 30),
    Rule("pointer to another story", _is_related, 120, prose=ANY),
    Rule(
        "pointer to another story",
        lambda ln: bool(
            re.match(r"^[（(【\[]\s*(?:延伸|相關|相关|推薦|推荐|更多)", ln.text)
            and re.search(r"[）)】\]]\s*$", ln.text)
        ),
        prose=ANY,
    ),
    Rule("pointer to another story", lambda ln: bool(_TOPIC_LINK.search(ln.text)), 80),
    Rule("photo gallery card", lambda ln: bool(_GALLERY.search(ln.text)), 80),
    Rule(
        "the outlet promoting its own coverage",
        lambda ln: bool(_STATION.search(ln.text)),
        120,
        where=TAIL,
        prose=TAIL,
    ),
    Rule("comment prompt", lambda ln: bool(_COMMENT_PROMPT.search(ln.text)), 60),
    Rule("subscribe or app prompt", lambda ln: bool(_PROMPT.search(ln.text)), 100),
    Rule(
        # "欢迎下载示例新闻客户端。", "【下载客户端，看更多新闻】": asked of the reader, at the edge
        # ("他每天早上打开新闻客户端看消息。" asks nothing).
        "subscribe or app prompt",
        lambda ln: (
            bool(_PROMPT.search(ln.text) and _PROMPT_OPENER.search(ln.text))
            and (ln.n <= 50 or ln.text[0] in "【[（(")
        ),
        100,
        where=EDGE,
        prose=EDGE,
    ),
    Rule("summary box", lambda ln: bool(_SUMMARY.match(ln.text)), prose=ANY),
    Rule(
        "file name of a picture",
        lambda ln: bool(
            re.fullmatch(r"[\w.-]{1,80}\.(?:jpe?g|png|gif|webp|bmp|svg|mp4|mp3)", ln.text, re.I)
        ),
    ),
    Rule(
        "pointer to another story",
        lambda ln: not ln.text.endswith("。") and bool(_HEADLINE_WITH_DATE.search(ln.text)),
        80,
        prose=ANY,
    ),
    Rule("scraper leftover", lambda ln: ln.text.lower() in SCRAPER_ARTIFACTS),
    Rule(
        # "圖像加註文字，": a screen reader's label in front of a caption, shown alone.
        "label beside the article",
        lambda ln: ln.caption and ln.text[-1] in "，,：:",
        12,
    ),
    Rule(None, lambda ln: bool(_LEAD_IN.match(ln.text)) and han_count(ln.text) >= 6, where=EDGE),
    Rule("label beside the article", lambda ln: not ln.caption, 40, where=EDGE),
)


def classify(
    text: str,
    *,
    edge: bool,
    caption: bool = False,
    tail: bool = False,
    title: str | None = None,
) -> Verdict | None:
    """Why `text` is furniture, or None when it is article text: the first rule of RULES that
    applies to it.

    `edge` says the line stands before the article's first sentence or after its last one (`tail`:
    after the last), where pages put bylines, datelines, labels and tool bars; there, short lines
    that are not sentences are furniture too, unless the page marks the line as a caption.
    `title` is the article's headline, which a page may repeat."""
    t = text.strip()
    if not t:
        return None
    line = Line(t, edge or tail, tail, caption, _squeezed_title(title) if title else "")
    for rule in _rules_at(line.prose, line.edge, line.tail):
        if line.n <= rule.max_len and rule.test(line):
            if rule.reason is None:
                return None
            return Verdict(rule.reason, (rule.meta, t) if rule.meta else None)
    return None


@functools.cache
def _rules_at(prose: bool, edge: bool, tail: bool) -> tuple[Rule, ...]:
    """The rules that may apply to a line standing there: a sentence in the middle of the article
    meets only the few built for it."""
    return tuple(rule for rule in RULES if rule.placed(prose, edge, tail))


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
    "RULES",
    "Rule",
    "Verdict",
    "classify",
    "dateline_rest",
    "is_sentence",
    "looks_like_caption",
    "looks_like_subheading",
    "strip_dates",
]
