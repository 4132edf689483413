"""Read a report file into a :class:`SourceText`, exactly as the user has it.

The decoded text is kept unchanged (a leading byte-order mark aside): every character offset
in the graph counts Unicode code points into :attr:`SourceText.text`, so ``text[start:end]``
finds the evidence again. Line ends are kept as they are (``\\r\\n`` too).

Encodings: UTF-8 (with or without a BOM), UTF-16 and UTF-32 with a BOM, and any codec named
with ``encoding=`` (``kg build --encoding gb18030``). A file that is not UTF-8 but decodes
cleanly as GB18030 (a superset of GBK and GB2312) into mostly Chinese text is read as GB18030,
with a warning on the ``kg`` logger (printed on stderr) naming the file and the encoding.

Refused with :class:`~kg.errors.InputError` (exit code 2), each naming the file and the fix:
a missing file, a folder or device, a file over :data:`MAX_REPORT_BYTES` (raise it with
``max_bytes=`` or the ``KG_MAX_REPORT_MB`` environment variable), binary data, text that is in
no known encoding, an empty file, and an HTML page saved as ``.txt``.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
>>> _ = p.write_text("各位代表：", encoding="utf-8")
>>> read_source(p).text
'各位代表：'
>>> _ = p.write_bytes("各位代表：".encode("utf-16"))
>>> source = read_source(p)
>>> source.text, source.encoding
('各位代表：', 'utf-16')
"""

from __future__ import annotations

import codecs
import hashlib
import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, where

#: Reports bigger than this many bytes are refused (a work report is 30–100 KB; the limit
#: stops a mistaken multi-gigabyte file from exhausting memory).
MAX_REPORT_BYTES = 10 * 2**20
#: Environment variable that raises (or lowers) the limit, in megabytes, e.g. ``KG_MAX_REPORT_MB=64``.
MAX_REPORT_ENV = "KG_MAX_REPORT_MB"

log = logging.getLogger("kg")

# Longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML = re.compile(r"<(?:!doctype\s+html|html|head|body|script|div|p|br|span|table|meta)\b[^>]*>", re.I)


@dataclass(frozen=True)
class SourceText:
    """A report file's decoded text, where it came from, and the encoding it was read with."""

    path: Path
    text: str
    sha256: str
    encoding: str = "utf-8"

    @property
    def name(self) -> str:
        """The file name without its directory, e.g. ``jiading-2021.txt``."""
        return self.path.name


#: Leading bytes of binary files people give by mistake -> what the message calls them.
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx)"), (b"\x1f\x8b", "a gzip file"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls)"), (b"SQLite format 3\x00", "an SQLite database"),
)


def _cjk_share(text: str) -> float:
    """The share of CJK ideographs among the non-space characters of ``text``.

    >>> _cjk_share("各位代表 ok")
    0.6666666666666666
    """
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return 0.0
    return sum("\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" for c in letters) / len(letters)


def _as_gb18030(data: bytes) -> str | None:
    """``data`` decoded as GB18030 if that is clean and gives mostly Chinese text, else None."""
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if _cjk_share(text) >= 0.3 else None


def _limit(max_bytes: int | None) -> int | None:
    if max_bytes is not None:
        return max_bytes
    setting = os.environ.get(MAX_REPORT_ENV)
    if not setting:
        return MAX_REPORT_BYTES
    try:
        return int(float(setting) * 2**20)
    except ValueError as err:
        raise InputError(f"{MAX_REPORT_ENV}={setting!r}: not a number of megabytes; e.g. {MAX_REPORT_ENV}=64") from err


def _read(path: Path, limit: int | None, what: str = "a report .txt file") -> bytes:
    try:
        info = path.stat()
    except FileNotFoundError as err:
        raise InputError(f"{path}: no such file; give the path of {what}") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}; give the path of {what}") from err
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"{path}: is a folder; give the path of {what}")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: not a regular file (a device or pipe); give the path of {what}")
    if limit is not None and info.st_size > limit:
        raise InputError(
            f"{path}: {info.st_size / 2**20:.3g} MB is over the {limit / 2**20:.3g} MB limit for one report; "
            f"split it into reports, or raise the limit, e.g. {MAX_REPORT_ENV}={int(info.st_size / 2**20) + 1}"
        )
    try:
        with path.open("rb") as handle:
            # Read at most one byte past the limit: a file growing while we read is still caught.
            data = handle.read(-1 if limit is None else limit + 1)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}; check its permissions (chmod +r {path})") from err
    if limit is not None and len(data) > limit:
        raise InputError(f"{path}: over the {limit / 2**20:.3g} MB limit for one report; "
                         f"raise it with {MAX_REPORT_ENV}")
    return data


def _decode(path: Path, data: bytes, encoding: str | None, what: str = "a report .txt file") -> tuple[str, str]:
    """The text of ``data`` and the codec that decoded it."""
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as err:
            raise InputError(f"{path}: unknown encoding {encoding!r}; "
                             "use a codec name such as utf-8 or gb18030") from err
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            at = where(path, data=data, offset=err.start, encoding=encoding)
            raise InputError(
                f"{at}: not valid {encoding} ({err.reason}); check the --encoding option"
            ) from err
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError as err:
                at = where(path, data=data, offset=err.start, encoding=codec)
                raise InputError(f"{at}: starts with a {codec} byte-order mark but is not "
                                 f"valid {codec} ({err.reason}); save it again as UTF-8 text") from err
    if b"\x00" in data:
        kind = next((name for magic, name in _MAGIC if data.startswith(magic)), None)
        hint = "export the report as plain UTF-8 text" if what == "a report .txt file" else f"give the path of {what}"
        # ASCII characters in UTF-16 put their NUL byte second (little-endian) or first (big-endian).
        codec = "utf-16-le" if data[1::2].count(0) >= data[0::2].count(0) else "utf-16-be"
        sample = data[:4096].decode(codec, "ignore")
        controls = sum(c < " " and c not in "\r\n\t" for c in sample)
        if len(sample) >= 32 and controls <= len(sample) // 100 and _cjk_share(sample) >= 0.3:
            hint = f"it looks like UTF-16 without a byte-order mark; pass --encoding {codec}"
        at = where(path, data=data, offset=data.index(b"\x00"))
        raise InputError(f"{at}: binary data ({kind or 'a NUL byte'}), not a text file; {hint}")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        text = _as_gb18030(data)
        if text is not None:
            log.warning("kg: warning: %s: not UTF-8; read it as GB18030 (GBK), which decodes it cleanly "
                        "(pass --encoding gb18030 to say so, or another --encoding if it is wrong)", path)
            return text, "gb18030"
        at = where(path, data=data, offset=err.start)
        raise InputError(
            f"{at}: not valid UTF-8 ({err.reason}); save it as UTF-8 text, or name its "
            "encoding, e.g. --encoding gb18030 (GBK) or --encoding big5"
        ) from err


def _refuse_html(path: Path, text: str) -> None:
    head = text[:4096]
    tags = _HTML.findall(head)
    if tags and (re.match(r"\s*<(?:!doctype\s+html|html|head|body)\b", head, re.I) or len(tags) >= 3):
        line = text.count("\n", 0, text.index(tags[0])) + 1
        raise InputError(
            f"{where(path, line=line)}: an HTML page ({tags[0][:40]}), not the report's plain text; open the page in a "
            "browser and save or copy just the report's text into a UTF-8 .txt file"
        )


def read_source(path: str | Path, *, encoding: str | None = None, max_bytes: int | None = None,
                what: str = "a report .txt file") -> SourceText:
    """Read a report file: UTF-8 unless ``encoding`` (a Python codec name such as ``gb18030``) is given.

    ``max_bytes`` caps the file size (default :data:`MAX_REPORT_BYTES`, or ``KG_MAX_REPORT_MB``
    megabytes when that variable is set); ``max_bytes=0`` or less means no limit.

    Raises :class:`~kg.errors.InputError` (exit code 2) naming the file (and line and column
    where there is one) when the file is missing, too big, binary, in an unknown encoding,
    empty or an HTML page; ``what`` names the kind of file the fix asks for.
    """
    path = Path(path)
    limit = _limit(max_bytes)
    data = _read(path, limit if limit and limit > 0 else None, what)
    text, used = _decode(path, data, encoding, what)
    text = text.removeprefix("\ufeff")  # a BOM (also under an explicit encoding) is not report text
    if not text.strip():
        raise InputError(f"{path}: the file is empty; give a report with text in it")
    _refuse_html(path, text)
    return SourceText(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(), encoding=used)


def _looks_gb18030(data: bytes) -> bool:
    """Whether ``data`` decodes cleanly as GB18030 into text with Chinese in it (a hint, not a guess
    kg acts on: a query mostly in ASCII has too few Chinese characters for :func:`_as_gb18030`)."""
    try:
        return _cjk_share(data.decode("gb18030")) > 0
    except UnicodeDecodeError:
        return False


def read_text_file(path: str | Path, *, what: str, example: str = "") -> str:
    r"""Read a text input that is not a report (a query, a manifest, a gold table) as UTF-8.

    ``what`` names the kind of file in messages (``"a SPARQL query file (.rq)"``); ``example``,
    if given, is the file name the conversion hint writes to. A leading byte-order mark is
    dropped. Unlike :func:`read_source` there is no guessing: a query or a table is written by
    the user, so anything but UTF-8 is refused with :class:`~kg.errors.InputError` naming the
    file, the line and (character) column of the first bad byte, its byte offset, and the
    ``iconv`` command that converts it. Also refused: a missing file, a folder, an unreadable
    file and binary data (a NUL byte).

    >>> import tempfile, pathlib
    >>> q = pathlib.Path(tempfile.mkdtemp()) / "q.rq"
    >>> _ = q.write_bytes("# 查询\nSELECT".encode("gbk"))
    >>> read_text_file(q, what="a SPARQL query file (.rq)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    kg.errors.InputError: ...q.rq:1:3: byte 0xb2 (offset 2) is not UTF-8 (it decodes as GBK/GB18030); ...
    """
    path = Path(path)
    data = _read(path, None, what)
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        at = where(path, data=data, offset=data.index(b"\x00"))
        kind = next((name for magic, name in _MAGIC if data.startswith(magic)), "a NUL byte")
        raise InputError(f"{at}: binary data ({kind}), not text; give the path of {what}")
    for bom, codec in _BOMS:
        if data.startswith(bom) and codec != "utf-8-sig":
            raise InputError(f"{path}: {codec} text; {what} must be UTF-8: convert it with "
                             f"iconv -f {codec.upper()} -t UTF-8 {path} > {example or 'fixed' + path.suffix}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        hint = " (it decodes as GBK/GB18030)" if _looks_gb18030(data) else ""
        source = "GB18030" if hint else "YOUR-ENCODING"
        raise InputError(
            f"{where(path, data=data, offset=err.start)}: byte 0x{data[err.start]:02x} (offset {err.start}) is not "
            f"UTF-8{hint}; {what} must be UTF-8: convert it with "
            f"iconv -f {source} -t UTF-8 {path} > {example or 'fixed' + path.suffix}"
        ) from err


_OTHER_RDF = (
    (re.compile(r"<\?xml\b|<rdf:RDF\b"), "RDF/XML", "xml"),
    (re.compile(r"\{\s*\"|\[\s*\{"), "JSON (JSON-LD?)", "json-ld"),  # Turtle may start with [ too
    (re.compile(r"<!doctype\s+html|<html\b", re.I), "an HTML page", ""),
)


def refuse_other_rdf_format(path: str | Path, text: str, expected: str) -> None:
    """Raise :class:`~kg.errors.InputError` when ``text``, read as ``expected`` (e.g. Turtle),
    is plainly another format: RDF/XML, JSON-LD or HTML. The message says how to convert it.

    >>> refuse_other_rdf_format("g.ttl", "@prefix x: <http://x/> .", "Turtle")
    >>> refuse_other_rdf_format("g.ttl", '<?xml version="1.0"?><rdf:RDF/>', "Turtle")
    Traceback (most recent call last):
    ...
    kg.errors.InputError: g.ttl:1: this is RDF/XML, not Turtle; ...
    """
    start = text.lstrip("\ufeff \t\r\n")
    for pattern, name, rdflib_format in _OTHER_RDF:
        if pattern.match(start):
            line = text[: len(text) - len(start)].count("\n") + 1
            fix = (f"convert it with: rdfpipe -i {rdflib_format} -o turtle {path} > graph.ttl" if rdflib_format
                   else "give a graph file written by kg build")
            raise InputError(f"{where(path, line=line)}: this is {name}, not {expected}; expected {expected} such as "
                             f"'@prefix kg: <...> .' or '<s> <p> <o> .'; {fix}")
