"""Stage 0: read a report file into a :class:`SourceText`, exactly as the user has it.

The decoded text is kept unchanged: every character offset in the graph counts Unicode code
points into :attr:`SourceText.text`, so ``text[start:end]`` finds the evidence again.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
>>> _ = p.write_text("各位代表：", encoding="utf-8")
>>> read_source(p).text
'各位代表：'
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError


@dataclass(frozen=True)
class SourceText:
    """A report file's decoded text and where it came from."""

    path: Path
    text: str
    sha256: str

    @property
    def name(self) -> str:
        """The file name without its directory, e.g. ``jiading-2021.txt``."""
        return self.path.name


def _position(data: bytes, byte_offset: int) -> tuple[int, int]:
    """1-based line and column of a byte offset (columns count bytes on that line)."""
    line = data.count(b"\n", 0, byte_offset) + 1
    column = byte_offset - (data.rfind(b"\n", 0, byte_offset) + 1) + 1
    return line, column


def _looks_like_gbk(data: bytes) -> bool:
    try:
        decoded = data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return sum("\u4e00" <= c <= "\u9fff" for c in decoded) > len(decoded) // 10


def read_source(path: str | Path, *, encoding: str | None = None) -> SourceText:
    """Read a report file: UTF-8 unless ``encoding`` (a Python codec name such as ``gb18030``) is given.

    Raises :class:`~kg.errors.InputError` (exit code 2) naming the file, line and column when
    the file is missing, binary, or not UTF-8 (with a conversion hint for GBK files).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise InputError(f"{path}: no such file; give the path of a report .txt file") from err
    except IsADirectoryError as err:
        raise InputError(f"{path}: is a folder; give the path of a report .txt file") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror}") from err
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"))
        raise InputError(
            f"{path}:{line}:{column}: binary data (a NUL byte), not a text file; "
            "export the report as plain UTF-8 text"
        )
    try:
        text = data.decode(encoding or "utf-8")
    except LookupError as err:
        raise InputError(f"{path}: unknown encoding {encoding!r}; use a codec name such as utf-8 or gb18030") from err
    except UnicodeDecodeError as err:
        line, column = _position(data, err.start)
        hint = (
            f"it looks GBK-encoded; convert it with: iconv -f GBK -t UTF-8 {path} > utf8.txt"
            if _looks_like_gbk(data)
            else "save it as UTF-8 text"
        )
        raise InputError(f"{path}:{line}:{column}: not valid UTF-8 ({err.reason}); {hint}") from err
    if not text.strip():
        raise InputError(f"{path}: the file is empty; give a report with text in it")
    return SourceText(path=path, text=text, sha256=hashlib.sha256(data).hexdigest())
