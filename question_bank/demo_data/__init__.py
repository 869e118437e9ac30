"""The demo question bank: knowledge-point tree and questions written from the facts in DOMAIN.md.

One module per law / area; this package only concatenates them in a fixed order so
question codes and the parent-before-child order of KNOWLEDGE_POINTS stay stable.

Top-level areas (exam blueprints are spread over these five):
XF 宪法, QZ 行政强制法, CF 行政处罚法, CG 城市管理执法办法, BJ 本局制度 (which also holds
the eight standardisation areas as the branch BJ-BZ).

Questions that test one fact form an exclusion group (GROUPS), so no paper holds two of them and one
cannot give another away. CONSIDERED holds the item-writing warnings a trainer has weighed, with the reason
each stands (the law's own words in a true statement).
"""

from . import benju, chengguan, chufa, qiangzhi, xianfa

_MODULES = (xianfa, qiangzhi, chufa, chengguan, benju)

KNOWLEDGE_POINTS: list[tuple[str, str, str | None]] = [kp for m in _MODULES for kp in m.KNOWLEDGE_POINTS]
QUESTIONS: list[dict] = [q for m in _MODULES for q in m.QUESTIONS]

# group code → (the fact tested, question codes)
GROUPS: dict[str, tuple[str, list[str]]] = {
    "HC-XF01": ("现行宪法的通过与修改年份", ["XF-S01", "XF-T14", "XF-M06"]),
    "HC-XF02": ("一切权力属于人民", ["XF-S03", "XF-T01"]),
    "HC-XF03": ("土地所有权：城市土地国有，农村和城市郊区土地原则上集体所有", ["XF-S05", "XF-T02", "XF-T04", "XF-M10"]),
    "HC-XF04": ("国务院是最高国家行政机关", ["XF-S16", "XF-T09"]),
    "HC-XF05": ("全国人大常委会解释宪法", ["XF-S17", "XF-T11", "XF-M02", "XF-M03"]),
    "HC-XF06": ("宪法修改须全体代表三分之二以上通过", ["XF-T10", "XF-F02"]),
    "HC-XF07": ("国家宪法日与宪法宣誓",
                ["XF-S22", "XF-S23", "XF-S24", "XF-S25", "XF-T13", "XF-T15", "XF-F01", "XF-M09"]),
    "HC-XF08": ("宪法第五条：依法治国，无超越宪法和法律的特权", ["XF-F03", "XF-E01", "XF-M05", "XF-T03"]),
    "HC-QZ01": ("行政强制法2012年1月1日施行", ["QZ-S01", "QZ-T01"]),
    "HC-QZ02": ("教育与强制相结合", ["QZ-S04", "QZ-F04"]),
    "HC-QZ03": ("行政强制措施与强制执行的种类，强制措施的设定权",
                ["QZ-S07", "QZ-S08", "QZ-T03", "QZ-M01", "QZ-M02", "QZ-S09", "QZ-S10", "QZ-S11", "QZ-T04", "QZ-T05",
                 "QZ-M03"]),
    "HC-QZ05": ("当事人不到场时由见证人签名", ["QZ-S15", "QZ-M04"]),
    "HC-QZ06": ("事前报告批准；紧急当场实施24小时内报告、补办批准，不批准立即解除",
                ["QZ-S17", "QZ-T08", "QZ-F01", "QZ-S18", "QZ-T09", "BJ-S01", "BJ-S02", "BJ-S03", "BJ-S04", "BJ-T01",
                 "BJ-T02", "BJ-F01", "BJ-M03"]),
    "HC-QZ07": ("查封扣押的保管费用由行政机关承担（含逾期，本局规定）",
                ["QZ-S22", "QZ-F03", "QZ-T10", "BJ-S05", "BJ-S06", "BJ-S07", "BJ-T03", "BJ-T04", "BJ-M04"]),
    "HC-QZ08": ("强制执行前书面催告", ["QZ-S28", "QZ-M09"]),
    "HC-QZ09": ("强制执行决定应当以书面形式作出", ["QZ-S34", "QZ-T17"]),
    "HC-QZ10": ("代履行费用由当事人承担", ["QZ-S35", "QZ-T18", "QZ-M11"]),
    "HC-QZ11": ("立即代履行：道路障碍物、遗洒物、污染物", ["QZ-S37", "BJ-S24", "BJ-S27", "BJ-T13"]),
    "HC-QZ12": ("申请人民法院强制执行的期限为三个月", ["QZ-S38", "QZ-T19", "QZ-F05"]),
    "HC-QZ13": ("夜间和法定节假日不得强制执行", ["QZ-S29", "QZ-T14", "QZ-F06"]),
    "HC-QZ14": ("加处罚款或者滞纳金不得超出金钱给付义务", ["QZ-T15", "QZ-F07"]),
    "HC-CF01": ("行政处罚的设定权（限制人身自由只能由法律设定）",
                ["CF-S03", "CF-T02", "CF-S04", "CF-S05", "CF-S07", "CF-M02"]),
    "HC-CF02": ("不满十四周岁不予处罚", ["CF-S09", "CF-T05", "CF-F06", "CF-M03"]),
    "HC-CF03": ("追责时效二年", ["CF-S11", "CF-T06", "CF-F02"]),
    "HC-CF04": ("初次违法、后果轻微并及时改正的可以不予处罚", ["CF-S14", "CF-T07", "CF-E02", "BJ-S17"]),
    "HC-CF05": ("简易程序：公民二百元、组织三千元以下罚款或者警告",
                ["CF-S19", "CF-S20", "CF-T08", "CF-F01", "CF-M07"]),
    "HC-CF06": ("听证申请期限五日", ["CF-S22", "CF-T10", "CF-F05", "CF-M08"]),
    "HC-CF07": ("不得因陈述、申辩加重处罚", ["CF-S26", "CF-T11"]),
    "HC-CF08": ("逾期缴纳罚款每日加处百分之三", ["CF-S31", "CF-F04", "CF-M09"]),
    "HC-CF09": ("罚没款不得与考核挂钩", ["CF-S35", "CF-T14"]),
    "HC-CF10": ("应当从轻或者减轻处罚的情形", ["CF-S10", "CF-M04"]),
    "HC-CG01": ("城市管理执法办法的制定机关和施行日期", ["CG-S01", "CG-S02", "CG-T01", "CG-F01"]),
    "HC-CG02": ("一级执法、派驻街道、协管后果由主管部门承担",
                ["CG-S03", "CG-S04", "CG-S06", "CG-T03", "CG-T08", "CG-M03"]),
    "HC-CG03": ("协管员只能辅助，不得作出执法决定或者实施强制措施；强制措施权不得委托",
                ["CG-S05", "CG-S11", "CG-T02", "CG-F02", "CG-M01", "QZ-S13", "QZ-T06", "BJ-T08", "BJ-T15"]),
    "HC-CG04": ("执法全过程记录、扣押物品妥善保管不得使用、不得下达罚没指标",
                ["CG-S07", "CG-S08", "CG-S09", "CG-T04", "CG-T05", "CG-T07", "CG-M02", "CG-M04", "QZ-T13"]),
    "HC-CG05": ("执法人员持证上岗、定期培训考核", ["CG-S10", "CG-T06", "CG-M05"]),
    "HC-BJ01": ("协管员不持有行政执法证", ["BJ-S19", "BJ-T09"]),
    "HC-BJ02": ("法制员与法制审核",
                ["BJ-S08", "BJ-S09", "BJ-S10", "BJ-T05", "BJ-F03", "BJ-M05", "BJ-E03", "CF-M06"]),
    "HC-BJ03": ("法律知识当场考试：中队领导和法制员必考，其他人员依据花名册抽考",
                ["BJ-S11", "BJ-S12", "BJ-T10", "BJ-M10"]),
    "HC-BJ04": ("宪法学习纳入学法计划和培训计划", ["BJ-S13", "BJ-T14"]),
    "HC-BJ05": ("柔性执法六项", ["BJ-S14", "BJ-S15", "BJ-S16", "BJ-T06", "BJ-F02", "BJ-M01", "BJ-M02"]),
    "HC-BJ06": ("星级中队的四个方面", ["BJ-S20", "BJ-T11", "BJ-M07"]),
    "HC-BJ07": ("标准化体系八个领域", ["BJ-S22", "BJ-M08"]),
    "HC-BJ08": ("数字化城管的内容", ["BJ-S23", "BJ-T12"]),
    "HC-BJ09": ("执法监督方式", ["BJ-S26", "BJ-M09"]),
}

# Pairs the giveaway check links (one's key is a word in the other's stem) that a trainer judged to test
# different facts: the shared words are common terms, so they need no group (seed_demo records the judgement).
DIFFERENT_FACTS: list[tuple[str, str]] = [
    ("BJ-S20", "CF-T14"), ("CF-S02", "CG-S11"), ("CF-S02", "QZ-T03"), ("CF-S02", "QZ-T04"), ("CF-S05", "QZ-S10"),
    ("CF-S07", "QZ-S09"), ("CF-S07", "QZ-T05"), ("CG-S11", "QZ-S07"), ("CG-S11", "QZ-S11"), ("QZ-M12", "QZ-S08"),
    ("QZ-S11", "XF-S16"), ("XF-M03", "XF-S23"), ("XF-S09", "XF-T14"), ("XF-S17", "XF-S18"), ("XF-S18", "XF-S23"),
    ("XF-S20", "XF-S25"), ("XF-S23", "XF-T11"), ("XF-S25", "XF-T14"),
]

# question code → {check: reason}
CONSIDERED: dict[str, dict[str, str]] = {
    "XF-T03": {"absolute_word": "“任何组织或者个人都不得有超越宪法和法律的特权”是宪法第五条原文，本题为正确；绝对词在此不暗示答案。"},
    "XF-T05": {"absolute_word": "“在法律面前一律平等”是宪法第三十三条原文，本题为正确；绝对词在此不暗示答案。"},
}

_GROUP_OF = {code: group for group, (_name, codes) in GROUPS.items() for code in codes}
for _question in QUESTIONS:
    if _question["code"] in _GROUP_OF:
        _question["group"] = _GROUP_OF[_question["code"]]

__all__ = ["CONSIDERED", "DIFFERENT_FACTS", "GROUPS", "KNOWLEDGE_POINTS", "QUESTIONS"]
