"""Reports from datasets as they come: JSONL and CSV records, manifests, non-reports skipped with a
reason, and a report held twice in one file read once. Real records from data/corpora/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import InputError
from kg.text.datasets import ReportInput, Skipped, read_inputs, read_manifest
from kg.text.segment import segment
from kg.text.source import read_source

CORPORA = Path(__file__).resolve().parent.parent / "data" / "corpora"
JSONL = CORPORA / "state-council" / "government_work_reports.jsonl"


def _records(*years: str, resolutions: int = 0) -> list[dict]:
    wanted, found, skipped = set(years), [], 0
    for line in JSONL.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record["year"] in wanted:
            found.append(record)
        elif record["year"] is None and skipped < resolutions:
            found.append(record)
            skipped += 1
    return found


def test_jsonl_records_are_reports_with_their_fields(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in _records("2019", resolutions=1)] + ["{not json"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_inputs([path]))
    reports = [i for i in items if isinstance(i, ReportInput)]
    skipped = {Path(s.origin).name: s.reason for s in items if isinstance(s, Skipped)}
    assert [r.fields["year"] for r in reports] == ["2019"]
    assert reports[0].origin.endswith("reports.jsonl#1") or reports[0].origin.endswith("reports.jsonl#2")
    assert any("a resolution on the report" in reason for reason in skipped.values())
    assert any("not JSON" in reason and "column" in reason for reason in skipped.values())
    meta = segment(reports[0].source, hints=reports[0].fields).meta
    assert (meta.government, meta.year, meta.level) == ("国务院", 2019, "national")


def test_a_collectors_manifest_is_skipped_once_with_its_columns() -> None:
    items = list(read_inputs([CORPORA / "provinces-2026" / "run_manifest_2026.csv"]))
    assert len(items) == 1 and isinstance(items[0], Skipped)
    assert "no report text column" in items[0].reason and "source_type" in items[0].reason


def test_csv_row_gives_the_province_report() -> None:
    [item] = list(read_inputs([CORPORA / "provinces-2026" / "2026_河北省_政府工作报告.csv"]))
    assert isinstance(item, ReportInput) and item.origin.endswith("#1")
    meta = segment(item.source, hints=item.fields).meta
    assert (meta.government, meta.year, meta.speaker, meta.level) == ("河北省人民政府", 2026, "王正谱", "provincial")


def test_a_manifest_overrides_one_input(tmp_path: Path) -> None:
    report = CORPORA / "hebei-and-gaoyang" / "高阳县_2015_report.txt"
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(f"input,government,year\n{report},保定市高阳县人民政府,2015\n", encoding="utf-8")
    [item] = list(read_inputs([report], manifest=read_manifest(manifest)))
    assert isinstance(item, ReportInput) and item.government == "保定市高阳县人民政府"
    bad = tmp_path / "bad.csv"
    bad.write_text("input,year\nx.txt,二〇一五\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.csv:2: year '二〇一五' is not a number"):
        read_manifest(bad)


def test_a_report_held_twice_is_read_once() -> None:
    """Every Hebei file but 2011 holds the report twice with site navigation between."""
    path = CORPORA / "hebei-and-gaoyang" / "河北省_2010_report.txt"
    doc = segment(read_source(path))
    texts = [s.text for s in doc.sentences]
    assert len(texts) == len(set(texts)) or sum(texts.count(t) > 1 for t in texts) < 5
    opening = next(s for s in doc.sentences if s.text.startswith("各位代表"))
    assert texts.count(opening.text) == 1
    assert doc.sentences[-1].end < len(doc.source.text) / 2 + 2000  # nothing from the second copy


def test_doubled_synthetic_text_keeps_the_first_copy_only(tmp_path: Path) -> None:
    body = "各位代表：\n现在，我报告工作。\n一、回顾\n全年生产总值增长6%。\n二、任务\n今年增长5%左右。\n"
    path = tmp_path / "r.txt"
    path.write_text("标题：2020年高阳县政府工作报告\n" + body + "首页\n网站导航\n" + body, encoding="utf-8")
    doc = segment(read_source(path))
    assert [s.text for s in doc.sentences].count("全年生产总值增长6%。") == 1


def test_a_corpus_build_names_every_skipped_input_and_exits_3(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records("2018", "2019", resolutions=2)),
                    encoding="utf-8")
    output = tmp_path / "out.trig"
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(output), "--jobs", "2"])
    assert result.exit_code == 3, result.output
    assert result.output.count("kg: skipped") == 2 and "resolution" in result.output
    assert "from 2 report(s), skipped 2 input(s)" in result.output
    text = output.read_text(encoding="utf-8")
    assert "kgr:report/国务院/2018" in text or "report/国务院/2018" in text


def test_the_same_report_twice_is_built_once_and_the_copy_named(tmp_path: Path) -> None:
    report = CORPORA / "hebei-and-gaoyang" / "高阳县_2019_report.txt"
    copy = tmp_path / "copy.txt"
    copy.write_bytes(report.read_bytes())
    result = CliRunner().invoke(main, ["build", str(report), str(copy), "-o", str(tmp_path / "out.ttl")])
    assert result.exit_code == 3, result.output
    assert "copy.txt: the same report (高阳县人民政府/2019) as" in result.output
