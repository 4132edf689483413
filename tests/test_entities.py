"""Entities, mentions and relations on the real reports: scores against the hand-annotated gold
sets, offsets, identity and aliases, and the error paths of the data files."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest

from kg.build import read_documents
from kg.errors import InputError
from kg.evaluate.entities import evaluate, load_gold
from kg.extract.entities import Lexicon, extract_entities, load_lexicon
from kg.extract.relations import co_mentions, find_relations

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "data" / "source"
GOLD = ROOT / "tests" / "gold"
LEXICON = ROOT / "data" / "lexicon"


@pytest.fixture(scope="module")
def docs() -> dict:
    return {p.stem: read_documents([p])[0] for p in sorted(SOURCES.glob("*.txt"))}


@pytest.fixture(scope="module")
def extractions(docs: dict) -> dict:
    return {name: extract_entities(doc) for name, doc in docs.items()}


# --- scores against the gold sets ------------------------------------------------------------

# (gold file, minimum precision, recall, type accuracy, relation precision)
# On 2026-12-06 these gold sets were brought to the issue-18 conventions (policies without 《》,
# quoted formulas, national strategies, broad sectors, goals): about 250 rows were added by reading
# the texts, so recall is measured against a larger, stricter gold than before. The floors sit just
# under the figures measured then (tests/gold/SCORES.md) and only catch a regression.
# Relation precision on Jiading was 0.873 and is 0.735 after issue 18 (lowered on purpose, not a
# regression): its gold was written before phases, partners of the government and kg:about were
# extracted, and 18 of the 22 relations it counts wrong are of those kinds (6 phases partOf their
# project, 6 partners, 5 about, 1 locatedIn 嘉定工业区); read in the text, 17 of the 18 are true.
# Sixth round: a zone, port or park named by its place is locatedIn it (雄安中关村科技园 locatedIn 雄安新区),
# as the annotation brief and every gold set written since say; these two older sets say partOf for
# such names (正定新区 partOf 正定), so their relation figures fell on purpose (嘉定 precision .729 → .640,
# 河北 2022 .800 → .560; SCORES.md, sixth round), while 河北 2009/2026 and 山西/陕西 2026 rose.
# Seventh round: a policy the sentence launches (实施…行动) is about the industries listed after it; 嘉定's gold
# has none of these, so its precision fell .640 → .606 (汽车“新四化”专项行动 about 新能源汽车, 智能网联汽车 …, true
# in the text), while 宁夏 2026 rose .286 → .744 (recall .066 → .475) and 河北 2026 .314 → .415; 河北 2022 fell
# .560 → .519 the same way (现代服务业创新发展工程 about 服务业, 制造业: the sentence names them after the programme).
# Ninth round: sections are partOf the project their name opens with; 嘉定's gold has neither 13号线西延伸段 partOf
# 13号线 nor …公共实训基地嘉定分基地 partOf …公共实训基地, so its relation precision fell .606 → .596; nor the
# industries a 《》 document is about (《休闲农业规划（2020-2025年）》 about 休闲农业): .596 → .577.
TARGETS = [
    ("entities-jiading-2021.csv", 0.85, 0.65, 0.95, 0.57),
    ("entities-hebei-2022.csv", 0.90, 0.74, 0.93, 0.50),
    ("entities-hebei-2022.blind.csv", 0.85, 0.70, 0.95, 0.0),
    ("entities-hebei-2021.blind.csv", 0.83, 0.77, 0.95, 0.0),
    ("entities-hebei-2021.blind2.csv", 0.50, 0.42, 0.85, 0.0),
    ("entities-jiading-2021.blind2.csv", 0.88, 0.45, 0.95, 0.0),
]


@pytest.mark.parametrize(("gold", "precision", "recall", "typed", "rel_precision"), TARGETS)
def test_scorer_meets_targets(gold: str, precision: float, recall: float, typed: float, rel_precision: float) -> None:
    scores = evaluate(GOLD / gold, SOURCES)
    report = scores.describe(details=True)
    assert scores.precision >= precision, report
    assert scores.recall >= recall, report
    assert scores.type_accuracy >= typed, report
    assert scores.relation_precision >= rel_precision, report


# Relation recall on the development sets, just under the figures of issue 18 (tests/gold/SCORES.md):
# before it, 国务院 2017 0.111, 湖北 2026 0.385, 河北 2009 0.077, 河北 2022 0.769, 嘉定 2021 0.886.
RELATION_RECALL = [
    ("entities-state-council-2017.csv", 0.33),
    ("entities-hubei-2026.csv", 0.46),
    ("entities-hebei-2009.csv", 0.15),
    ("entities-hebei-2022.csv", 0.52),  # sixth round: .769 → .538, partOf → locatedIn for zones (above)
    ("entities-jiading-2021.csv", 0.80),  # sixth round: .899 → .826, the same
    ("entities-chongqing-2026.csv", 0.25),  # issue 18, fourth round: 0.100 before, 0.300 after
    ("entities-state-council-2005.csv", 0.75),  # 0.000 before, 1.000 after (4 gold relations)
]

# Entity floors on the anchored development sets, just under the figures at the end of issue 18's
# fourth round (tests/gold/SCORES.md); 重庆 2026 and 国务院 2005 were blind before that round
# (P 0.537 R 0.272 and P 0.703 R 0.400 on first run).
DEVELOPMENT_FLOORS = [
    ("entities-chongqing-2026.csv", 0.86, 0.75, 0.93),
    ("entities-state-council-2005.csv", 0.90, 0.90, 0.95),
    # ninth round: P .851 → .827, three forms its gold leaves out — 增值税 (the national taxes joined the
    # lexicon), 营改增政策 (a lexicon policy named as a 政策, as 西藏's gold writes 企业所得税政策), 煤电行业;
    # twelfth round: P .827 → .819, 结构性减税 (扩大结构性减税范围), a national policy of the lexicon now (国务院
    # 2009's gold writes it, this one leaves it out)
    ("entities-state-council-2017.csv", 0.81, 0.82, 0.97),
    ("entities-hubei-2026.csv", 0.88, 0.84, 0.97),
    ("entities-hebei-2009.csv", 0.80, 0.82, 0.97),
]


@pytest.mark.parametrize(("gold", "precision", "recall", "typed"), DEVELOPMENT_FLOORS)
def test_development_sets_keep_their_floor(gold: str, precision: float, recall: float, typed: float) -> None:
    from kg.evaluate.anchored import evaluate_entities

    scores = evaluate_entities(GOLD / gold)
    report = scores.describe(details=True)
    assert scores.precision >= precision, report
    assert scores.recall >= recall, report
    assert scores.type_accuracy >= typed, report


@pytest.mark.parametrize(("gold", "recall"), RELATION_RECALL)
def test_relation_recall_keeps_its_floor(gold: str, recall: float) -> None:
    from kg.evaluate.anchored import evaluate_entities, is_anchored

    path = GOLD / gold
    scores = evaluate_entities(path) if is_anchored(path) else evaluate(path, SOURCES)
    assert scores.relation_recall >= recall, scores.describe(details=True)


def test_jiading_gold_has_two_sections_and_forty_relations() -> None:
    gold = load_gold(GOLD / "entities-jiading-2021.csv")
    assert gold.sections == ("1", "3")
    assert len(gold.entities) > 150
    assert len(gold.relations) >= 40
    assert set(gold.entities.values()) == {"Project", "Industry", "Place", "Organization", "Policy", "Event", "Goal"}


def test_scorer_counts_misses_and_spurious(docs: dict) -> None:
    """The scorer is not a constant: an empty extraction scores zero recall."""
    from kg.evaluate.entities import score
    from kg.extract.entities import Extraction

    gold = load_gold(GOLD / "entities-jiading-2021.csv")
    empty = score(docs["jiading-2021"], gold, Extraction((), (), ()), relations=[])
    assert (empty.recall, empty.precision, empty.matched) == (0.0, 0.0, 0)
    assert len(empty.missed) == len(gold.entities)


def test_scorer_leaves_out_only_the_speaking_government_not_written_in_scope() -> None:
    """The government speaking as "we" is a relation endpoint, not a name to find, unless the scope
    writes it; every other gold row, and the government when written, is still counted missed."""
    from kg.evaluate.entities import GoldSet, score
    from kg.extract.entities import Extraction
    from kg.text.segment import segment
    from kg.text.source import SourceText

    text = ("2021年上海市嘉定区人民政府工作报告\n——2021年1月6日在嘉定区人大会议上\n区长 高香\n各位代表：\n"
            "一、工作回顾\n安亭新院建成，召开区公共卫生建设大会。\n二、今年工作\n嘉定区人民政府与国务院有关部门合作。\n")
    doc = segment(SourceText(Path("x.txt"), text, ""))
    assert doc.meta.government == "上海市嘉定区人民政府"
    rows = {"嘉定区人民政府": "Organization", "安亭新院": "Project", "国务院": "Organization"}
    empty = Extraction((), (), ())
    first = score(doc, GoldSet("x", ("1",), rows), empty, relations=[])
    assert first.left_out == ("嘉定区人民政府",)
    assert first.gold == 2 and set(first.missed) == {"安亭新院/Project", "国务院/Organization"}
    written = score(doc, GoldSet("x", ("2",), rows), empty, relations=[])  # the scope names it: still a miss
    assert written.left_out == () and "嘉定区人民政府/Organization" in written.missed


# --- offsets ---------------------------------------------------------------------------------


def _plain(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


@pytest.mark.parametrize("report", ["jiading-2021", "hebei-2021", "hebei-2022"])
def test_mention_offsets_round_trip_to_the_original_file(report: str, docs: dict, extractions: dict) -> None:
    doc, found = docs[report], extractions[report]
    source = doc.source.text
    sentences = {s.index: s for s in doc.sentences}
    assert len(found.mentions) > 100
    for m in found.mentions:
        assert sentences[m.sentence].text[m.i:m.j] == m.text
        # the file holds the same characters, up to the line breaks, spaces and full-width digits
        # that normalisation removed: 上汽大众 MEB 工厂 is 上汽大众MEB工厂
        assert _plain(source[m.start:m.end]) == _plain(m.text), (m, source[m.start:m.end])
        assert source[m.start] == m.text[0] or _plain(source[m.start]) == _plain(m.text[0])
    for part in found.parts:
        start, end = sentences[part.mention.sentence].span(part.i, part.j)
        assert _plain(source[start:end]) == _plain(sentences[part.mention.sentence].text[part.i:part.j])


# --- identity and aliases --------------------------------------------------------------------


def _keys(found, text: str) -> set[str]:
    return {m.key for m in found.mentions if m.text == text}


def test_jiading_aliases_are_one_entity(extractions: dict) -> None:
    found = extractions["jiading-2021"]
    assert _keys(found, "嘉定") == {"嘉定区"}
    assert found.entity("嘉定区").cls == "Place"
    assert "嘉定" in found.entity("嘉定区").aliases


def test_relative_names_resolve_to_the_reporting_district(docs: dict) -> None:
    from kg.extract.entities import _canonical, _Context

    ctx = _Context.of(docs["jiading-2021"])
    lex = load_lexicon()
    assert _canonical("本区", "Place", ctx, lex) == "嘉定区"
    assert _canonical("区委", "Organization", ctx, lex) == "嘉定区委"
    assert _canonical("市政府", "Organization", ctx, lex) == "上海市人民政府"
    assert _canonical("嘉定区人民政府", "Organization", ctx, lex) == "上海市嘉定区人民政府"
    assert _canonical("区公共卫生中心", "Project", ctx, lex) == "嘉定区公共卫生中心"
    hebei = _Context.of(docs["hebei-2022"])
    assert _canonical("省委", "Organization", hebei, lex) == "河北省委"
    # an autonomous region's own level word is three characters: 自治区数据条例 is the region's whole name + 数据条例
    region = "宁夏回族自治区"
    ningxia = _Context(f"{region}人民政府", {"省": region, "自治区": region, "区": region})
    assert _canonical("自治区数据条例", "Policy", ningxia, lex) == "宁夏回族自治区数据条例"
    assert _canonical("区公共卫生中心", "Project", ningxia, lex) == "宁夏回族自治区公共卫生中心"


def test_company_and_its_factory_are_two_entities(extractions: dict) -> None:
    found = extractions["jiading-2021"]
    assert found.entity("上汽大众").cls == "Organization"
    assert found.entity("上汽大众MEB工厂").cls == "Project"


def test_short_forms_link_to_the_full_name_seen_before(extractions: dict) -> None:
    found = extractions["jiading-2021"]
    assert _keys(found, "新城") == {"嘉定新城"}
    assert _keys(found, "综合保税区") == {"嘉定综合保税区"}
    first_full = min(m.sentence for m in found.mentions if m.text == "嘉定综合保税区")
    assert all(m.sentence > first_full for m in found.mentions if m.text == "综合保税区")


def test_lexicon_hierarchy_is_loaded() -> None:
    lex = load_lexicon()
    assert list(lex.ancestors("南翔镇"))[:2] == ["嘉定区", "上海市"]
    assert "汽车产业" in set(lex.ancestors("智能网联汽车"))
    assert lex.entries["石家庄市"].broader == ("河北省",)


# --- relations -------------------------------------------------------------------------------


def test_relations_carry_their_evidence_sentence(docs: dict, extractions: dict) -> None:
    doc, found = docs["jiading-2021"], extractions["jiading-2021"]
    rels = find_relations(found, doc)
    texts = {s.index: s.text for s in doc.sentences}
    anting = [r for r in rels if (r.subject, r.predicate, r.object) == ("安亭新院", "locatedIn", "安亭镇")]
    assert anting and "安亭新院" in texts[anting[0].sentence]
    issued = {r.subject for r in rels if r.predicate == "issuedBy" and r.object == "上海市嘉定区人民政府"}
    assert "进口冷链食品全流程疫情防控工作方案" in issued
    assert ("818金秋购车节", "partnerOf", "上汽大众") in {(r.subject, r.predicate, r.object) for r in rels}


def test_co_mention_is_a_separate_weaker_relation(docs: dict, extractions: dict) -> None:
    found = extractions["jiading-2021"]
    pairs = co_mentions(found)
    assert all(a < b for a, b, _ in pairs)
    stated = {(r.subject, r.object) for r in find_relations(found, docs["jiading-2021"])}
    assert len(pairs) > len(stated)


# --- data file errors ------------------------------------------------------------------------


def _copy_lexicon(tmp_path: Path) -> Path:
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON, folder)
    return folder


def test_malformed_lexicon_names_the_file(tmp_path: Path) -> None:
    folder = _copy_lexicon(tmp_path)
    (folder / "places.ttl").write_text("@prefix kg: <x> .\n<a> a kg:Place ;", encoding="utf-8")
    with pytest.raises(InputError, match=r"places\.ttl: is not valid Turtle"):
        load_lexicon(folder)


def test_unknown_pattern_class_names_the_file_and_line(tmp_path: Path) -> None:
    folder = _copy_lexicon(tmp_path)
    path = folder / "entity-patterns.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("大楼,Building,2,10,,,\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(InputError, match=rf"entity-patterns\.csv:{line}: column class has 'Building'; expected one of "
                                         r"Project, Industry, Place"):
        load_lexicon(folder)


def test_the_words_of_the_name_rules_are_data(tmp_path: Path) -> None:
    from kg.extract.candidates import candidates, choose
    from kg.extract.relations import load_verbs

    text = "北管、周泾、毛桥3个村，本区"

    def found(lex: Lexicon) -> list[tuple[str, str]]:
        kept, _ = choose(candidates(text, lex))
        return [(text[c.i:c.j], c.cls) for c in kept]

    assert found(load_lexicon()) == [("北管", "Place"), ("周泾", "Place"), ("毛桥", "Place"), ("本区", "Place")]
    folder = _copy_lexicon(tmp_path)
    heads = folder / "list-heads.csv"
    heads.write_text(heads.read_text(encoding="utf-8").replace("村,Place,", "村,Project,"), encoding="utf-8")
    names = folder / "relative-names.csv"
    names.write_text(names.read_text(encoding="utf-8").replace("本区,place,区\n", ""), encoding="utf-8")
    assert found(load_lexicon(folder)) == [("北管", "Project"), ("周泾", "Project"), ("毛桥", "Project")]
    verbs = folder / "relation-words.csv"
    verbs.write_text(verbs.read_text(encoding="utf-8").replace("举办,organise", "举办,issue"), encoding="utf-8")
    assert load_verbs(folder).issue.search("举办《") and not load_verbs(folder).organise.search("举办")


def test_gold_with_an_unknown_type_names_the_row(tmp_path: Path) -> None:
    gold = tmp_path / "entities-jiading-2021.csv"
    gold.write_text("section,text,type\n1,嘉定,Town\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2: type 'Town'"):
        load_gold(gold)


def test_gold_for_a_missing_report_says_so(tmp_path: Path) -> None:
    gold = tmp_path / "entities-nowhere-2030.csv"
    gold.write_text("section,text,type\n1,嘉定,Place\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"nowhere-2030\.txt does not exist"):
        evaluate(gold, SOURCES)
