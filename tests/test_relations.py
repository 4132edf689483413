"""Relations stated by a sentence's structure, and the false links issue 18 named: one test each.

Built from tiny reports (a Jiading-style header and one sentence), so a failure points at one rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract.entities import extract_entities
from kg.extract.lexicon import load_lexicon
from kg.extract.relations import find_relations
from kg.resources import lexicon_dir
from kg.text.segment import segment
from kg.text.source import SourceText

HEADER = "2021年上海市嘉定区人民政府工作报告\n——2021年1月6日在嘉定区人大会议上\n区长 高香\n各位代表：\n一、工作回顾\n"
HEBEI = "2021年河北省人民政府工作报告\n——2021年1月20日在河北省人大会议上\n省长 许勤\n各位代表：\n一、工作回顾\n"


def _relations(sentence: str, header: str = HEADER) -> set[tuple[str, str, str]]:
    doc = segment(SourceText(Path("x.txt"), header + sentence + "\n", ""))
    return {(r.subject, r.predicate, r.object) for r in find_relations(extract_entities(doc), doc)}


def _mentions(sentence: str, header: str = HEADER) -> set[str]:
    doc = segment(SourceText(Path("x.txt"), header + sentence + "\n", ""))
    return {m.key for m in extract_entities(doc).mentions}


def test_park_named_after_a_partner_city_is_not_located_there() -> None:
    found = _relations("上海嘉定工业区温州园一期基本建成。")
    assert ("上海嘉定工业区温州园一期", "locatedIn", "温州市") not in found
    assert ("上海嘉定工业区温州园一期", "partnerOf", "温州市") in found
    assert ("上海嘉定工业区温州园一期", "locatedIn", "嘉定工业区") in found
    assert ("上海嘉定工业区温州园一期", "inIndustry", "工业") not in found  # 工业 is inside 嘉定工业区


def test_place_in_brackets_is_where_the_park_is() -> None:
    found = _relations("全力建设温州（嘉定）科创园二期。")
    assert ("温州（嘉定）科创园二期", "locatedIn", "嘉定区") in found
    assert ("温州（嘉定）科创园二期", "partnerOf", "温州市") in found


def test_a_phase_is_part_of_its_project() -> None:
    found = _relations("南翔精准医学产业园二期有序推进。")
    assert ("南翔精准医学产业园二期", "partOf", "南翔精准医学产业园") in found
    assert ("南翔精准医学产业园二期", "locatedIn", "南翔镇") in found  # the phase keeps its own links


def test_china_inside_a_doctrine_is_no_mention_of_china() -> None:
    assert "中国" not in _mentions("坚持以习近平新时代中国特色社会主义思想为指导。", HEBEI)
    assert "中国" not in _mentions("为实现中华民族伟大复兴的中国梦贡献河北力量。", HEBEI)
    assert "中国" in _mentions("中国经济长期向好。", HEBEI)  # the country itself still is


def test_partner_named_after_yu_and_a_partner_verb() -> None:
    found = _relations("与上汽大众合作推出“818金秋购车节”活动。")
    assert ("818金秋购车节", "partnerOf", "上汽大众") in found


def test_partner_of_the_government_when_nothing_is_made_together() -> None:
    found = _relations("上海市嘉定区人民政府携手上汽大众，推进产业升级。")
    assert ("上海市嘉定区人民政府", "partnerOf", "上汽大众") in found


def test_located_in_the_place_a_sentence_builds_in() -> None:
    assert ("上汽大众MEB工厂", "locatedIn", "安亭镇") in _relations("在安亭建设上汽大众MEB工厂。")
    assert ("中国星网", "locatedIn", "雄安新区") in _relations("中国星网等央企落户雄安新区。", HEBEI)


def test_policy_is_about_the_industries_in_its_name_and_its_fields() -> None:
    found = _relations("抓好电力和石油天然气体制改革。", HEBEI)  # one name: 电力 and 石油天然气 share 体制改革
    assert {("电力和石油天然气体制改革", "about", "电力"), ("电力和石油天然气体制改革", "about", "天然气")} <= found
    found = _relations("深化混合所有制改革，在天然气、军工等领域迈出实质性步伐。", HEBEI)
    assert {("混合所有制改革", "about", "天然气"), ("混合所有制改革", "about", "军工")} <= found


def test_policy_named_after_its_own_place_is_not_about_it() -> None:
    found = _relations("落实嘉定国企改革三年行动方案。")
    assert not any(p == "about" and o == "嘉定区" for _, p, o in found)


def test_research_institute_is_part_of_its_company() -> None:
    found = _relations("启动中科院雄安创新研究院建设。", HEBEI)
    assert ("中科院雄安创新研究院", "partOf", "中国科学院") in found


def test_not_place_phrase_without_a_place_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "lexicon"
    shutil.copytree(lexicon_dir(), folder)
    with (folder / "not-place-phrases.csv").open("a", encoding="utf-8") as out:
        out.write("社会主义\n")
    with pytest.raises(InputError, match=r"not-place-phrases\.csv:\d+: '社会主义' holds no place name"):
        load_lexicon(folder)


def test_a_place_word_inside_a_lexicon_place_is_not_its_parent() -> None:
    found = _relations("巩固日韩、东南亚市场，开拓南亚、中东等新兴市场。", HEBEI)
    assert ("东南亚", "partOf", "南亚") not in found


def test_a_river_named_like_a_prefecture_is_not_the_prefecture() -> None:
    found = _relations("打造太行红河谷文化旅游经济带。", HEBEI)
    assert not any(o == "红河哈尼族彝族自治州" for _, _, o in found)



def test_chemicals_are_not_named_inside_a_programme_of_industrialisation() -> None:
    found = _relations("实施高新技术产业化工程和科技创新示范工程。", HEBEI)
    assert not any(o == "化工" for _, _, o in found)


def test_a_list_sharing_its_suffix_has_its_issuer() -> None:
    found = _relations("省政府制定政府部门权力和责任清单。", HEBEI)  # 权力 and 责任 share 清单: one name
    assert ("政府部门权力和责任清单", "issuedBy", "河北省人民政府") in found


CHONGQING = "2026年重庆市人民政府工作报告\n——2026年1月在重庆市人大会议上\n市长\n各位代表：\n一、工作回顾\n"


def test_companies_listed_before_an_industry_work_in_it() -> None:
    found = _relations("支持赛力斯、长城等车企提质放量。", CHONGQING)  # list-heads.csv: 车企 make cars
    assert {("赛力斯", "inIndustry", "汽车产业"), ("长城", "inIndustry", "汽车产业")} <= found


def test_a_list_head_names_an_industry_of_the_lexicon(tmp_path: Path) -> None:
    folder = tmp_path / "lexicon"
    shutil.copytree(lexicon_dir(), folder)
    heads = folder / "list-heads.csv"
    text = heads.read_text(encoding="utf-8")
    heads.write_text(text.replace("车企,Organization,,汽车产业", "车企,Organization,,汽车业"), encoding="utf-8")
    with pytest.raises(InputError, match=r"list-heads\.csv:.*汽车业"):
        load_lexicon(folder)


def test_an_everyday_industry_word_is_a_form_of_the_lexicon(tmp_path: Path) -> None:
    folder = tmp_path / "lexicon"
    shutil.copytree(lexicon_dir(), folder)
    rows = folder / "context-only.csv"
    rows.write_text(rows.read_text(encoding="utf-8") + "汽车业务\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"context-only\.csv:.*汽车业务"):
        load_lexicon(folder)


def test_a_section_named_without_its_zone_is_part_of_the_zone_before_it() -> None:
    found = _relations("高质量推进雄安新区开发建设，抓好容东片区和高铁站片区等十大工程建设。", HEBEI)
    assert ("容东片区", "partOf", "雄安新区") in found
    assert ("高铁站片区", "partOf", "雄安新区") in found
    assert not any(p == "partOf" for s, p, o in _relations("抓好容东片区建设。", HEBEI))  # no zone named before


def test_a_law_is_not_issued_by_the_government_that_drafts_it() -> None:
    found = _relations("省政府推动出台省数据资源管理条例，制定实施省数据资源管理办法。", HEBEI)
    assert not any(s.endswith("条例") and p == "issuedBy" for s, p, o in found), found
    assert ("河北省数据资源管理办法", "issuedBy", "河北省人民政府") in found, found


def test_a_name_holding_china_is_not_located_in_china() -> None:
    found = _relations("中国能建集团压缩空气储能项目开工。", HEBEI)
    assert not any(p == "locatedIn" and o == "中国" for s, p, o in found)


def test_projects_listed_before_a_count_and_an_industry_work_in_it() -> None:
    found = _relations("加快推进京津冀大数据、承德钒钛等30个战略性新兴产业示范基地建设。", HEBEI)
    assert ("承德钒钛", "inIndustry", "战略性新兴产业") in found, found


def test_a_place_a_name_only_points_to_is_not_its_site() -> None:
    """Ninth round: the centre of an area around it, a place it surrounds, two places joined by a dash, a
    river a museum is named after, the same region with 区域 — none is where the thing is."""
    assert not {r for r in _relations("加快石家庄都市圈建设。", HEBEI) if r[1] == "locatedIn"}
    assert not {r for r in _relations("推动环京津冀算力走廊建设。", HEBEI) if r[1] == "locatedIn"}
    assert ("中国—中亚峰会", "locatedIn", "中亚") not in _relations("全面落实中国—中亚峰会涉陕成果。", HEBEI)
    assert ("长江博物馆", "locatedIn", "长江") not in _relations("加快建设长江博物馆。", HEBEI)
    assert ("京津冀区域", "locatedIn", "京津冀") not in _relations("京津冀区域优良天数比率接近80%。", HEBEI)


def test_what_supported_places_run_is_about_them() -> None:
    found = _relations("支持石家庄、唐山开展可信数据空间创新发展试点。", HEBEI)
    assert ("可信数据空间创新发展试点", "about", "石家庄市") in found
    assert ("可信数据空间创新发展试点", "about", "唐山市") in found


def test_a_section_is_part_of_the_line_its_name_opens_with() -> None:
    found = _relations("轨交 13 号线西延伸段、轨交 14 号线（嘉定段）、S7 地面道路等一批交通项目有序推进。")
    assert ("13号线西延伸段", "partOf", "13号线") in found


def test_our_provinces_own_policy_is_issued_by_its_government() -> None:
    """我省“民营经济32条”: the province's own (the government is named in the report, as it is in every one)."""
    found = _relations("省政府迭代升级我省“民营经济32条”。", HEBEI)
    assert ("民营经济32条", "issuedBy", "河北省人民政府") in found


def test_a_titled_document_is_about_the_industry_it_names() -> None:
    """Inside a 《》 title an industry of the lexicon is a part (what the document is about); a place is not
    (a document is not located anywhere)."""
    found = _relations("制定《关于加快嘉定区直播和短视频产业发展的若干意见》。")
    document = "关于加快嘉定区直播和短视频产业发展的若干意见"
    assert (document, "about", "短视频") in found
    assert not any(s == document and p == "locatedIn" for s, p, _ in found)


def test_every_base_a_supported_list_of_places_builds_lies_in_each() -> None:
    """支持A、B等建设X和Y (辽宁 2026): the list may close with 等, and each name the verb governs is sited."""
    found = _relations("支持张家口、承德等建设国家冰雪产业基地和国家冰雪运动基地。", HEBEI)
    for base in ("国家冰雪产业基地", "国家冰雪运动基地"):
        for place in ("张家口市", "承德市"):
            assert (base, "locatedIn", place) in found, found


def test_a_place_named_with_its_city_is_not_located_in_itself() -> None:
    """上海浦东新区 is 浦东新区 named with its city (国务院 2006): no locatedIn to the place ending its name,
    and a verb before a lexicon place makes no place name (维护香港)."""
    found = _relations("更好发挥深圳等经济特区、上海浦东新区、天津滨海新区在改革开放中的作用。")
    assert ("上海浦东新区", "locatedIn", "浦东新区") not in found
    assert ("天津滨海新区", "locatedIn", "滨海新区") not in found
    assert "维护香港" not in _mentions("为维护香港、澳门长期繁荣稳定而努力。")
