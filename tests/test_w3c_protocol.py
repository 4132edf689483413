"""The W3C SPARQL 1.1 Protocol test manifest (vendored in ``tests/w3c/protocol``) against a real
``kg serve``: query tests on a read-only server, where every update is refused, and update tests
on one started with ``--allow-update``."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from support import free_port as _free_port

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "w3c" / "protocol"
KG = Path(sys.executable).with_name("kg")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
#: The manifest's known mistake (see tests/w3c/protocol/README.md): an encoded & and = that split
#: one parameter into two in the test's intent.
ERRATA = {"query_multiple_dataset": [("%26named-graph-uri%3D", "&named-graph-uri=")]}
RESULT_TYPES = ("application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values")
RDF_TYPES = ("text/turtle", "application/n-triples", "application/rdf+xml", "application/ld+json")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: tuple[str, ...]
    expected_format: str | None
    expected_boolean: bool | None
    expectation: str | None

    @property
    def query(self) -> bool:
        """Whether this request sends a query (not an update)."""
        return self.headers.get("content-type") == "application/sparql-query" or "query=" in self.path \
            or (self.body or b"").startswith(b"query=")


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    requests: tuple[Request, ...]

    @property
    def updates(self) -> bool:
        """Whether the manifest files it under updates (its name says so)."""
        return "update" in self.name


def _load() -> list[ProtocolTest]:
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        name = str(entry).rsplit("#", 1)[1]
        action = graph.value(entry, MF.action)
        requests = []
        for node in Collection(graph, graph.value(action, HT.requests)):
            path = str(graph.value(node, HT.absolutePath))
            for wrong, right in ERRATA.get(name, []):
                path = path.replace(wrong, right)
            path = path.replace("/sparql/", "/sparql", 1)
            headers = {}
            if (header_list := graph.value(node, HT.headers)) is not None:
                for header in Collection(graph, header_list):
                    headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
            body = None
            if (content := graph.value(node, HT.body)) is not None:
                encoding = str(graph.value(content, CNT.characterEncoding) or "UTF-8").lower()
                body = str(graph.value(content, CNT.chars)).encode(encoding)  # utf-16: with a BOM
            response = graph.value(node, HT.resp)
            statuses = tuple(sorted(str(s).rsplit("StatusCode", 1)[1]
                                    for s in graph.objects(response, MF.expectedStatus)))
            boolean = graph.value(response, MF.expectedBoolean)
            fmt = graph.value(response, MF.expectedFormat)
            expectation = graph.value(response, MF.expectation)
            requests.append(Request(str(graph.value(node, HT.methodName)), path, headers, body, statuses,
                                    str(fmt) if fmt else None, boolean.toPython() if boolean is not None else None,
                                    str(expectation) if expectation else None))
        tests.append(ProtocolTest(name, tuple(requests)))
    return tests


TESTS = _load()


def _dataset(folder: Path) -> Path:
    """The manifest's data files, each in the named graph its label names, as one TriG file."""
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    lines = []
    for data in {(graph.value(d, UT.graph), graph.value(d, RDFS.label)) for d in graph.objects(None, UT.graphData)}:
        nt = (SUITE / str(data[0]).rsplit("/", 1)[1]).read_text(encoding="utf-8")
        lines.append(f"<{data[1]}> {{\n{nt}}}\n")
    trig = folder / "protocol.trig"
    trig.write_text("".join(sorted(lines)), encoding="utf-8")
    return trig



@pytest.fixture(scope="module")
def trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _dataset(tmp_path_factory.mktemp("w3c"))


def _serve(trig: Path, *options: str) -> Iterator[int]:
    port = _free_port()
    process = subprocess.Popen([str(KG), "serve", "--graph", str(trig), "--port", str(port), *options], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "kg serve exited"
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/catalogue.json", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "kg serve did not start"
                time.sleep(0.2)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def read_only(trig: Path) -> Iterator[int]:
    yield from _serve(trig)


@pytest.fixture(scope="module")
def writable(trig: Path) -> Iterator[int]:
    yield from _serve(trig, "--allow-update")


def _send(port: int, request: Request) -> tuple[int, str, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        connection.close()


def _boolean(media: str, body: bytes) -> bool:
    if media.startswith("application/sparql-results+json"):
        return bool(json.loads(body)["boolean"])
    root = ET.fromstring(body)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"  # type: ignore[union-attr]


def _check(port: int, test: ProtocolTest) -> None:
    for number, request in enumerate(test.requests, 1):
        status, media, body = _send(port, request)
        where = f"{test.name} request {number} ({request.method} {request.path[:80]}): HTTP {status} {body[:200]!r}"
        assert f"{status // 100}xx" in request.statuses, where
        if request.expected_format == "boolean":
            assert media.startswith(RESULT_TYPES[:2]), where
            if request.expected_boolean is not None:
                assert _boolean(media, body) is request.expected_boolean, where
        elif request.expected_format == "tabular":
            assert media.startswith(RESULT_TYPES), where
        elif request.expected_format == "RDF":
            assert media.startswith(RDF_TYPES), where
            assert Graph().parse(data=body.decode("utf-8"), format=media.split(";")[0]) is not None
        if request.expectation:  # update_base_uri: ?o is an IRI resolved against a base, not <test>
            bindings = json.loads(body)["results"]["bindings"]
            assert len(bindings) == 1 and bindings[0]["o"]["type"] == "uri", where
            assert bindings[0]["o"]["value"] != "test" and "://" in bindings[0]["o"]["value"], where


def test_the_manifest_is_whole():
    assert len(TESTS) == 34
    assert sum(t.updates for t in TESTS) == 14


@pytest.mark.parametrize("test", [t for t in TESTS if not t.updates], ids=lambda t: t.name)
def test_query_tests_pass_read_only(read_only: int, test: ProtocolTest):
    _check(read_only, test)


@pytest.mark.parametrize("test", [t for t in TESTS if t.updates], ids=lambda t: t.name)
def test_update_tests_are_refused_read_only(read_only: int, test: ProtocolTest):
    for request in test.requests:
        if not request.query:
            status, _, body = _send(read_only, request)
            assert 400 <= status < 500, (test.name, status, body)
    still = _send(read_only, Request("POST", "/sparql", {"content-type": "application/sparql-query"},
                                     b"ASK { GRAPH ?g { <http://kasei.us/2009/09/sparql/data/data1.rdf> a ?t } }",
                                     ("2xx",), "boolean", True, None))
    assert _boolean(still[1], still[2]) is True, "a refused update changed the data"


@pytest.mark.parametrize("test", [t for t in TESTS if t.updates], ids=lambda t: t.name)
def test_update_tests_pass_with_updates_allowed(writable: int, test: ProtocolTest):
    _check(writable, test)
