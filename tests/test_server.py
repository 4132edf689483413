"""The SPARQL 1.1 Protocol over real HTTP: ``kg serve``'s endpoint on a free loopback port.

Every method (GET, POST form, POST direct), every result format by content negotiation, the
service description, and the limits: 403 for updates, 400 for bad queries, 503 at the timeout,
the row cap. One test starts the real ``kg serve`` command as a process.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from kg.serve.http import make_server
from kg.store import open_graph
from support import free_port as _free_port

pytestmark = pytest.mark.server

ROOT = Path(__file__).resolve().parent.parent
REPORTS_QUERY = "SELECT ?report ?year WHERE { ?report a kg:Report ; kg:year ?year } ORDER BY ?report"
CONSTRUCT_QUERY = "CONSTRUCT { ?report kg:year ?year } WHERE { ?report a kg:Report ; kg:year ?year }"
# A cross product of ~10^8 rows: far more than a fraction of a second of work.
SLOW_QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Sentence . ?b a kg:Sentence . ?c a kg:Paragraph }"


class Server:
    """A ``kg.serve.http`` running in a thread on a free loopback port."""

    def __init__(self, graph: Graph, **options: object) -> None:
        self.httpd = make_server(graph, host="127.0.0.1", port=0, **options)  # type: ignore[arg-type]
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def request(self, path: str, *, method: str = "GET", data: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers or {})
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as err:
            return err.code, dict(err.headers), err.read()

    def get(self, query: str, accept: str = "", **params: str) -> tuple[int, dict[str, str], bytes]:
        query_string = urllib.parse.urlencode({"query": query, **params})
        return self.request(f"/sparql?{query_string}", headers={"Accept": accept} if accept else {})

    def post_form(self, field: str, text: str, accept: str = "") -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if accept:
            headers["Accept"] = accept
        data = urllib.parse.urlencode({field: text}).encode()
        return self.request("/sparql", method="POST", data=data, headers=headers)

    def post_direct(self, media: str, text: str, accept: str = "") -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": media}
        if accept:
            headers["Accept"] = accept
        return self.request("/sparql", method="POST", data=text.encode("utf-8"), headers=headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.fixture(scope="module")
def graph() -> Graph:
    return open_graph(ROOT / "data" / "triples.ttl")


@pytest.fixture(scope="module")
def server(graph: Graph) -> Iterator[Server]:
    running = Server(graph, timeout=10, max_rows=500)
    yield running
    running.close()


def _json_rows(body: bytes) -> list[dict[str, str]]:
    data = json.loads(body)
    return [{k: v["value"] for k, v in row.items()} for row in data["results"]["bindings"]]


# -- methods -------------------------------------------------------------------------------

def test_get_post_form_and_post_direct_give_the_same_rows(server: Server):
    answers = [
        server.get(REPORTS_QUERY),
        server.post_form("query", REPORTS_QUERY),
        server.post_direct("application/sparql-query", REPORTS_QUERY),
    ]
    for status, headers, _ in answers:
        assert status == 200
        assert headers["Content-Type"].startswith("application/sparql-results+json")
    rows = [_json_rows(body) for _, _, body in answers]
    assert rows[0] == rows[1] == rows[2]
    assert [r["year"] for r in rows[0]] == ["2021", "2021", "2022"]
    assert rows[0][0]["report"] == "https://w3id.org/policykg/id/report/上海市嘉定区/2021"


# -- formats -------------------------------------------------------------------------------

def test_select_as_xml(server: Server):
    status, headers, body = server.get(REPORTS_QUERY, accept="application/sparql-results+xml")
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(body)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["report", "year"]
    years = [b.find("r:literal", ns) for b in root.iter("{http://www.w3.org/2005/sparql-results#}binding")
             if b.get("name") == "year"]
    assert [y.text for y in years] == ["2021", "2021", "2022"]
    assert years[0].get("datatype") == "http://www.w3.org/2001/XMLSchema#gYear"


def test_select_as_csv(server: Server):
    status, headers, body = server.post_form("query", REPORTS_QUERY, accept="text/csv")
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["report", "year"]
    assert rows[1] == ["https://w3id.org/policykg/id/report/上海市嘉定区/2021", "2021"]


def test_select_as_tsv(server: Server):
    status, headers, body = server.post_direct("application/sparql-query", REPORTS_QUERY,
                                               accept="text/tab-separated-values")
    assert status == 200 and headers["Content-Type"].startswith("text/tab-separated-values")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?report\t?year"
    assert lines[1] == ('<https://w3id.org/policykg/id/report/上海市嘉定区/2021>\t'
                        '"2021"^^<http://www.w3.org/2001/XMLSchema#gYear>')


def test_accept_quality_values_pick_the_best_format(server: Server):
    _, headers, _ = server.get(REPORTS_QUERY, accept="application/sparql-results+json;q=0.2, text/csv;q=0.9")
    assert headers["Content-Type"].startswith("text/csv")


def test_ask_in_json_and_xml(server: Server):
    _, _, body = server.get("ASK { ?s a kg:Report }")
    assert json.loads(body)["boolean"] is True
    _, _, body = server.get("ASK { ?s a kg:Nothing }", accept="application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in body


@pytest.mark.parametrize("media,rdflib_format", [
    ("text/turtle", "turtle"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
    ("application/ld+json", "json-ld"),
])
def test_construct_in_each_rdf_format(server: Server, media: str, rdflib_format: str):
    status, headers, body = server.get(CONSTRUCT_QUERY, accept=media)
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    graph = Graph().parse(data=body.decode("utf-8"), format=rdflib_format)
    assert len(graph) == 3


def test_describe_gives_a_graph(server: Server):
    status, _, body = server.get("DESCRIBE <https://w3id.org/policykg/id/report/河北省/2022>", accept="text/turtle")
    assert status == 200
    assert "王正谱" in body.decode("utf-8")


def test_unacceptable_format_is_406(server: Server):
    status, _, body = server.get(REPORTS_QUERY, accept="image/png")
    assert status == 406 and b"application/sparql-results+json" in body


# -- service description and pages ----------------------------------------------------------

def test_service_description(server: Server):
    status, headers, body = server.request("/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"] == "text/turtle"
    graph = Graph().parse(data=body.decode("utf-8"), format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    q = (f"ASK {{ ?s a <{sd}Service> ; <{sd}endpoint> <{server.url}/sparql> ; "
         f"<{sd}supportedLanguage> <{sd}SPARQL11Query> }}")
    assert graph.query(q).askAnswer
    assert not graph.query(f"ASK {{ ?s <{sd}supportedLanguage> <{sd}SPARQL11Update> }}").askAnswer


def test_query_page_and_static_files_are_local(server: Server):
    status, _, page = server.request("/query")
    assert status == 200
    html = page.decode("utf-8")
    assert "/static/yasgui.min.js" in html and "http" not in html.replace("http-equiv", "")
    for name in ("yasgui.min.js", "yasgui.min.css", "query.js", "query.css"):
        assert server.request(f"/static/{name}")[0] == 200
    assert server.request("/static/../server.py")[0] == 404


def test_catalogue_json_lists_named_queries_with_bound_defaults(server: Server):
    status, _, body = server.request("/catalogue.json")
    data = json.loads(body)
    items = {item["name"]: item for item in data["queries"]}
    assert data["prefixes"]["kg"] == "https://w3id.org/policykg/ontology#"
    assert status == 200 and len(items) >= 15
    text = items["search-sentences"]["text"]
    assert 'VALUES (?keyword) { ("汽车") }' in text
    assert "PREFIX kg: <https://w3id.org/policykg/ontology#>" in text and "PREFIX owl:" not in text


def test_root_serves_the_explorer_or_redirects_to_the_query_page(server: Server):
    status, headers, _ = server.request("/")
    assert status in (200, 302), status
    if status == 302:
        assert headers["Location"] == "/query"


# -- limits -------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["form", "direct", "query-parameter"])
def test_update_is_refused_with_403(server: Server, how: str):
    update = "INSERT DATA { <http://x/a> <http://x/b> 1 }"
    if how == "form":
        status, _, body = server.post_form("update", update)
    elif how == "direct":
        status, _, body = server.post_direct("application/sparql-update", update)
    else:
        status, _, body = server.get(update)
    assert status in ((403,) if how != "query-parameter" else (400,)), body
    assert server.get("ASK { <http://x/a> ?p ?o }")[2] == b'{"head":{},"boolean":false}'
    if how != "query-parameter":
        assert b"--allow-update" in body


def test_bad_query_is_400_with_line_and_column(server: Server):
    status, headers, body = server.get("SELECT ?s WHERE {\n  ?s kg:text }")
    assert status == 400 and headers["Content-Type"].startswith("text/plain")
    assert body.decode("utf-8").startswith("query line 2, column 14: ")


def test_unknown_prefix_is_400_naming_the_predefined_ones(server: Server):
    status, _, body = server.post_form("query", "SELECT * WHERE { ?s nope:x ?o }")
    assert status == 400 and b"unknown prefix" in body and b"kg, kgr" in body


def test_rows_are_capped(server: Server):
    status, headers, body = server.get("SELECT ?s WHERE { ?s a kg:Sentence }")
    assert status == 200 and headers["X-KG-Truncated"] == "max-rows=500"
    assert len(_json_rows(body)) == 500


def test_unsupported_post_body_is_415(server: Server):
    status, _, _ = server.request("/sparql", method="POST", data=b"{}", headers={"Content-Type": "application/json"})
    assert status == 415


def test_timeout_gives_503_with_a_clear_message_and_the_server_recovers(graph: Graph):
    quick = Server(graph, timeout=0.3)
    try:
        started = time.monotonic()
        status, _, body = quick.get(SLOW_QUERY)
        elapsed = time.monotonic() - started
        assert status == 503, body
        assert b"timeout" in body and b"--timeout" in body
        assert elapsed < 3, f"the timeout answered after {elapsed:.1f} s"
        assert quick.get("ASK { ?s a kg:Report }")[0] == 200
    finally:
        quick.close()


def test_allow_update_applies_updates(graph: Graph):
    scratch = open_graph(ROOT / "data" / "triples.ttl")
    writable = Server(scratch, allow_update=True)
    try:
        status, _, _ = writable.post_form("update", "INSERT DATA { <http://x/a> rdfs:label \"新\" }")
        assert status == 204
        _, _, body = writable.get("SELECT ?l WHERE { <http://x/a> rdfs:label ?l }")
        assert _json_rows(body) == [{"l": "新"}]
        _, _, description = writable.request("/sparql", headers={"Accept": "application/n-triples"})
        assert b"SPARQL11Update" in description
    finally:
        writable.close()


# -- the real command --------------------------------------------------------------------------


def test_kg_serve_command_binds_loopback_and_answers(tmp_path: Path):
    port = _free_port()
    kg = Path(sys.executable).with_name("kg")
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([str(kg), "serve", "--port", str(port), "--timeout", "5"], cwd=ROOT,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": REPORTS_QUERY})
        body = b""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    body = response.read()
                    break
            except OSError:
                time.sleep(0.2)
        assert len(_json_rows(body)) == 3, (tmp_path / "serve.log").read_text()
        listening = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True).stdout
        if listening:  # ss is there: check the address too
            assert [line.split()[3] for line in listening.splitlines()] == [f"127.0.0.1:{port}"]
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=10)
        log.close()
    assert "http://127.0.0.1:" in (tmp_path / "serve.log").read_text()


@pytest.mark.parametrize("stopping", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_kg_serve_stops_cleanly_even_when_started_ignoring_ctrl_c(tmp_path: Path, stopping: signal.Signals):
    """A background job of a script inherits SIGINT ignored; kg serve still stops on it, and on a kill."""
    port = _free_port()
    kg = Path(sys.executable).with_name("kg")
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen([str(kg), "serve", "--port", str(port)], cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": REPORTS_QUERY})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except OSError:
                time.sleep(0.2)
        os.kill(process.pid, stopping)
        assert process.wait(timeout=10) == 0, (tmp_path / "serve.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()


def test_timeout_in_thread_mode_for_on_disk_stores(graph: Graph):
    # Without process isolation the query is abandoned, not killed: keep this one short (~0.5 s).
    threaded = Server(graph, timeout=0.05, isolate=False)
    try:
        status, _, body = threaded.get("SELECT (COUNT(*) AS ?n) WHERE { ?a a kg:Sentence . ?b a kg:Sentence . "
                                       "?c a kg:Report . ?d a kg:SourceFile }")
        assert status == 503 and b"0.05 s timeout" in body
    finally:
        threaded.close()


def test_federated_queries_never_leave_the_server(server: Server):
    # A listening socket that records whether anything connects to it.
    with socket.socket() as trap:
        trap.bind(("127.0.0.1", 0))
        trap.listen(1)
        trap.settimeout(0.5)
        target = f"http://127.0.0.1:{trap.getsockname()[1]}/sparql"
        status, _, body = server.get(f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
        assert status == 403 and b"SERVICE" in body
        with pytest.raises(socket.timeout):
            trap.accept()


def test_load_is_refused_even_with_updates_allowed(graph: Graph):
    writable = Server(open_graph(ROOT / "data" / "triples.ttl"), allow_update=True)
    try:
        status, _, body = writable.post_form("update", "LOAD <http://127.0.0.1:9/x.ttl>")
        assert status == 403 and b"LOAD" in body
    finally:
        writable.close()


def test_a_named_graph_build_is_served_as_its_union_and_by_graph(tmp_path: Path):
    """Served from TriG (one graph per report), plain queries see every report; GRAPH sees one."""
    from click.testing import CliRunner

    from kg.cli import main

    trig = tmp_path / "corpus.trig"
    sources = sorted((ROOT / "data" / "source").glob("*.txt"))
    assert CliRunner().invoke(main, ["build", "-o", str(trig), *map(str, sources)]).exit_code == 0
    running = Server(open_graph(trig), timeout=10, max_rows=500)
    try:
        status, _, body = running.get("SELECT (COUNT(*) AS ?n) WHERE { ?o a kg:Observation }",
                                      "application/sparql-results+json")
        assert status == 200
        union = int(_json_rows(body)[0]["n"])
        status, _, body = running.get(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?o a kg:Observation } } GROUP BY ?g ORDER BY ?g",
            "application/sparql-results+json")
        per_report = {row["g"].split("/report/")[1]: int(row["n"]) for row in _json_rows(body)}
    finally:
        running.close()
    assert sorted(per_report) == ["上海市嘉定区/2021", "河北省/2021", "河北省/2022"]
    assert sum(per_report.values()) == union > 500
