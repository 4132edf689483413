"""Every IRI a build mints is valid: arbitrary text in names still gives files that both
Oxigraph and rdflib read back, in Turtle, N-Triples, TriG and N-Quads.

Names are minted into IRIs from the text (《…》 titles, …产业园 parks), so the text drawn here
lands inside IRIs: brackets, U+FFFD, controls, private-use and astral characters included.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph

from kg.build import build
from kg.vocab.iri import mint

FORMATS = {".ttl": ("turtle", ox.RdfFormat.TURTLE), ".nt": ("nt", ox.RdfFormat.N_TRIPLES),
           ".trig": ("trig", ox.RdfFormat.TRIG), ".nq": ("nquads", ox.RdfFormat.N_QUADS)}

# Characters a name can hold in a scraped report, and the ones that broke IRIs before.
NAME_CHARS = st.one_of(
    st.sampled_from(list("[]{}<>\"'|^`\\%#?/ \t　（）【】\ufffd\ue000\u200b\x7f\x85")),
    # NUL is refused as binary data by the reader (tested elsewhere); line ends would end the name
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\n\r《》。，；！？"),
)
NAMES = st.text(NAME_CHARS, min_size=1, max_size=12)


def _report(name: str, other: str) -> str:
    return ("2021年X区人民政府工作报告\n——2021年2月3日在X区人民代表大会上\nX区人民政府区长 高香\n各位代表：\n"
            f"一、工作回顾\n制定《{name}》，建设{other}产业园，投资12亿元。\n")


@pytest.mark.parametrize("text", ["产业园[1]", "a\ufffdb", "x\x00y", "\U0001f600", "\ue000", "％", "a b/c%"])
def test_minted_iris_parse_in_oxigraph(text: str) -> None:
    iri = mint("entity", text)
    ox.NamedNode(str(iri))  # raises ValueError on an invalid IRI
    assert list(ox.parse(f"<{iri}> <http://x/p> \"o\" .\n", format=ox.RdfFormat.N_TRIPLES))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, other=NAMES)
def test_any_text_builds_into_files_both_parsers_read(tmp_path_factory: pytest.TempPathFactory,
                                                      name: str, other: str) -> None:
    folder = tmp_path_factory.mktemp("iri")
    report = folder / "report.txt"
    report.write_text(_report(name, other), encoding="utf-8")
    for suffix, (rdflib_format, ox_format) in FORMATS.items():
        output = folder / f"out{suffix}"
        build([report], output)
        data = output.read_bytes()
        assert list(ox.parse(data, format=ox_format)), f"Oxigraph read nothing from {output.name}"
        target = Dataset() if suffix in (".trig", ".nq") else Graph()
        target.parse(data=data.decode("utf-8"), format=rdflib_format)
        assert len(target) or suffix in (".trig", ".nq")


def test_brackets_in_a_name_no_longer_break_the_graph(tmp_path: Path) -> None:
    """Regression: 《…[6]…》 gave an IRI with raw brackets that kg query and kg load rejected."""
    report = tmp_path / "report.txt"
    report.write_text(_report("教育[6]发展规划", "智能\ufffd"), encoding="utf-8")
    output = tmp_path / "out.ttl"
    build([report], output)
    text = output.read_text(encoding="utf-8")
    assert "%5B6%5D" in text and "[6]" not in text.split("\n@prefix")[0]
    store = ox.Store()
    store.load(output.read_bytes(), format=ox.RdfFormat.TURTLE)
    assert len(store) > 10
