"""Text utilities for Chinese extraction: script folding, sentences, clauses.

Every transformation here keeps character offsets (one character in, one out),
so spans found on the folded text are spans of the original article.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.nlp.text.zh_t2s import SIMP as _MORE_SIMP
from ingest.nlp.text.zh_t2s import TRAD as _MORE_TRAD

# Traditional -> Simplified, one character each, for the characters that matter in
# tech news (cue words, titles, organisation suffixes). Folding lets one set of
# Simplified cue patterns read Traditional text.
_TRAD = (
    "紅與這個們來時會說對於為爲後裡裏國學發開關歷歲當經過還進運動種樣點機體處實現問題應該長從業產務總統權導視電腦網絡數據庫軟"
    "術標準規範協議聯團購併報雲計區塊鏈盤記錄員師醫館講腳贊夥競爭戰條約訊號層級鐘錢價値億萬額營銷損虧債負資賬帳稅費貿買賣銀證"
    "險讓給將並兩間門閉聞聽見覺親觀覽設許論評語誤話請讀調談識變讚護譯詳認訪試詞謝築簡節類顯願領頭預風飛馬驗驅髮鬥魯鳥鴻麥黃齊"
    "齒龍龐廣廠廢張強彈復徵慶懷態戲戶擊擔擁擇擴攝擺擾攜敗敵斷無舊晉書東極構檔歡歐歸殺氣決沒況洩測濟滿漢潛濕灣災熱燈牽狀獨獲獎"
    "環畫異疊盡監眾確碼礎禮禦稱穩窮筆籌糧紀紙納純組細終結絕綜維線練編緩縣績繫織繼續罰習聖聲職肅脅脫興舉艦艱莊華葉著蓋蘋蘭虛蟲"
    "衛衝補裝製複襲訂討訓診諾謀譜豐貝財責貨販貴貸賓賞賽贏趙趕跡躍車軍較載輔輕輪輸轉辦農連遊達違遞遠適遲選遺邊郵鄭針鈴銳鋼錯鍵"
    "鎖鏡鐵閃閒閱闆陣陳陸隊階際隨隱隻雙雜雞離難靈靜韓頁頂項順須頻顏顧飯養餘鬆魚鮮麗麼黨齡龜執創傳儲優兒內冊凱劃則剛劇勁勝勞勢"
    "勵單卻厲參叢啟喬嗎嚴囑圍園圖堅場塵墊壓壞壯壺夠夢奪奮婦媽孫寧審寫寬尋專尷屆屬岡峽島嶺巖幣帥帶幫幹廳彌恆悅惡惱愛慘慣憑憶懸"
    "戀拋挾捨掃掛採換揮搖搶擋擬擠攤敘斂暢暫曆朧桿棄榮槍樂樓樞橋檢櫃殘毀漲滅溝滯漁潔潤澤濃濾灑煙煩燒爛爾牆犧猶獅獻瑪璽瓊畢療癒"
    "皚盜盧瞭矯硃礦碩禍禪積穀窩竊箋篤簽籃緊緒縮繩繪羅罷羨義翹腫膚膠臉臘臨臺舖艙藝薦藥蘇虜蝕螢蠶襯詢詩誌誕誠誰課諸謂謹譽貢貫貼"
    "賀賠賴質輝輩辭遜遷鄰醜釋釣鈔鉛銅銜鋪錦鍋鍾鎮鑑閣闊陰隸雖霧韋響頓頗頒頸顆顛飄餅饑騎騙騰驚鬧鳳鳴鵝鷹鹽麵黴齣彙倫緹註暱佈佔"
    "倆側僅償儘兇凍剝勸匯厭喚嘗噸圓堯墜壟妝娛嬰寶屍屜幾廬弒彎徑懼擷攏攬敍晝曉樁殼汙湧溫滷滬漸潰瀏灘烏獄瑣璉瘋皺盃矚砲祿稟窪紋"
    "紓絲綁綠緣縱繳纖罈罵聳脈腎艷蒼蓮蔣蕭薩藍蘆蝦衆裊訴詐誇謊謠豬貓贓趨蹤軌輯轄辯鄉釀鈕鋒錶鍍鑽閘隴雋靂韻顱餵驛髒鬍鯨鴨鷗齋檯"
    "颱儀沖藉慾週乾蘊劉楊吳馮鄧呂譚賈鄒閻龔湯鄔鄺偉傑亞鵬濤嶽聶陽楓穎瑩聰賢勳銘馳駿濱瀋貞崗鐸嘯韜鈞鍇頌瓏璣濰潁灝鄴禕煒燁曄瑋"
    "暉鈺鏗鐳闖闡陝雛頤顥驍儂兗劍勛嬌崙嶸廸彥徹愷慮樺橫滌燦瑤禎穌綺綸緯縉繆翺萊覲詠諭謙豔贇輿邁釗錚鎧靚韞頡飆騫驥鬱鯤鶴"
    "輛駕駛鎂鋰鈉鈷鎳奧紐觸鑰韌"
)
_SIMP = (
    "红与这个们来时会说对于为为后里里国学发开关历岁当经过还进运动种样点机体处实现问题应该长从业产务总统权导视电脑网络数据库软"
    "术标准规范协议联团购并报云计区块链盘记录员师医馆讲脚赞伙竞争战条约讯号层级钟钱价值亿万额营销损亏债负资账帐税费贸买卖银证"
    "险让给将并两间门闭闻听见觉亲观览设许论评语误话请读调谈识变赞护译详认访试词谢筑简节类显愿领头预风飞马验驱发斗鲁鸟鸿麦黄齐"
    "齿龙庞广厂废张强弹复征庆怀态戏户击担拥择扩摄摆扰携败敌断无旧晋书东极构档欢欧归杀气决没况泄测济满汉潜湿湾灾热灯牵状独获奖"
    "环画异叠尽监众确码础礼御称稳穷笔筹粮纪纸纳纯组细终结绝综维线练编缓县绩系织继续罚习圣声职肃胁脱兴举舰艰庄华叶着盖苹兰虚虫"
    "卫冲补装制复袭订讨训诊诺谋谱丰贝财责货贩贵贷宾赏赛赢赵赶迹跃车军较载辅轻轮输转办农连游达违递远适迟选遗边邮郑针铃锐钢错键"
    "锁镜铁闪闲阅板阵陈陆队阶际随隐只双杂鸡离难灵静韩页顶项顺须频颜顾饭养余松鱼鲜丽么党龄龟执创传储优儿内册凯划则刚剧劲胜劳势"
    "励单却厉参丛启乔吗严嘱围园图坚场尘垫压坏壮壶够梦夺奋妇妈孙宁审写宽寻专尴届属冈峡岛岭岩币帅带帮干厅弥恒悦恶恼爱惨惯凭忆悬"
    "恋抛挟舍扫挂采换挥摇抢挡拟挤摊叙敛畅暂历胧杆弃荣枪乐楼枢桥检柜残毁涨灭沟滞渔洁润泽浓滤洒烟烦烧烂尔墙牺犹狮献玛玺琼毕疗愈"
    "皑盗卢了矫朱矿硕祸禅积谷窝窃笺笃签篮紧绪缩绳绘罗罢羡义翘肿肤胶脸腊临台铺舱艺荐药苏虏蚀萤蚕衬询诗志诞诚谁课诸谓谨誉贡贯贴"
    "贺赔赖质辉辈辞逊迁邻丑释钓钞铅铜衔铺锦锅钟镇鉴阁阔阴隶虽雾韦响顿颇颁颈颗颠飘饼饥骑骗腾惊闹凤鸣鹅鹰盐面霉出汇伦缇注昵布占"
    "俩侧仅偿尽凶冻剥劝汇厌唤尝吨圆尧坠垄妆娱婴宝尸屉几庐弑弯径惧撷拢揽叙昼晓桩壳污涌温卤沪渐溃浏滩乌狱琐琏疯皱杯瞩炮禄禀洼纹"
    "纾丝绑绿缘纵缴纤坛骂耸脉肾艳苍莲蒋萧萨蓝芦虾众袅诉诈夸谎谣猪猫赃趋踪轨辑辖辩乡酿钮锋表镀钻闸陇隽雳韵颅喂驿脏胡鲸鸭鸥斋台"
    "台仪冲借欲周干蕴刘杨吴冯邓吕谭贾邹阎龚汤邬邝伟杰亚鹏涛岳聂阳枫颖莹聪贤勋铭驰骏滨沈贞岗铎啸韬钧锴颂珑玑潍颍灏邺祎炜烨晔玮"
    "晖钰铿镭闯阐陕雏颐颢骁侬兖剑勋娇仑嵘迪彦彻恺虑桦横涤灿瑶祯稣绮纶纬缙缪翱莱觐咏谕谦艳赟舆迈钊铮铠靓韫颉飙骞骥郁鲲鹤"
    "辆驾驶镁锂钠钴镍奥纽触钥韧"
)
_T2S = str.maketrans(_TRAD + _MORE_TRAD, _SIMP + _MORE_SIMP)
# Full-width forms -> ASCII (same length); the dev texts already use ASCII.
_FW = str.maketrans(
    "，！？；：（）【】「」『』　＂＇［］“”‘’",
    ",!?;:()[]\"\"\"\" \"'[]\"\"''",
)
# 。 and 、 stay as they are: they are unambiguous sentence and list marks.
#: full-width letters and digits (Ｄｏｃｋｅｒ, ２０１９) -> ASCII, one for one
_WIDE = str.maketrans({c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c - 0xFEE0).isalnum()})

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RE = re.compile(f"[{CJK}]")


def fold(text: str) -> str:
    """Simplified, ASCII-punctuated copy of text with identical offsets."""
    return text.translate(_T2S).translate(_FW).translate(_WIDE)


def simplified(text: str) -> str:
    """Traditional characters folded to Simplified, wide letters to ASCII (same length)."""
    return text.translate(_T2S).translate(_WIDE)


_ABBREV = re.compile(r"(?:\b(?:Inc|Corp|Co|Ltd|Jr|Sr|St|Mr|Ms|Dr|vs|No)\s?|\d)$")
_STRONG_END = re.compile(r"[。！？!?\n]+|\.(?=\s*(?:[" + CJK + r"\"“”'《(\[]|$))")


@lru_cache(maxsize=64)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) spans of sentences, white space trimmed.

    Ends at 。！？!? and line breaks, and at an ASCII "." before CJK or the end
    (the texts fold full-width punctuation to ASCII), except after "Inc" and
    similar abbreviations ("Example Inc .制造" is one sentence).
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _STRONG_END.finditer(text):
        if m.group(0).startswith(".") and _ABBREV.search(text[max(0, m.start() - 8):m.start()]):
            continue
        end = m.end() if m.group(0)[0] != "\n" else m.start()
        _push(text, start, end, spans)
        start = m.end()
    _push(text, start, len(text), spans)
    return tuple(spans)


def _push(text: str, s: int, e: int, out: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        out.append((s, e))


class Occupancy:
    """Which characters are already covered by a span (linear-time overlap checks)."""

    def __init__(self, n: int) -> None:
        self.used = bytearray(n + 1)

    def free(self, s: int, e: int) -> bool:
        return not any(self.used[s:e])

    def take(self, s: int, e: int) -> None:
        self.used[s:e] = b"\x01" * (e - s)


