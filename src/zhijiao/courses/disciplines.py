"""The official discipline catalogue courses are filed under: the 14 学科门类 (categories) and their 一级学科
(first-level disciplines) with the codes of the 《研究生教育学科专业目录（2022年）》 that 国务院学位委员会 and
the Ministry of Education published in September 2022 (professional-degree categories left out, except the arts'
which the catalogue lists in their place). The codes are what universities, 学信网 and the MOOC platforms use,
so a course filed under 0812 is 计算机科学与技术 everywhere.

``discipline_sync`` (called by a data migration and by ``zhijiao seed``) writes this table into the database;
the database is what pages read.
"""

from __future__ import annotations

CATEGORIES: tuple[tuple[str, str], ...] = (
    ("01", "哲学"),
    ("02", "经济学"),
    ("03", "法学"),
    ("04", "教育学"),
    ("05", "文学"),
    ("06", "历史学"),
    ("07", "理学"),
    ("08", "工学"),
    ("09", "农学"),
    ("10", "医学"),
    ("11", "军事学"),
    ("12", "管理学"),
    ("13", "艺术学"),
    ("14", "交叉学科"),
)

FIRST_LEVEL: tuple[tuple[str, str], ...] = (
    ("0101", "哲学"),
    ("0201", "理论经济学"),
    ("0202", "应用经济学"),
    ("0301", "法学"),
    ("0302", "政治学"),
    ("0303", "社会学"),
    ("0304", "民族学"),
    ("0305", "马克思主义理论"),
    ("0306", "公安学"),
    ("0307", "中共党史党建学"),
    ("0308", "纪检监察学"),
    ("0401", "教育学"),
    ("0402", "心理学"),
    ("0403", "体育学"),
    ("0501", "中国语言文学"),
    ("0502", "外国语言文学"),
    ("0503", "新闻传播学"),
    ("0601", "考古学"),
    ("0602", "中国史"),
    ("0603", "世界史"),
    ("0701", "数学"),
    ("0702", "物理学"),
    ("0703", "化学"),
    ("0704", "天文学"),
    ("0705", "地理学"),
    ("0706", "大气科学"),
    ("0707", "海洋科学"),
    ("0708", "地球物理学"),
    ("0709", "地质学"),
    ("0710", "生物学"),
    ("0711", "系统科学"),
    ("0712", "科学技术史"),
    ("0713", "生态学"),
    ("0714", "统计学"),
    ("0801", "力学"),
    ("0802", "机械工程"),
    ("0803", "光学工程"),
    ("0804", "仪器科学与技术"),
    ("0805", "材料科学与工程"),
    ("0806", "冶金工程"),
    ("0807", "动力工程及工程热物理"),
    ("0808", "电气工程"),
    ("0809", "电子科学与技术"),
    ("0810", "信息与通信工程"),
    ("0811", "控制科学与工程"),
    ("0812", "计算机科学与技术"),
    ("0813", "建筑学"),
    ("0814", "土木工程"),
    ("0815", "水利工程"),
    ("0816", "测绘科学与技术"),
    ("0817", "化学工程与技术"),
    ("0818", "地质资源与地质工程"),
    ("0819", "矿业工程"),
    ("0820", "石油与天然气工程"),
    ("0821", "纺织科学与工程"),
    ("0822", "轻工技术与工程"),
    ("0823", "交通运输工程"),
    ("0824", "船舶与海洋工程"),
    ("0825", "航空宇航科学与技术"),
    ("0826", "兵器科学与技术"),
    ("0827", "核科学与技术"),
    ("0828", "农业工程"),
    ("0829", "林业工程"),
    ("0830", "环境科学与工程"),
    ("0831", "生物医学工程"),
    ("0832", "食品科学与工程"),
    ("0833", "城乡规划学"),
    ("0834", "风景园林学"),
    ("0835", "软件工程"),
    ("0836", "生物工程"),
    ("0837", "安全科学与工程"),
    ("0838", "公安技术"),
    ("0839", "网络空间安全"),
    ("0901", "作物学"),
    ("0902", "园艺学"),
    ("0903", "农业资源与环境"),
    ("0904", "植物保护"),
    ("0905", "畜牧学"),
    ("0906", "兽医学"),
    ("0907", "林学"),
    ("0908", "水产"),
    ("0909", "草学"),
    ("0910", "水土保持与荒漠化防治学"),
    ("1001", "基础医学"),
    ("1002", "临床医学"),
    ("1003", "口腔医学"),
    ("1004", "公共卫生与预防医学"),
    ("1005", "中医学"),
    ("1006", "中西医结合"),
    ("1007", "药学"),
    ("1008", "中药学"),
    ("1009", "特种医学"),
    ("1010", "医学技术"),
    ("1011", "护理学"),
    ("1012", "法医学"),
    ("1101", "军事思想与军事历史"),
    ("1102", "战略学"),
    ("1103", "联合作战学"),
    ("1104", "军兵种作战学"),
    ("1105", "军队指挥学"),
    ("1106", "军队政治工作学"),
    ("1107", "军事后勤学"),
    ("1108", "军事装备学"),
    ("1109", "军事管理学"),
    ("1110", "军事训练学"),
    ("1111", "军事智能"),
    ("1201", "管理科学与工程"),
    ("1202", "工商管理学"),
    ("1203", "农林经济管理"),
    ("1204", "公共管理学"),
    ("1205", "信息资源管理"),
    ("1301", "艺术学"),
    ("1352", "音乐"),
    ("1353", "舞蹈"),
    ("1354", "戏剧与影视"),
    ("1355", "戏曲与曲艺"),
    ("1356", "美术与书法"),
    ("1357", "设计"),
    ("1401", "集成电路科学与工程"),
    ("1402", "国家安全学"),
    ("1403", "设计学"),
    ("1404", "遥感科学与技术"),
    ("1405", "智能科学与技术"),
    ("1406", "纳米科学与工程"),
    ("1407", "区域国别学"),
)


def catalogue_rows() -> list[tuple[str, str, str | None]]:
    """(code, name, parent code) for every category and first-level discipline, categories first."""
    rows: list[tuple[str, str, str | None]] = [(code, name, None) for code, name in CATEGORIES]
    rows += [(code, name, code[:2]) for code, name in FIRST_LEVEL]
    return rows


def discipline_sync(model: type) -> int:
    """Write the catalogue into the ``Discipline`` table given (the live model, or a migration's historical one):
    new codes added, renamed ones updated, nothing removed (courses may be filed under a code). Returns the count."""
    by_code = {row.code: row for row in model.objects.all()}  # type: ignore[attr-defined]
    for code, name, parent_code in catalogue_rows():
        parent = by_code.get(parent_code) if parent_code else None
        row = by_code.get(code)
        if row is None:
            row = model.objects.create(code=code, name=name, parent=parent)  # type: ignore[attr-defined]
            by_code[code] = row
        elif row.name != name or row.parent_id != (parent.pk if parent else None):
            row.name, row.parent = name, parent
            row.save(update_fields=["name", "parent"])
    return len(by_code)
