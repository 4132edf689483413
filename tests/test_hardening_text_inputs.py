"""Text inputs that are not reports (query files, manifests, gold tables) in the wrong encoding or
binary, through the real ``kg`` command: exit 2 and one line naming the file, the line and the
character column of the first bad byte, its byte offset and that UTF-8 was expected; never a
traceback.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.text.source import read_text_file

KG = Path(sys.executable).with_name("kg")
ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "cases" / "queries-fixture" / "graph.ttl"

# Chinese before the bad byte: the column counts characters (3 here), not UTF-8 bytes (7).
GBK_AFTER_UTF8 = "# 查询\n# 中文 ".encode() + "人口".encode("gbk") + b"\nSELECT * WHERE { ?s ?p ?o }\n"
GBK_QUERY = "# 查询人口\nSELECT * WHERE { ?s rdfs:label \"人口\" }\n".encode("gbk")
BINARY = bytes(range(256)) * 4
UTF16 = "SELECT * WHERE { ?s ?p ?o }\n".encode("utf-16")

# name -> (argv after `kg`, with {file} for the bad file and {graph} for a small graph), file bytes,
#         the file's name, what the one error line must hold
CASES: dict[str, tuple[list[str], bytes, str, str]] = {
    "query -f, GBK": (["query", "-f", "{file}", "--graph", "{graph}"], GBK_QUERY, "q.rq",
                      "q.rq:1:3: byte 0xb2 (offset 2) is not UTF-8 (it decodes as GBK/GB18030); "
                      "a SPARQL query file (.rq) must be UTF-8: convert it with iconv -f GB18030 -t UTF-8"),
    "query -f, GBK after Chinese UTF-8": (["query", "-f", "{file}", "--graph", "{graph}"], GBK_AFTER_UTF8, "q.rq",
                                          "q.rq:2:6: byte 0xc8 (offset 18) is not UTF-8"),
    "query -f, binary": (["query", "-f", "{file}", "--graph", "{graph}"], BINARY, "q.rq",
                         "q.rq:1:1: binary data (a NUL byte), not text; give the path of a SPARQL query file (.rq)"),
    "query -f, UTF-16": (["query", "-f", "{file}", "--graph", "{graph}"], UTF16, "q.rq",
                         "q.rq: utf-16 text; a SPARQL query file (.rq) must be UTF-8: convert it with iconv"),
    "view --query, GBK": (["view", "--query", "{file}", "--graph", "{graph}", "-o", "{outdir}/v.html"], GBK_QUERY,
                          "v.rq", "v.rq:1:3: byte 0xb2 (offset 2) is not UTF-8"),
    "build --manifest, GBK": (["build", "--manifest", "{file}", "-o", "{outdir}/g.ttl", "{report}"],
                              "input,government\nr.txt,河北省人民政府\n".encode("gbk"), "m.csv",
                              "m.csv:2:7: byte 0xba (offset 23) is not UTF-8 (it decodes as GBK/GB18030); "
                              "a manifest CSV file (.csv) must be UTF-8"),
    "eval-observations, GBK gold": (["eval-observations", "{file}"],
                                    "# input: r.txt\nsentence,text\n1,百分之五\n".encode("gbk"),
                                    "observations-x.csv", "observations-x.csv:3:3: byte 0xb0 (offset 31) is not UTF-8"),
    "eval-entities, GBK gold": (["eval-entities", "{file}"], "# input: r.txt\ntext,type\n河北,Place\n".encode("gbk"),
                                "entities-x.csv", "entities-x.csv:3:1: byte 0xba (offset 25) is not UTF-8"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_text_input_not_in_utf8_exits_2_with_file_line_character_column(tmp_path: Path, name: str):
    argv, data, file_name, expected = CASES[name]
    bad = tmp_path / file_name
    bad.write_bytes(data)
    report = tmp_path / "r.txt"
    report.write_text("2021年政府工作报告\n各位代表：地区生产总值增长6%。\n", encoding="utf-8")
    outdir = tmp_path / "out"
    args = [a.format(file=bad, graph=FIXTURE, outdir=outdir, report=report) for a in argv]
    result = subprocess.run([str(KG), *args], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert lines[0].startswith(f"kg: error: {tmp_path}/") and expected in lines[0], lines[0]
    assert not outdir.exists(), "nothing is written on bad input"


def test_the_column_counts_characters_and_the_offset_counts_bytes(tmp_path: Path):
    path = tmp_path / "q.rq"
    path.write_bytes("SELECT 中文 ".encode() + b"\xff")
    with pytest.raises(InputError, match=r"q\.rq:1:11: byte 0xff \(offset 14\) is not UTF-8"):
        read_text_file(path, what="a query")


def test_a_bom_is_dropped_and_utf8_is_read_as_is(tmp_path: Path):
    path = tmp_path / "q.rq"
    path.write_bytes(b"\xef\xbb\xbf" + "ASK { ?s ?p \"中文\" }\r\n".encode())
    assert read_text_file(path, what="a query") == "ASK { ?s ?p \"中文\" }\r\n"
