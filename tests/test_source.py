"""Bad input files get clear errors naming the file and position, never a traceback; the
encodings Chinese reports really come in (UTF-8 with a BOM, UTF-16, GBK/GB18030, CRLF) are read
and keep their offsets.

Library-level cases here; the same cases through ``kg build`` (exit code 2, no traceback, no
output written) are in test_source_cli.py.
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import unicodedata
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.text.normalize import clean_line
from kg.text.segment import segment
from kg.text.source import MAX_REPORT_BYTES, MAX_REPORT_ENV, read_source

SOURCES = Path(__file__).resolve().parent.parent / "data" / "source"
JIADING = SOURCES / "jiading-2021.txt"
TEXT = JIADING.read_text(encoding="utf-8")


def _sentences(path: Path, **options: str) -> list[str]:
    return [s.text for s in segment(read_source(path, **options)).sentences]


def _assert_offsets_round_trip(path: Path, **options: str) -> None:
    """As in test_segment.py: the decoded text at each sentence's offsets, cleaned, is the sentence."""
    doc = segment(read_source(path, **options))
    original = doc.source.text
    for sentence in doc.sentences:
        raw = original[sentence.start : sentence.end]
        assert "".join(clean_line(line, 0).text for line in raw.split("\n")) == sentence.text, sentence.index
        assert unicodedata.normalize("NFKC", raw[0]) == unicodedata.normalize("NFKC", sentence.text[0])
        assert unicodedata.normalize("NFKC", raw[-1]) == unicodedata.normalize("NFKC", sentence.text[-1])


EXPECTED = _sentences(JIADING)


# -- encodings that work ---------------------------------------------------------------------

@pytest.mark.parametrize("name,data,codec", [
    ("utf8-bom", codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    ("utf16-le-bom", TEXT.encode("utf-16"), "utf-16"),  # Python writes the native (LE) order with a BOM
    ("utf16-be-bom", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ("utf32-bom", TEXT.encode("utf-32"), "utf-32"),
    ("crlf", TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
    ("utf16-crlf", TEXT.replace("\n", "\r\n").encode("utf-16"), "utf-16"),
])
def test_bom_and_crlf_files_give_the_same_sentences_and_offsets(tmp_path: Path, name: str, data: bytes, codec: str):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    source = read_source(path)
    assert source.encoding == codec
    assert not source.text.startswith("\ufeff"), "the byte-order mark is not report text"
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert _sentences(path) == EXPECTED
    _assert_offsets_round_trip(path)


def test_gbk_file_is_read_as_gb18030_with_a_warning_naming_file_and_encoding(tmp_path: Path, caplog):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(TEXT.encode("gbk"))
    with caplog.at_level(logging.WARNING, logger="kg"):
        source = read_source(gbk)
    assert source.text == TEXT and source.encoding == "gb18030"
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert "gbk.txt" in message and "GB18030" in message and "--encoding gb18030" in message
    assert _sentences(gbk) == EXPECTED
    _assert_offsets_round_trip(gbk)


def test_explicit_encoding_reads_gb18030_without_a_warning(tmp_path: Path, caplog):
    gb = tmp_path / "gb.txt"
    gb.write_bytes(TEXT.replace("\n", "\r\n").encode("gb18030"))
    with caplog.at_level(logging.WARNING, logger="kg"):
        source = read_source(gb, encoding="gb18030")
    assert source.encoding == "gb18030" and not caplog.records
    assert _sentences(gb, encoding="gb18030") == EXPECTED
    _assert_offsets_round_trip(gb, encoding="gb18030")


def test_utf16_without_a_bom_is_refused_naming_the_encoding_to_pass(tmp_path: Path):
    path = tmp_path / "u16.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    with pytest.raises(InputError, match=r"u16\.txt:\d+:\d+: binary data "
                                         r".*UTF-16 without a byte-order mark; pass --encoding utf-16-le"):
        read_source(path)
    assert read_source(path, encoding="utf-16-le").text == TEXT


# -- encodings that are refused ---------------------------------------------------------------

def test_wrong_explicit_encoding_names_line_column_and_the_option(tmp_path: Path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(TEXT.encode("gb18030"))
    with pytest.raises(InputError, match=r"gbk\.txt:\d+:\d+: not valid utf-8 .*--encoding"):
        read_source(gbk, encoding="utf-8")


def test_unknown_encoding_name(tmp_path: Path):
    with pytest.raises(InputError, match="unknown encoding 'klingon'; use a codec name such as utf-8 or gb18030"):
        read_source(JIADING, encoding="klingon")


def test_non_utf8_text_that_is_not_chinese_names_the_encoding_option(tmp_path: Path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Rapport annuel du gouvernement : économie, santé, éducation.\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin\.txt:1:\d+: not valid UTF-8 .*--encoding gb18030"):
        read_source(latin)


# -- files that are not reports -------------------------------------------------------------------

def test_binary_file_is_refused(tmp_path: Path):
    binary = tmp_path / "report.pdf"
    binary.write_bytes(b"%PDF-1.4\n\x00\x01\x02")
    with pytest.raises(InputError, match=r"report\.pdf:2:1: binary data .*plain UTF-8 text"):
        read_source(binary)


def test_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        read_source(tmp_path / "nope.txt")


def test_directory(tmp_path: Path):
    with pytest.raises(InputError, match="is a folder"):
        read_source(tmp_path)


def test_device_is_refused_without_reading_it_forever():
    with pytest.raises(InputError, match="not a regular file"):
        read_source("/dev/zero")


@pytest.mark.parametrize("content", ["", "\n\n", "\ufeff \r\n\u3000"])
def test_empty_file(tmp_path: Path, content: str):
    empty = tmp_path / "empty.txt"
    empty.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match="the file is empty"):
        read_source(empty)


@pytest.mark.parametrize("page", [
    "<!DOCTYPE html>\n<html><head><title>政府工作报告</title></head><body><p>各位代表：</p></body></html>\n",
    "\n<html lang=\"zh\">\n<body>" + TEXT[:2000] + "</body></html>",
    "政府工作报告\n<div class=\"article\">\n<p>各位代表：</p>\n"
    "<p>现在，我代表区人民政府</p><script>var x=1;</script>\n",
])
def test_html_page_saved_as_text_is_refused_clearly(tmp_path: Path, page: str):
    html = tmp_path / "page.txt"
    html.write_text(page, encoding="utf-8")
    with pytest.raises(InputError, match=r"page\.txt:\d+: an HTML page .*save or copy just the report's text"):
        read_source(html)


def test_angle_brackets_in_report_text_are_not_html(tmp_path: Path):
    path = tmp_path / "r.txt"
    path.write_text(TEXT.replace("各位代表：", "各位代表：<p> 不是标签 a<b>c\n", 1), encoding="utf-8")
    assert read_source(path).text.startswith(TEXT[:10])


def test_a_50_mb_text_is_refused_quickly_naming_the_limit_and_how_to_raise_it(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        for _ in range(50 * 2**20 // len(TEXT.encode("utf-8")) + 1):
            handle.write(TEXT)
    assert big.stat().st_size > 50 * 2**20 > MAX_REPORT_BYTES
    with pytest.raises(InputError, match=rf"big\.txt: 5\d\.?\d* MB is over the 10 MB limit .*{MAX_REPORT_ENV}=5\d"):
        read_source(big)


def test_the_size_limit_can_be_changed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    size = JIADING.stat().st_size
    with pytest.raises(InputError, match="limit"):
        read_source(JIADING, max_bytes=size - 1)
    assert read_source(JIADING, max_bytes=size).text == TEXT
    monkeypatch.setenv(MAX_REPORT_ENV, "0.01")
    with pytest.raises(InputError, match=r"over the 0\.01 MB limit"):
        read_source(JIADING)
    monkeypatch.setenv(MAX_REPORT_ENV, "lots")
    with pytest.raises(InputError, match=f"{MAX_REPORT_ENV}='lots': not a number"):
        read_source(JIADING)


def test_sha256_is_of_the_bytes():
    source = read_source(JIADING)
    assert source.sha256 == hashlib.sha256(JIADING.read_bytes()).hexdigest()
    assert source.encoding == "utf-8"
