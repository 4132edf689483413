"""Bad report files through the real ``kg build`` command: exit code 2, one clear line naming
the file, no traceback, and the previous output left exactly as it was (nothing half-written,
no temporary files). Encodings that are read (GBK, ``--encoding``) build normally.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JIADING = ROOT / "data" / "source" / "jiading-2021.txt"
TEXT = JIADING.read_text(encoding="utf-8")
KG = Path(sys.executable).with_name("kg")
PREVIOUS = "# the previous graph\n"


def _kg(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KG), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120)


def _empty(d: Path) -> Path:
    (d / "empty.txt").write_text("\n \n", encoding="utf-8")
    return d / "empty.txt"


def _binary(d: Path) -> Path:
    (d / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return d / "scan.txt"


def _folder(d: Path) -> Path:
    (d / "reports").mkdir()
    return d / "reports"


def _html(d: Path) -> Path:
    (d / "page.txt").write_text(f"<!DOCTYPE html>\n<html><body><p>{TEXT[:3000]}</p></body></html>\n", encoding="utf-8")
    return d / "page.txt"


def _huge(d: Path) -> Path:
    path = d / "huge.txt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(TEXT * (50 * 2**20 // len(TEXT.encode("utf-8")) + 1))
    return path


def _latin1(d: Path) -> Path:
    (d / "latin.txt").write_bytes("Rapport du gouvernement : économie et santé.\n".encode("latin-1"))
    return d / "latin.txt"


def _utf16_without_bom(d: Path) -> Path:
    (d / "u16.txt").write_bytes(TEXT.encode("utf-16-le"))
    return d / "u16.txt"


BAD: dict[str, tuple[Callable[[Path], Path], str]] = {
    "missing": (lambda d: d / "nope.txt", "nope.txt: no such file"),
    "empty": (_empty, "empty.txt: the file is empty"),
    "binary": (_binary, "scan.txt:3:1: binary data (a PNG image), not a text file; export"),
    "folder": (_folder, "reports: is a folder"),
    "html": (_html, "page.txt:1: an HTML page"),
    "50MB": (_huge, "MB is over the 10 MB limit for one report"),
    "latin-1": (_latin1, "latin.txt:1:27: not valid UTF-8"),
    "utf16-no-bom": (_utf16_without_bom, "pass --encoding utf-16-le"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_report_exits_2_with_one_clear_line_and_leaves_the_output_alone(tmp_path: Path, case: str):
    make, expected = BAD[case]
    report = make(tmp_path)
    output = tmp_path / "out" / "triples.ttl"
    output.parent.mkdir()
    output.write_text(PREVIOUS, encoding="utf-8")
    result = _kg("build", report, "-o", output)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error: ")]
    assert len(errors) == 1 and expected in errors[0], result.stderr
    assert output.read_text(encoding="utf-8") == PREVIOUS
    assert sorted(p.name for p in output.parent.iterdir()) == ["triples.ttl"]


def test_gbk_report_builds_with_a_warning_naming_file_and_encoding(tmp_path: Path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(TEXT.encode("gbk"))
    result = _kg("build", gbk, "-o", tmp_path / "gbk.ttl")
    assert result.returncode == 0, result.stderr
    assert f"kg: warning: {gbk}: not UTF-8; read it as GB18030" in result.stderr
    assert "--encoding gb18030" in result.stderr
    utf8 = _kg("build", JIADING, "-o", tmp_path / "utf8.ttl")
    assert utf8.returncode == 0
    # Same facts: only the source file's hash differs.
    sizes = [len((tmp_path / name).read_text(encoding="utf-8").splitlines()) for name in ("gbk.ttl", "utf8.ttl")]
    assert sizes[0] == sizes[1]


def test_build_encoding_option_reads_the_named_encoding_quietly(tmp_path: Path):
    gb = tmp_path / "gb.txt"
    gb.write_bytes(TEXT.encode("gb18030"))
    result = _kg("build", gb, "--encoding", "gb18030", "-o", tmp_path / "out.ttl")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    wrong = _kg("build", gb, "--encoding", "utf-8", "-o", tmp_path / "wrong.ttl")
    assert wrong.returncode == 2 and "not valid utf-8" in wrong.stderr and "--encoding" in wrong.stderr
    assert "Traceback" not in wrong.stderr and not (tmp_path / "wrong.ttl").exists()
