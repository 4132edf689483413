"""Bad graph files through the real command (``kg stats --graph``): exit 2 and one line naming
the file, the line and what was expected: no traceback, no rdflib warnings, no dump of the file.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

KG = Path(sys.executable).with_name("kg")
HUGE = 20 * 2**20  # a 20 MB literal

CASES = {
    "unterminated.ttl": ('@prefix x: <http://x/> .\nx:a x:b "never closed .\nx:c x:d x:e .\n',
                         "unterminated.ttl:2:9: malformed Turtle (unexpected end of file; the string that starts "
                         "here is never closed)"),
    "no-dot.ttl": ("@prefix x: <http://x/> .\nx:a x:b x:c .\nx:d x:e x:f\nx:g x:h x:i .\n",
                   "no-dot.ttl:4:1: malformed Turtle (a dot is expected at the end of statements)"),
    "unknown-prefix.ttl": ("<http://x/a> <http://x/b> y:c .\n",
                           "unknown-prefix.ttl:1:27: malformed Turtle (the prefix y: has not been declared)"),
    "json.ttl": ('{\n  "@context": {"x": "http://x/"},\n  "@id": "x:a"\n}\n',
                 "json.ttl:1: this is JSON (JSON-LD?), not Turtle; expected Turtle"),
    "rdfxml.ttl": ('\n<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                   '<rdf:Description rdf:about="http://x/a"/>\n</rdf:RDF>\n',
                   "rdfxml.ttl:2: this is RDF/XML, not Turtle; expected Turtle"),
    "prefixed.nt": ("@prefix x: <http://x/> .\nx:a x:b x:c .\n", "prefixed.nt:1:1: malformed N-Triples"),
    "page.ttl": ("<!DOCTYPE html>\n<html><body>no graph here</body></html>\n", "page.ttl:1: an HTML page"),
    "huge-unterminated.ttl": ('<http://x/a> <http://x/b> "' + "长" * HUGE + "\n<http://x/c> <http://x/d> 1 .\n",
                              "huge-unterminated.ttl:1: malformed Turtle (newline found in string literal)"),
    # rdflib's parser took these with a warning at most, and kg validate called the graph fine:
    "space-in-iri.ttl": ('@prefix x: <http://x/> .\nx:a x:b "中文中文" ; x:c <http://x/a b> .\n',
                         "space-in-iri.ttl:2:22: malformed Turtle (invalid IRI code point ' ')"),
    "bad-escape.ttl": ('<http://x/a> <http://x/b> "长" , <http://x/%zz> .\n',
                       "bad-escape.ttl:1:33: malformed Turtle (invalid IRI percent encoding '%zz')"),
    # N-Quads gave no line at all; the columns count characters (中文 is two, not six bytes):
    "bad.nq": ('<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> <http://x/b> "中文" <http://x/g> <bad .\n',
               "bad.nq:2:45: malformed N-Quads (unexpected end of file; the IRI that starts here is never closed)"),
    "bad-escape.nq": ('<http://x/a> <http://x/b> "中文" <http://x/g%2> .\n',
                      "bad-escape.nq:1:32: malformed N-Quads (invalid IRI percent encoding '%2')"),
    "chinese.nt": ('<http://x/a> <http://x/b> "中文𠀀" x .\n', "chinese.nt:1:33: malformed N-Triples (the subject"),
    "chinese.trig": ('<http://x/g> { <http://x/a> <http://x/b> "中文𠀀", x }\n',
                     "chinese.trig:1:49: malformed TriG (x is not a valid RDF object)"),
}
COMMANDS = (["stats"], ["validate"], ["query", "ASK {}"], ["table", "reports"])


def _stats(graph: Path, command: tuple[str, ...] = ("stats",)) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *command, "--graph", str(graph)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_graph_file_exits_2_naming_file_line_and_what_was_expected(tmp_path: Path, name: str):
    text, expected = CASES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = _stats(path)
    _assert_one_error_line(result, path, expected)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("name", ["space-in-iri.ttl", "bad-escape.ttl", "bad.nq", "chinese.trig"])
def test_every_command_reading_a_graph_refuses_what_rdflib_would_let_through(tmp_path: Path, name: str,
                                                                             command: list[str]):
    text, expected = CASES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    _assert_one_error_line(_stats(path, tuple(command)), path, expected)


def test_a_graph_file_with_a_byte_order_mark_and_crlf_is_still_read(tmp_path: Path):
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf<http://x/a> <http://www.w3.org/2000/01/rdf-schema#label> \"\xe4\xb8\xad\" .\r\n")
    for command in (("stats",), ("query", "--format", "csv", "SELECT ?l WHERE { ?s rdfs:label ?l }")):
        result = _stats(path, command)
        assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["l", "中"]


def _assert_one_error_line(result: subprocess.CompletedProcess[str], path: Path, expected: str) -> None:
    assert result.returncode == 2, result.stderr[:2000]
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one error line, got: {result.stderr[:2000]}"
    assert lines[0].startswith(f"kg: error: {path.parent}/") and expected in lines[0], lines[0][:2000]
    assert len(lines[0]) < 600, "the message dumps the file"


def test_n_triples_named_ttl_is_read_as_turtle(tmp_path: Path):
    path = tmp_path / "g.ttl"
    path.write_text("<http://x/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x/C> .\n", encoding="utf-8")
    result = _stats(path)
    assert result.returncode == 0, result.stderr


def test_a_huge_but_valid_literal_is_read_in_memory_and_on_oxigraph(tmp_path: Path):
    path = tmp_path / "big.ttl"
    path.write_text('<http://x/a> <http://www.w3.org/2000/01/rdf-schema#label> "' + "长" * HUGE + '" .\n',
                    encoding="utf-8")
    result = _stats(path)
    assert result.returncode == 0, result.stderr[:2000]
    query = subprocess.run([str(KG), "query", "--graph", str(path), "--format", "csv",
                            "SELECT (STRLEN(?l) AS ?n) WHERE { ?s rdfs:label ?l }"],
                           capture_output=True, text=True, timeout=120)
    assert query.returncode == 0 and query.stdout.split() == ["n", str(HUGE)], query.stderr[:2000]
