"""Rule tables check themselves: every column with a fixed set of values, the header, the number of
values per row, numbers and regexes are checked when a table is loaded, and a bad row fails with
``file:line`` (the line in the file, comments counted) and what would be right.

Each test breaks one row of a copy of ``data/lexicon/`` and loads the copy the way extraction does.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.extract.lexicon import load_lexicon
from kg.extract.observations import load_rules
from kg.extract.relations import load_verbs
from kg.resources import read_rule_table

ROOT = Path(__file__).resolve().parent.parent
LEXICON = ROOT / "data" / "lexicon"

Loader = Callable[[Path], object]

# (table, column with a fixed set of values, the loader that reads it, the start of the values it expects)
FIXED_COLUMNS: list[tuple[str, str, Loader, str]] = [
    ("entity-patterns.csv", "class", load_lexicon, "Project, "),
    ("entity-patterns.csv", "needs", load_lexicon, "proper, programme, rail, launched, issued, quoted (or empty)"),
    ("entity-patterns.csv", "scan", load_lexicon, "loose (or empty)"),
    ("boundary-words.csv", "kind", load_lexicon, "strong, weak, verb, measure, org-only, and, before-name, lead, "),
    ("generic-names.csv", "head", load_lexicon, "yes (or empty)"),
    ("entity-words.csv", "role", load_lexicon, "launch, list-quantifier, "),
    ("list-heads.csv", "class", load_lexicon, "Project, "),
    ("list-heads.csv", "needs", load_lexicon, "industry, most-industry (or empty)"),
    ("relative-names.csv", "kind", load_lexicon, "level, body, place, lead, not-prefix"),
    ("units.csv", "type", load_rules, "unit, prefix"),
    ("qualifiers.csv", "position", load_rules, "before, after"),
    ("qualifiers.csv", "in_unit", load_rules, "yes (or empty)"),
    ("change-words.csv", "direction", load_rules, "up, down"),
    ("indicator-rules.csv", "rule", load_rules, "strip-prefix, strip-suffix, synonym, stop-word"),
    ("observation-words.csv", "role", load_rules, "future, then, list-join, "),
    ("relation-words.csv", "role", load_verbs, "issue, issue-also, organise, partner"),
]


@pytest.fixture
def lexicon(tmp_path: Path) -> Path:
    folder = tmp_path / "lexicon"
    shutil.copytree(LEXICON, folder)
    return folder


def _data_lines(path: Path) -> list[int]:
    """Indices (0-based) of the header and data lines of a table."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")]


def _set_value(path: Path, row: int, column: str, value: str) -> int:
    """Set ``column`` of data row ``row`` (0 = first after the header) to ``value``; its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    indices = _data_lines(path)
    header = next(csv.reader([lines[indices[0]]]))
    index = indices[row + 1]
    fields = next(csv.reader([lines[index]]))
    fields[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    lines[index] = out.getvalue()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


def _replace_line(path: Path, row: int, text: str) -> int:
    """Replace data row ``row`` with ``text`` as written; its line number."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = _data_lines(path)[row + 1]
    lines[index] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index + 1


def _append_line(path: Path, text: str) -> int:
    """Add ``text`` as the last row; its line number."""
    lines = [*path.read_text(encoding="utf-8").splitlines(), text]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


@pytest.mark.parametrize(("table", "column", "load", "expected"), FIXED_COLUMNS,
                         ids=[f"{t}:{c}" for t, c, *_ in FIXED_COLUMNS])
def test_a_value_outside_a_fixed_column_names_file_and_line(
        lexicon: Path, table: str, column: str, load: Loader, expected: str) -> None:
    path = lexicon / table
    line = _set_value(path, 2, column, "bogus")
    message = f"{path}:{line}: column {column} has 'bogus'; expected one of {expected}"
    with pytest.raises(InputError, match="^" + re.escape(message)):
        load(lexicon)


@pytest.mark.parametrize(("table", "column", "load", "expected"), FIXED_COLUMNS,
                         ids=[f"{t}:{c}" for t, c, *_ in FIXED_COLUMNS])
def test_every_fixed_column_is_checked_at_its_last_row_too(
        lexicon: Path, table: str, column: str, load: Loader, expected: str) -> None:
    path = lexicon / table
    last = len(_data_lines(path)) - 2
    line = _set_value(path, last, column, "Bogus")
    with pytest.raises(InputError, match=re.escape(f"{path}:{line}: column {column} has 'Bogus'")):
        load(lexicon)


def test_the_shipped_tables_load() -> None:
    lex, rules, verbs = load_lexicon(LEXICON), load_rules(LEXICON), load_verbs(LEXICON)
    assert lex.patterns and lex.list_heads and lex.relative.levels and all(lex.words.values())
    assert rules.units and rules.list_joins and rules.in_unit == ("余", "多")
    assert verbs.issue.search("制定出台《") and verbs.partner.match("等合作")


def test_the_unused_context_column_is_gone_and_a_stray_column_is_refused(lexicon: Path) -> None:
    path = lexicon / "entity-patterns.csv"
    assert "context" not in path.read_text(encoding="utf-8")
    header = "suffix,class,min_name,max_len,not_followed_by,needs,scan"
    path.write_text(path.read_text(encoding="utf-8").replace(header, header.replace("max_len,", "max_len,context,")),
                    encoding="utf-8")
    line = _data_lines(path)[0] + 1
    message = f"{path}:{line}: the header is suffix,class,min_name,max_len,context,not_followed_by,needs,scan; expected"
    with pytest.raises(InputError, match=re.escape(message)):
        load_lexicon(lexicon)


def test_a_row_with_an_unquoted_comma_is_refused(lexicon: Path) -> None:
    path = lexicon / "not-quantities.csv"
    line = _replace_line(path, 0, r"\d+(?:分钟|小时)[^，。]{0,8}圈,a named radius")
    message = f"{path}:{line}: 3 values for the 2 columns pattern,reason; quote a value that holds a comma"
    with pytest.raises(InputError, match=re.escape(message)):
        load_rules(lexicon)


def test_an_empty_word_is_refused(lexicon: Path) -> None:
    # An empty boundary word would end every name at every character.
    path = lexicon / "boundary-words.csv"
    line = _set_value(path, 4, "word", "")
    with pytest.raises(InputError, match=re.escape(f"{path}:{line}: column word is empty")):
        load_lexicon(lexicon)


@pytest.mark.parametrize(("table", "row", "load", "message"), [
    ("not-quantities.csv", "(unclosed,a bad regex", load_rules, "bad pattern (missing ), unterminated subpattern"),
    ("units.csv", "亿,prefix,,a lot", load_rules, "column multiplier has 'a lot'; expected a number"),
    ("entity-patterns.csv", "大楼,Project,two,10,,,", load_lexicon, "min_name 'two' and max_len '10' must be whole"),
    ("entity-patterns.csv", "大楼,Project,2,10,[,,", load_lexicon, "column not_followed_by has a bad regex"),
    ("indicator-rules.csv", "synonym,产值,", load_rules, "needs a text, and a replacement exactly when"),
    ("indicator-rules.csv", "strip-prefix,全年,年", load_rules, "needs a text, and a replacement exactly when"),
    ("relative-names.csv", "本镇,place,镇", load_lexicon, "column means has '镇'; expected one of 区, 市, 省, 县"),
    ("relative-names.csv", "区,level,市", load_lexicon, "column means has '市'; expected it empty for a level"),
])
def test_a_bad_cell_names_file_and_line(lexicon: Path, table: str, row: str, load: Loader, message: str) -> None:
    path = lexicon / table
    line = _append_line(path, row)
    with pytest.raises(InputError, match=re.escape(f"{path}:{line}: {message}")):
        load(lexicon)


def test_line_numbers_count_comments_and_quoted_values(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text('# a comment\n\nword,kind\n"a,b",x\n# between\nc,y\n', encoding="utf-8")
    rows = read_rule_table(path, ("word", "kind"))
    assert rows == [(4, {"word": "a,b", "kind": "x"}), (6, {"word": "c", "kind": "y"})]
    with pytest.raises(InputError, match=re.escape(f"{path}:6: column kind has 'y'; expected one of x, z")):
        read_rule_table(path, ("word", "kind"), choices={"kind": ("x", "z")})


def test_a_row_written_twice_is_refused(tmp_path: Path) -> None:
    """A repeated row is a slip (two sessions adding the same word), not a second rule: the table
    names both lines, whatever the spacing around its values."""
    path = tmp_path / "t.csv"
    path.write_text("word,kind\na,x\nb,x\n# again\na , x\n", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(f"{path}:5: the row repeats line 2; delete one of them")):
        read_rule_table(path, ("word", "kind"))


def test_the_lexicon_refuses_a_repeated_row(lexicon: Path) -> None:
    first = next(line for line in (lexicon / "boundary-words.csv").read_text(encoding="utf-8").splitlines()
                 if line and not line.startswith("#") and not line.startswith("word,"))
    line = _append_line(lexicon / "boundary-words.csv", first)
    with pytest.raises(InputError, match=re.escape(f"boundary-words.csv:{line}: the row repeats line")):
        load_lexicon(lexicon)


def test_a_missing_table_or_header_says_so(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.csv: cannot read"):
        read_rule_table(tmp_path / "missing.csv", ("word",))
    empty = tmp_path / "empty.csv"
    empty.write_text("# only a comment\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.csv: no header line"):
        read_rule_table(empty, ("word",))


def test_there_is_one_chinese_number() -> None:
    from kg.extract import observations
    from kg.text import metadata, numerals

    assert metadata.chinese_number is numerals.chinese_number is observations.chinese_number
    sources = (ROOT / "src" / "kg").rglob("*.py")
    defined = [p.name for p in sources if "def chinese_number" in p.read_text(encoding="utf-8")]
    assert defined == ["numerals.py"]
