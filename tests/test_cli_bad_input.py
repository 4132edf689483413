"""Every ``kg`` command against broken input, as a table: argv -> exit code and a piece of the one
error line. Each case runs the real ``kg`` executable in a scratch folder and must print exactly
one line on stderr, ``kg: error: …`` naming the input and the fix, with no traceback, and leave
nothing behind (no output file, no folder, no store directory).

The inputs: a missing file, a folder instead of a file, a named pipe (not a regular file), a
PNG image under a text name, and bad option values.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

KG = Path(sys.executable).with_name("kg")
ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "cases" / "queries-fixture" / "graph.ttl"
GOLD = ROOT / "tests" / "gold" / "entities-hebei-2022.csv"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"

GRAPH_FILE = "give the path of a graph file written by kg build"
#: How each command is given a graph file; {graph} is replaced by the bad input.
GRAPH_COMMANDS = {
    "validate": ["validate", "--graph", "{graph}"],
    "stats": ["stats", "--graph", "{graph}"],
    "table reports": ["table", "reports", "--graph", "{graph}"],
    "table targets": ["table", "targets", "--graph", "{graph}"],
    "compare": ["compare", "--graph", "{graph}"],
    "query": ["query", "--graph", "{graph}", "ASK {}"],
    "serve": ["serve", "--graph", "{graph}", "--port", "0"],
    "load": ["load", "--graph", "{graph}", "--store", "out/store"],
    "analyze": ["analyze", "--graph", "{graph}"],
    "export": ["export", "--graph", "{graph}", "--format", "csv", "-o", "out/e.csv"],
    "view": ["view", "--graph", "{graph}", "-o", "out/v.html"],
}
#: A bad graph input -> the piece of the message it must give.
GRAPH_INPUTS = {
    "missing.ttl": "missing.ttl: no such graph file",
    "adir": "adir: a folder without manifest.json, so not an output folder of kg build; build it with: "
            "kg build REPORTS -o adir/",
    "fifo.ttl": f"fifo.ttl: not a regular file (a device or pipe); {GRAPH_FILE}",
    "pic.ttl": f"pic.ttl:3:1: binary data (a PNG image), not a text file; {GRAPH_FILE}",
}

CASES: dict[str, tuple[list[str], int, str]] = {
    f"{name} --graph {bad}": ([a.replace("{graph}", bad) for a in argv], 2, message)
    for name, argv in GRAPH_COMMANDS.items() for bad, message in GRAPH_INPUTS.items()
}
CASES.update({
    # query: its query file, store, endpoint and options
    "query -f missing": (["query", "-f", "missing.rq", "--graph", "g.ttl"], 2,
                         "missing.rq: no such file; give the path of a SPARQL query file (.rq)"),
    "query -f folder": (["query", "-f", "adir", "--graph", "g.ttl"], 2, "'adir' is a directory; see kg query --help"),
    "query -f fifo": (["query", "-f", "fifo.ttl", "--graph", "g.ttl"], 2, "fifo.ttl: not a regular file"),
    "query -f png": (["query", "-f", "pic.rq", "--graph", "g.ttl"], 2,
                     "pic.rq:3:1: binary data (a PNG image), not text; give the path of a SPARQL query file (.rq)"),
    "query -f turtle": (["query", "-f", "g.ttl", "--graph", "g.ttl"], 2, "g.ttl:6:10: expected CONSTRUCT"),
    "query --store missing": (["query", "--store", "nostore", "ASK {}"], 2,
                              "nostore: no such store directory; create it with: kg load --store nostore"),
    "query --store file": (["query", "--store", "g.ttl", "ASK {}"], 2, "'g.ttl' is a file; see kg query --help"),
    "query --format": (["query", "--graph", "g.ttl", "--format", "yaml", "ASK {}"], 2,
                       "invalid value for '--format': 'yaml' is not one of"),
    "query --param": (["query", "--graph", "g.ttl", "-n", "reports", "-p", "year"], 2,
                      "'year': write NAME=VALUE, e.g. keyword=汽车"),
    "query --named": (["query", "--graph", "g.ttl", "-n", "no-such-query"], 2,
                      "no query named 'no-such-query' in the catalogue; kg query --list shows"),
    "query --endpoint scheme": (["query", "--endpoint", "ftp://x/q", "ASK {}"], 2,
                                "ftp://x/q: not an http(s) URL; give the endpoint like http://127.0.0.1:7878/query"),
    # table targets / compare options
    "table targets --period": (["table", "targets", "--graph", "g.ttl", "--period", "2O21"], 2,
                               "'2O21' is not a period such as 2021, 2021H1 or 2021-2025"),
    "compare --verdict": (["compare", "--graph", "g.ttl", "--verdict", "won"], 2,
                          "invalid value for '--verdict': 'won' is not one of 'met'"),
    "table --format": (["table", "entities", "--graph", "g.ttl", "--format", "xlsx"], 2,
                       "invalid value for '--format': 'xlsx' is not one of 'table', 'csv', 'json'"),
    # build
    "build missing report": (["build", "missing.txt", "-o", "out/b.ttl"], 2,
                             "missing.txt: no such file; give the path of a report .txt file"),
    "build png report": (["build", "pic.txt", "-o", "out/b.ttl"], 2,
                         "pic.txt:3:1: binary data (a PNG image), not a text file; export the report as plain"),
    "build fifo report": (["build", "fifo.ttl", "-o", "out/b.ttl", "--strict"], 2,
                          "fifo.ttl: not a regular file (a device or pipe)"),
    "build --jobs": (["build", "-j", "-1", "-o", "out/b.ttl"], 2,
                     "invalid value for '-j' / '--jobs': -1 is not in the range x>=0; see kg build --help"),
    "build --year": (["build", "--year", "20211", "pic.txt", "-o", "out/b.ttl"], 2,
                     "invalid value for '--year': 20211 is not in the range 1949<=x<=2100"),
    "build --encoding": (["build", "--encoding", "gbkk", "pic.txt", "-o", "out/b.ttl"], 2,
                         "unknown encoding 'gbkk'; use a codec name such as utf-8 or gb18030"),
    "build -o suffix": (["build", "pic.txt", "-o", "out/b.xlsx"], 2,
                        "out/b.xlsx: unknown output suffix '.xlsx'; use one of .nq, .nt, .trig, .ttl"),
    "build -o file/": (["build", "pic.txt", "-o", "g.ttl/"], 2,
                       "g.ttl: is a file, not a folder; remove it or name another folder to write"),
    "build --manifest missing": (["build", "--manifest", "missing.csv", "pic.txt", "-o", "out/b.ttl"], 2,
                                 "missing.csv: no such file; give the path of a manifest CSV file (.csv)"),
    "build --manifest png": (["build", "--manifest", "pic.csv", "pic.txt", "-o", "out/b.ttl"], 2,
                             "pic.csv:3:1: binary data (a PNG image), not text"),
    # view, analyze, export: outputs and options
    "view -o folder": (["view", "--graph", "g.ttl", "-o", "adir"], 2, "adir: is a folder; name a file inside it"),
    "view --query png": (["view", "--graph", "g.ttl", "--query", "pic.rq", "-o", "out/v.html"], 2,
                         "pic.rq:3:1: binary data (a PNG image), not text"),
    "view --query missing": (["view", "--graph", "g.ttl", "--query", "missing.rq", "-o", "out/v.html"], 2,
                             "missing.rq: no such file; give the path of a SPARQL query file (.rq)"),
    "view --depth": (["view", "--graph", "g.ttl", "--depth", "-1", "-o", "out/v.html"], 2,
                     "invalid value for '--depth': -1 is not in the range 0<=x<=10"),
    "view --focus": (["view", "--graph", "g.ttl", "--focus", "没有这个", "-o", "out/v.html"], 2,
                     "--focus '没有这个': no such node in the graph"),
    "analyze --metric": (["analyze", "--graph", "g.ttl", "--metric", "fame"], 2,
                         "invalid value for --metric: fame: choose from degree"),
    "analyze --top": (["analyze", "--graph", "g.ttl", "--top", "-3"], 2, "invalid value for '--top': -3"),
    "analyze --write folder": (["analyze", "--graph", "g.ttl", "--write", "adir"], 2, "'adir' is a directory"),
    "export --format": (["export", "--graph", "g.ttl", "--format", "svg"], 2,
                        "invalid value for '--format': 'svg' is not one of 'graphml'"),
    "export -o folder": (["export", "--graph", "g.ttl", "--format", "csv", "-o", "adir"], 2, "'adir' is a directory"),
    # serve and load options
    "serve --port": (["serve", "--port", "70000"], 2, "invalid value for '--port': 70000 is not in the range"),
    "serve --timeout": (["serve", "--timeout", "-1"], 2, "invalid value for '--timeout': -1.0 is not in the range"),
    "load neither": (["load", "--graph", "g.ttl"], 2, "give exactly one of --endpoint URL or --store DIR"),
    "load --endpoint": (["load", "--graph", "g.ttl", "--endpoint", "localhost:7878/store"], 2,
                        "localhost:7878/store: not an http(s) URL; give the endpoint like http://127.0.0.1:7878/store"),
    "load --store file": (["load", "--graph", "g.ttl", "--store", "pic.ttl"], 2, "'pic.ttl' is a file"),
    "load --store bad graph": (["load", "--graph", "bad.ttl", "--store", "out/store"], 2,
                               "bad.ttl:1:27: malformed Turtle (. is not a valid RDF object)"),
    # corpus and the evaluations
    "corpus N": (["corpus", "0", "-o", "out/c"], 2, "invalid value for 'N': 0 is not in the range x>=1"),
    "corpus -o file": (["corpus", "2", "-o", "pic.ttl"], 2, "'pic.ttl' is a file"),
    "corpus --source missing": (["corpus", "2", "-o", "out/c", "--source", "missing.txt"], 2,
                                "missing.txt: no such file; give the path of a report .txt file"),
    "corpus --source png": (["corpus", "2", "-o", "out/c", "--source", "pic.txt"], 2,
                            "pic.txt:3:1: binary data (a PNG image)"),
    "eval-observations missing": (["eval-observations", "missing.csv"], 2, "missing.csv: no such gold file"),
    "eval-observations png": (["eval-observations", "pic.csv"], 2,
                              "pic.csv:3:1: binary data (a PNG image), not text; give the path of a gold CSV file"),
    "eval-entities folder": (["eval-entities", "adir"], 2, "'adir' is a directory"),
    "eval-entities --source": (["eval-entities", str(GOLD), "--source", "nodir"], 2,
                               "its report nodir/hebei-2022.txt does not exist; name the folder with --source"),
    # the group itself
    "unknown command": (["bulid"], 2, "kg: no such command 'bulid'"),
    "unknown option": (["stats", "--grpah", "g.ttl"], 2,
                       "kg stats: no such option '--grpah'; did you mean '--graph'?; see kg stats --help"),
})


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A folder holding the bad inputs (and one good graph), as the cases name them."""
    (tmp_path / "adir").mkdir()
    for name in ("pic.ttl", "pic.rq", "pic.csv", "pic.txt"):
        (tmp_path / name).write_bytes(PNG)
    os.mkfifo(tmp_path / "fifo.ttl")
    shutil.copy(FIXTURE, tmp_path / "g.ttl")
    (tmp_path / "bad.ttl").write_text("<http://x/a> <http://x/b> .\n", encoding="utf-8")
    return tmp_path


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_exit_2_and_leaves_nothing(scratch: Path, name: str):
    argv, code, message = CASES[name]
    before = _listing(scratch)
    result = subprocess.run([str(KG), *argv], capture_output=True, text=True, timeout=120, cwd=scratch,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == code, (result.returncode, result.stderr[-3000:])
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, f"expected one line, got:\n{result.stderr[-3000:]}"
    assert lines[0].startswith("kg: error: ") and message in lines[0], lines[0]
    assert _listing(scratch) == before, f"left behind: {sorted(_listing(scratch) - before)}"


#: A file that cannot be read (chmod 000) -> argv, and the piece of the message.
UNREADABLE = {
    "stats --graph": (["stats", "--graph", "locked.ttl"], "invalid value for '--graph': Path 'locked.ttl' is not "
                      "readable; check its permissions (ls -l locked.ttl; chmod u+r locked.ttl)"),
    "query -f": (["query", "-f", "locked.rq", "--graph", "g.ttl"], "File 'locked.rq' is not readable"),
    "load --graph": (["load", "--graph", "locked.ttl", "--store", "out/store"], "Path 'locked.ttl' is not readable"),
    "build report": (["build", "locked.txt", "-o", "out/b.ttl"], "Path 'locked.txt' is not readable"),
    "build --manifest": (["build", "--manifest", "locked.csv", "pic.txt", "-o", "out/b.ttl"],
                         "File 'locked.csv' is not readable"),
    "view --query": (["view", "--graph", "g.ttl", "--query", "locked.rq", "-o", "out/v.html"],
                     "Path 'locked.rq' is not readable"),
    "eval-entities": (["eval-entities", "locked.csv"], "File 'locked.csv' is not readable"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_an_unreadable_file_is_one_line_naming_it(scratch: Path, name: str):
    """chmod 000 stops every user but root, and tests here run as root: kg runs without the
    capabilities that let root read anything (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH), as any
    other user would."""
    argv, message = UNREADABLE[name]
    for file_name in ("locked.ttl", "locked.rq", "locked.txt", "locked.csv"):
        shutil.copy(FIXTURE, scratch / file_name)
        (scratch / file_name).chmod(0)
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.fail("running as root needs setpriv (util-linux) to drop the capability to read any file")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    before = _listing(scratch)
    result = subprocess.run([*prefix, str(KG), *argv], capture_output=True, text=True, timeout=120, cwd=scratch,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-3000:]
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: ") and message in lines[0], result.stderr[-3000:]
    assert _listing(scratch) == before, f"left behind: {sorted(_listing(scratch) - before)}"
