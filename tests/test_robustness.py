"""Extraction never crashes, on any text: property-based tests with hypothesis.

Random and adversarial Unicode (mixed scripts, control characters, unbalanced 《》 and brackets,
10,000-digit numbers, headings only, numbers only) goes through segment → observations →
entities → RDF. Text without a report's metadata may be refused, but only with an
:class:`~kg.errors.InputError` (exit 2); a report body of any content gives a graph that
validates against the SHACL shapes and survives a Turtle round trip.

Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Graph

from kg.build import document_to_graph
from kg.errors import InputError
from kg.rdf.serialize import to_turtle
from kg.rdf.validate import validate_graph
from kg.text.segment import segment
from kg.text.source import SourceText
from kg.vocab.iri import PREFIXES

HEADER = ("2021年测试市人民政府工作报告\n——2021年1月15日在测试市第十六届人民代表大会第五次会议上\n"
          "测试市市长 张三\n各位代表：\n")
GOVERNMENT = "测试市人民政府"

FRAGMENTS = [
    # report language that triggers extraction
    "一、", "二、", "（一）", "（二）", "第一，", "各位代表：", "全市生产总值完成", "增长", "下降", "比上年增长",
    "亿元", "万元", "%", "个百分点", "万人次", "个村", "家企业", "预期目标", "力争", "到2025年", "2020年",
    "十四五", "“十四五”", "上海市", "嘉定区", "河北省", "汽车", "氢能", "项目", "建设", "等11个行业",
    "《关于推进高质量发展的意见》", "习近平", "国务院", "以上", "左右", "约", "超过", "。", "，", "；", "：",
    # adversarial structure
    "《", "》", "《《", "》》", "（", "）", "(", ")", "【", "】", "“", "”", "「", "‘", "[1]",
    "\n", "\n\n", "\r\n", "\r", "\t", "\u3000", "\u00a0", "\u200b", "\ufeff", "\u202e", "\u0301",
    "\x00", "\x07", "\x1b[31m", "\x7f", "\u2028", "\u2029", "\ufffd",
    "１２３４", "．", "−", "-", "—", "～", "1.2.3", "..", "0.", ".5", "1e10", "NaN", "∞",
    "9" * 10_000, "1" * 400, "3.14159" * 50, "一二三四五六七八九十百千万亿" * 5,
    # other scripts
    "Ελληνικά", "русский", "العربية", "עברית", "हिन्दी", "ไทย", "한국어", "日本語のテキスト", "😀🚗", "𠀀𪚥",
    "<script>alert(1)</script>", "\"quoted\"", "\\", "@prefix", "<http://x/>", "_:b0", "'''",
]
# Any code point but surrogates (a decoded file never holds one).
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
PIECES = st.lists(st.one_of(st.sampled_from(FRAGMENTS), ANY_TEXT), max_size=40).map("".join)

FAST = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _source(text: str) -> SourceText:
    return SourceText(Path("fuzz.txt"), text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


@FAST
@given(PIECES)
@example("")
@example("《" * 200 + "（" * 200)
@example("9" * 10_000)
@example("\x00\x01\x02\x1b")
def test_any_text_is_segmented_or_refused_with_an_input_error(text: str):
    try:
        doc = segment(_source(text))
    except InputError:
        return  # refused clearly: exit code 2
    document_to_graph(doc)


@FAST
@given(PIECES)
@example("一、\n二、\n（一）\n（二）\n三、\n")  # headings only
@example("123 4.5 6789 0.001 99999999 １２３")  # numbers only
@example("增长" + "9" * 10_000 + "%，完成" + "1" * 10_000 + "亿元。")  # 10,000-digit numbers
@example("《关于《推进《发展的意见》》。（一）（（（增长3%）。“十四五”《")  # unbalanced brackets
@example("Ελληνικά русский العربية 😀 上海市\u202e增长5%\x1b[0m。")  # mixed scripts and controls
def test_any_report_body_gives_a_graph_that_validates(text: str):
    started = time.monotonic()
    doc = segment(_source(HEADER + text + "\n"), government=GOVERNMENT, year=2021)
    graph = document_to_graph(doc)
    assert time.monotonic() - started < 10, "extraction took over 10 s"
    report = validate_graph(graph)
    assert report.conforms, report.describe()[:3000]
    # The graph also survives being written and read back.
    again = Graph().parse(data=to_turtle(graph, PREFIXES), format="turtle")
    assert len(again) == len(graph)
