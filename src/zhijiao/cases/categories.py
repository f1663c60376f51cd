"""The professional-degree categories (专业学位类别) of the 《研究生教育学科专业目录（2022年）》 with their codes, the
way 国务院学位委员会 and the Ministry of Education publish them: the first two digits are the 学科门类, the third is 5
(a professional degree), so 0251 is 金融 under 经济学 and 1251 is 工商管理 under 管理学.

Names follow the 2022 catalogue: 0453 is 国际中文教育 (汉语国际教育 until 2022), and the single 1351 艺术 of the 2011
list became 1352 音乐 … 1357 设计. The catalogue of a case library files every case under one of these.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

from zhijiao.orgs.disciplines import CATEGORIES

# (code, Chinese name); gettext_noop marks the names for translation and leaves them as they are.
PROFESSIONAL_DEGREES: tuple[tuple[str, str], ...] = (
    ("0251", gettext_noop("金融")),
    ("0252", gettext_noop("应用统计")),
    ("0253", gettext_noop("税务")),
    ("0254", gettext_noop("国际商务")),
    ("0255", gettext_noop("保险")),
    ("0256", gettext_noop("资产评估")),
    ("0258", gettext_noop("数字经济")),
    ("0351", gettext_noop("法律")),
    ("0352", gettext_noop("社会工作")),
    ("0353", gettext_noop("警务")),
    ("0354", gettext_noop("知识产权")),
    ("0355", gettext_noop("国际事务")),
    ("0451", gettext_noop("教育")),
    ("0452", gettext_noop("体育")),
    ("0453", gettext_noop("国际中文教育")),
    ("0454", gettext_noop("应用心理")),
    ("0551", gettext_noop("翻译")),
    ("0552", gettext_noop("新闻与传播")),
    ("0553", gettext_noop("出版")),
    ("0651", gettext_noop("博物馆")),
    ("0851", gettext_noop("建筑")),
    ("0853", gettext_noop("城乡规划")),
    ("0854", gettext_noop("电子信息")),
    ("0855", gettext_noop("机械")),
    ("0856", gettext_noop("材料与化工")),
    ("0857", gettext_noop("资源与环境")),
    ("0858", gettext_noop("能源动力")),
    ("0859", gettext_noop("土木水利")),
    ("0860", gettext_noop("生物与医药")),
    ("0861", gettext_noop("交通运输")),
    ("0862", gettext_noop("风景园林")),
    ("0951", gettext_noop("农业")),
    ("0952", gettext_noop("兽医")),
    ("0954", gettext_noop("林业")),
    ("1051", gettext_noop("临床医学")),
    ("1052", gettext_noop("口腔医学")),
    ("1053", gettext_noop("公共卫生")),
    ("1054", gettext_noop("护理")),
    ("1055", gettext_noop("药学")),
    ("1056", gettext_noop("中药学")),
    ("1057", gettext_noop("中医")),
    ("1058", gettext_noop("医学技术")),
    ("1059", gettext_noop("针灸")),
    ("1151", gettext_noop("军事")),
    ("1251", gettext_noop("工商管理")),
    ("1252", gettext_noop("公共管理")),
    ("1253", gettext_noop("会计")),
    ("1254", gettext_noop("旅游管理")),
    ("1255", gettext_noop("图书情报")),
    ("1256", gettext_noop("工程管理")),
    ("1257", gettext_noop("审计")),
    ("1352", gettext_noop("音乐")),
    ("1353", gettext_noop("舞蹈")),
    ("1354", gettext_noop("戏剧与影视")),
    ("1355", gettext_noop("戏曲与曲艺")),
    ("1356", gettext_noop("美术与书法")),
    ("1357", gettext_noop("设计")),
)

NAMES: dict[str, str] = dict(PROFESSIONAL_DEGREES)
_GROUP_NAMES = dict(CATEGORIES)


def name_of(code: str) -> str:
    """The category's Chinese name ('' for an unknown code)."""
    return NAMES.get(code, "")


def group_of(code: str) -> tuple[str, str]:
    """The 学科门类 a category sits under: ('12', '管理学') for 1251."""
    return code[:2], _GROUP_NAMES.get(code[:2], "")


def is_category(code: str) -> bool:
    return code in NAMES
