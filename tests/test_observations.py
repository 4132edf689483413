"""Observations: every number that states a quantity, with exact values, offsets and a scored gold set."""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import SKOS

from kg.cli import main
from kg.evaluate.observations import evaluate, read_gold
from kg.extract.observations import KINDS, extract_observations, load_rules, read_unit, sentence_observations
from kg.query import named_query, result_rows, run_query
from kg.rdf.observations import add_observations, indicator_iri
from kg.text.segment import segment
from kg.text.source import SourceText, read_source
from kg.vocab.iri import new_graph
from kg.vocab.namespace import KG

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"
GOLD = ROOT / "tests" / "gold"
CASES = json.loads((ROOT / "tests" / "cases" / "observations.json").read_text(encoding="utf-8"))["cases"]
COLUMNS = ["report", "section", "indicator", "value", "unit", "kind", "direction", "period", "qualifier", "place",
           "sentence", "value_normalized", "unit_normalized", "start", "end", "iri"]
TARGETS = {"observations-jiading-2021.csv": 0.95, "observations-hebei-2022.csv": 0.85}


@pytest.fixture(scope="module")
def docs():
    return {p.stem: segment(read_source(p)) for p in sorted(SOURCES.glob("*.txt"))}


@pytest.fixture(scope="module")
def observations(docs):
    return {name: extract_observations(doc) for name, doc in docs.items()}


def _mini_report(section: str, sentence: str):
    head = "2021年X区人民政府工作报告\n——2021年2月3日在X区人大会议上\nX区人民政府区长 高香\n各位代表：\n"
    past, tasks = "一、2020年工作回顾\n", "二、2021年主要任务\n"
    body = past + sentence + "\n" + tasks if section == "past" else past + "略。\n" + tasks + sentence + "\n"
    return segment(SourceText(Path("case.txt"), head + body, ""))


@pytest.mark.parametrize("case", CASES, ids=[c["label"] for c in CASES])
def test_golden_case(case):
    doc = _mini_report(case["section"], case["sentence"])
    got = [[o.text, o.unit, o.kind, o.direction, o.period, o.qualifier] for o in extract_observations(doc)]
    assert got == case["expect"]


@pytest.mark.parametrize("gold_name", sorted(TARGETS))
def test_scorer_meets_the_targets_on_the_gold_sets(gold_name):
    scores = evaluate(GOLD / gold_name, SOURCES)
    target = TARGETS[gold_name]
    assert scores.precision >= target and scores.recall >= target, (scores.misses, scores.extras)
    for attribute in ("kind", "unit", "period"):
        assert scores.accuracy(attribute) >= target, scores.wrong


def test_gold_sets_are_hand_sized():
    jiading = read_gold(GOLD / "observations-jiading-2021.csv")
    hebei = read_gold(GOLD / "observations-hebei-2022.csv")
    assert jiading.scope is None and len(jiading.rows) >= 190
    assert hebei.scope and "1.1" in hebei.scope and len(hebei.rows) >= 40


def test_scorer_counts_a_missed_and_a_spurious_number(docs, observations):
    doc = docs["jiading-2021"]
    predicted = observations["jiading-2021"]
    from kg.evaluate.observations import score

    gold = read_gold(GOLD / "observations-jiading-2021.csv")
    scores = score(gold, doc, predicted[1:])
    assert scores.matched == len(gold.rows) - 1 and scores.misses == (f"{predicted[0].sentence}:{predicted[0].text}%",)


@pytest.mark.parametrize("report", ["jiading-2021", "hebei-2021", "hebei-2022"])
def test_offsets_round_trip_to_the_number_as_written(docs, observations, report):
    text = docs[report].source.text
    assert observations[report]
    for o in observations[report]:
        written = unicodedata.normalize("NFKC", text[o.start:o.end])  # full-width digits as in the file
        assert written == o.text, (o, text[o.start - 5:o.end + 5])


def test_values_are_exact_decimals_never_floats(observations):
    by_text = {(o.text, o.unit): o for o in observations["jiading-2021"]}
    assert by_text["5341.7", "亿元"].value == Decimal("5341.7")
    assert str(by_text["1513.0", "亿元"].value) == "1513.0"
    assert by_text["2488.4", "亿元"].value_normalized == Decimal("248840000000")
    households, dollars = by_text["2.6", "万户"], by_text["10.4", "亿美元"]
    assert (households.value_normalized, households.unit_normalized) == (Decimal(26000), "household")
    assert (dollars.value_normalized, dollars.unit_normalized) == (Decimal(1040000000), "USD")
    assert all(isinstance(o.value, Decimal) for o in observations["jiading-2021"])


def test_unit_reading():
    assert read_unit("套（间）、代理")[:3] == ("套（间）", 4, "dwelling")
    assert read_unit("个百分点；")[0] == "个百分点"
    assert read_unit("号线") is None


def test_the_words_that_shape_a_reading_are_data(tmp_path):
    # 力争 makes a number in a review section a target; 余 is read inside a unit; 五六个 counts six.
    text = ("2021年X区人民政府工作报告\n——2021年2月3日在X区人大会议上\nX区人民政府区长 高香\n各位代表：\n"
            "一、2020年工作回顾\n新建150余家企业，力争增加值达到100亿元，组建五六个工作组。\n")
    doc = segment(SourceText(Path("x.txt"), text, ""))
    sentence = doc.sentences[-1]
    shipped = load_rules()
    found = [(o.text, o.kind, o.qualifier) for o in sentence_observations(doc, sentence, shipped)]
    assert found == [("150", "actual", "余"), ("100", "target", "力争|达到"), ("五六", "actual", "")]
    assert sentence_observations(doc, sentence, shipped)[-1].value == Decimal(6)
    folder = tmp_path / "lexicon"
    shutil.copytree(ROOT / "data" / "lexicon", folder)
    words = folder / "observation-words.csv"
    words.write_text(words.read_text(encoding="utf-8").replace("力争,future\n", ""), encoding="utf-8")
    qualifiers = folder / "qualifiers.csv"
    qualifiers.write_text(qualifiers.read_text(encoding="utf-8").replace("余,after,yes", "余,after,"), encoding="utf-8")
    edited = [(o.text, o.kind, o.qualifier) for o in sentence_observations(doc, sentence, load_rules(folder))]
    # 150余家 has no unit now, and 100亿元 is no longer a target (力争 is still a qualifier)
    assert edited == [("100", "actual", "力争|达到"), ("五六", "actual", "")]


def test_every_observation_has_a_known_kind_and_a_period(observations):
    for items in observations.values():
        for o in items:
            assert o.kind in KINDS and o.period[:4].isdigit() and o.indicator, o


def test_rdf_keeps_the_decimal_as_written_and_reuses_indicators(docs, observations):
    graph = new_graph()
    for name in ("jiading-2021", "hebei-2022"):
        add_observations(graph, docs[name], observations[name])
    assert Literal("5341.7", datatype=Literal(Decimal(1)).datatype) in set(graph.objects(None, KG.value))
    gdp = indicator_iri("地区生产总值")
    assert (gdp, SKOS.prefLabel, Literal("地区生产总值", lang="zh")) in graph
    reports = {graph.value(o, KG.inReport) for o in graph.subjects(KG.indicator, gdp)}
    assert len(reports) == 2, "one indicator node is shared by both reports"


def test_table_has_the_contract_columns(tmp_path, docs, observations):
    graph = new_graph()
    from kg.rdf.document import document_graph

    document_graph(docs["jiading-2021"], graph)
    add_observations(graph, docs["jiading-2021"], observations["jiading-2021"])
    path = tmp_path / "g.ttl"
    graph.serialize(path, format="turtle")
    result = CliRunner().invoke(main, ["table", "observations", "--graph", str(path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == COLUMNS
    assert len(rows) - 1 == len(observations["jiading-2021"])
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert (first["report"], first["section"], first["value"], first["unit"], first["kind"], first["period"]) == (
        "上海市嘉定区/2021", "1", "14.1", "%", "change", "2020H1")


def test_targets_sit_next_to_last_years_result(built_graph):
    rows = result_rows(run_query(built_graph, named_query("targets-vs-results"), bindings={"year": "2021"}))
    pairs = {(str(r["indicator"]), str(r["target"]), str(r.get("result"))) for r in rows}
    assert ("规模以上工业总产值", "8", "5341.7") in pairs
    assert ("地区生产总值", "6", "2488.4") in pairs


def test_eval_command_prints_precision_and_recall():
    result = CliRunner().invoke(main, ["eval-observations", str(GOLD / "observations-hebei-2022.csv"),
                                       "--source", str(SOURCES)])
    assert result.exit_code == 0, result.output
    assert "precision" in result.output and "recall" in result.output and "period" in result.output


def test_eval_command_names_a_missing_gold_file(tmp_path):
    result = CliRunner().invoke(main, ["eval-observations", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2 and "no such gold file" in result.output


def test_shapes_reject_an_observation_without_a_unit(docs, observations):
    from kg.rdf.document import document_graph
    from kg.rdf.validate import validate_graph

    graph = document_graph(docs["jiading-2021"])
    add_observations(graph, docs["jiading-2021"], observations["jiading-2021"][:3])
    node = next(graph.subjects(KG.unit, None))
    graph.remove((node, KG.unit, None))
    report = validate_graph(graph)
    assert not report.conforms and "unit" in report.describe()


def test_indicator_iri_is_readable():
    assert indicator_iri("固定资产投资") == URIRef("https://w3id.org/policykg/id/indicator/固定资产投资")


# The tenth round's readings, each on a sentence of a real report (河北 2003, 国务院 1997, 国务院 2008, 海南 2026,
# 山西 2026): (section, sentence, [(number, kind, period, indicator), …] of the figures checked, in order).
NAMED = [
    ("past", "三次产业比例由1997年的19.3：48.9：31.8，调整到2002年的15.6：49.9：34.5。",
     [("19.3", "share", "1997", "第一产业比例"), ("48.9", "share", "1997", "第二产业比例"),
      ("31.8", "share", "1997", "第三产业比例"), ("34.5", "share", "2002", "第三产业比例")]),
    ("past", "非公有制经济发展加快，占国内生产总值的比重达37.3%，五年提高10.1个百分点。",
     [("37.3", "share", "2020", "非公有制经济占国内生产总值的比重")]),
    ("past", "去年政府工作报告提出，物价涨幅要从14.8%降到10%左右，经过上下各方面的努力，实际回落到6.1%。",
     [("14.8", "change", "2019", "居民消费价格指数"), ("6.1", "change", "2020", "居民消费价格指数")]),
    ("past", "三次提高出口退税率，五次下调金融机构存贷款基准利率，四次下调存款准备金率。",
     [("三", "actual", "2020", "提高出口退税率次数"), ("五", "actual", "2020", "下调金融机构存贷款基准利率次数")]),
    ("past", "实施重大项目1900多个，完成投资2500亿元以上。",
     [("1900", "actual", "2020", "重大项目"), ("2500", "actual", "2020", "重大项目投资")]),
    ("past", "进口货值、免签入境游客、国际航行船舶进出、新增外资企业、离岛免税销售额"
             "分别增长38.9%、64%、19.6%、13%、46.8%。",
     [("38.9", "change", "2020", "进口货值"), ("64", "change", "2020", "免签入境游客"),
      ("46.8", "change", "2020", "离岛免税销售额")]),
    ("past", "农民实际负担比改革前减少39%。", [("39", "change", "2020", "农民实际负担")]),
    # from the development audit of indicator names (国务院 1999, 湖北 2026, 国务院 2010)
    ("past", "全社会固定资产投资全年增长19·5％。", [("19.5", "change", "2020", "全社会固定资产投资")]),
    ("past", "高等教育毛入学率提高到73.4%。", [("73.4", "share", "2020", "高等教育毛入学率")]),
    ("past", "建设保障性安居工程1.79万套。", [("1.79", "actual", "2020", "保障性安居工程")]),
    ("past", "城乡居民基础养老金最低标准从每月70元提高到88元。",
     [("70", "actual", "2019", "城乡居民基础养老金最低标准"), ("88", "actual", "2020", "城乡居民基础养老金最低标准")]),
    ("past", "所涉及的5个乡镇50个村主动作为。", [("5", "actual", "2020", "乡镇"), ("50", "actual", "2020", "村")]),
    ("past", "国务院增发1000亿元财政债券，重点用于基础设施建设。", [("1000", "actual", "2020", "财政债券")]),
    ("past", "继续发行1500亿元长期建设国债。", [("1500", "actual", "2020", "长期建设国债")]),
    # the eleventh round's (湖北 2026, 国务院 1994, 河北 2003, 甘肃 2026, 国务院 2002, and the development audit)
    ("past", "一般公共预算收入增长4.6%，总量首次突破1900亿元。",
     [("1900", "actual", "2020", "一般公共预算收入总量")]),
    ("past", "高中段教育发展迅速，招生规模由54.4万人增加到75.8万人。",
     [("75.8", "actual", "2020", "高中段教育招生规模")]),
    ("past", "新增高速公路1099公里，通车总里程达1593公里。", [("1593", "actual", "2020", "高速公路通车总里程")]),
    ("past", "城镇和农村居民恩格尔系数分别由41.9%和50.3%下降到35.4%和40%。",
     [("35.4", "share", "2020", "城镇居民恩格尔系数"), ("40", "share", "2020", "农村居民恩格尔系数")]),
    ("past", "生产安全事故起数、死亡人数、受伤人数和直接经济损失分别下降20.1%、38.8%、50.7%、39.1%。",
     [("50.7", "change", "2020", "生产安全事故受伤人数"), ("39.1", "change", "2020", "生产安全事故直接经济损失")]),
    ("past", "工业企业上云率近六成。", [("六", "share", "2020", "工业企业上云率")]),
    ("past", "我国的工业总产值增长一点二倍。", [("一点二", "change", "2020", "工业总产值")]),
    ("past", "累计筹资7436亿元，包括境外筹资352亿美元。", [("352", "actual", "2020", "境外筹资")]),
    ("past", "为80万重点群体提供就业帮扶。", [("80", "actual", "2020", "重点群体")]),
    ("past", "深化乡村综合治理，建成和美乡村样板村300多个。", [("300", "actual", "2020", "和美乡村样板村")]),
]


def test_a_tenth_is_a_share_but_not_inside_a_word():
    """六成 is 60%; 3000成功首飞 and the idiom 成千成万 hold no tenths (units.csv, not-quantities.csv)."""
    got = extract_observations(_mini_report("past", "工业企业上云率近六成，AR-E3000成功首飞，成千成万的农民增收。"))
    assert [(o.text, o.unit, o.value_normalized) for o in got] == [("六", "成", Decimal("60"))]


@pytest.mark.parametrize(("section", "sentence", "expect"), NAMED, ids=[c[1][:10] for c in NAMED])
def test_named_readings(section, sentence, expect):
    got = [(o.text, o.kind, o.period, o.indicator) for o in extract_observations(_mini_report(section, sentence))]
    for row in expect:
        assert row in got, got


def test_a_title_naming_the_five_years_first_opens_a_look_back():
    """过去五年回顾和2002年工作情况 (河北 2003): the averages and totals of its subsections are the five years'."""
    head = "2003年河北省政府工作报告\n——2003年1月在河北省人大会议上\n河北省人民政府省长\n各位代表：\n"
    body = ("过去五年回顾和2002年工作情况\n"
            "一、国民经济持续快速健康发展。2002年全省国内生产总值达到6076亿元，五年平均增长9.5%。"
            "新增高速公路1099公里。\n"
            "对今后五年和2003年政府工作的建议\n今年全省生产总值增长9%。\n")
    doc = segment(SourceText(Path("case.txt"), head + body, ""))
    got = {o.text: (o.kind, o.period) for o in extract_observations(doc)}
    assert got["6076"] == ("actual", "2002")
    assert got["9.5"] == ("change", "1998-2002")
    assert got["1099"] == ("cumulative", "1998-2002")
