"""Bad input files get clear errors naming the file and position, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.source import read_source

SOURCES = Path(__file__).resolve().parent.parent / "data" / "source"


def test_gbk_file_names_line_and_suggests_iconv(tmp_path: Path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((SOURCES / "jiading-2021.txt").read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(InputError, match=r"gbk\.txt:\d+:\d+: not valid UTF-8.*iconv -f GBK"):
        read_source(gbk)


def test_binary_file_is_refused(tmp_path: Path):
    binary = tmp_path / "report.pdf"
    binary.write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    with pytest.raises(InputError, match=r"report\.pdf:2:1: binary data"):
        read_source(binary)


def test_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "nope.txt")


def test_empty_file(tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_source(empty)


def test_sha256_is_of_the_bytes():
    import hashlib

    source = read_source(SOURCES / "jiading-2021.txt")
    assert source.sha256 == hashlib.sha256((SOURCES / "jiading-2021.txt").read_bytes()).hexdigest()
