"""An interrupted ``kg build`` never damages the previous graph.

The real command builds a big-ish report (the Jiading report's body repeated, ~0.4 MB) and is
stopped with SIGINT (Ctrl-C) or SIGKILL, once while it extracts and once while it writes the
output. The previous output file must be byte-identical afterwards; after Ctrl-C no temporary
file or folder is left next to it, and after SIGKILL (``kill -9``, which no process can clean up
after) the next build succeeds and removes what the killed one left, since its process is dead.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
JIADING = ROOT / "data" / "source" / "jiading-2021.txt"
KG = Path(sys.executable).with_name("kg")
REPEATS = 10


@pytest.fixture(scope="module")
def big_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    text = JIADING.read_text(encoding="utf-8")
    # the body after the opening address, repeated: a repeated opening (各位代表：) would be read
    # as a second copy of the report and dropped, and the build would be over too soon
    rest = text.split("各位代表：\n", 1)[1]
    path = tmp_path_factory.mktemp("big") / "big-2021.txt"
    path.write_text(text + rest * (REPEATS - 1), encoding="utf-8")
    return path


def _previous(folder: Path) -> bytes:
    """A previous, valid graph (the project's own) in ``folder``."""
    folder.mkdir()
    data = (ROOT / "data" / "triples.ttl").read_bytes()
    (folder / "triples.ttl").write_bytes(data)
    return data


def _wait_for(condition, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return False


@pytest.mark.parametrize("moment", ["extracting", "writing"])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_interrupted_build_leaves_the_previous_graph_intact(tmp_path: Path, big_report: Path,
                                                            sig: signal.Signals, moment: str):
    out = tmp_path / "data"
    previous = _previous(out)
    output = out / "triples.ttl"
    process = subprocess.Popen([str(KG), "build", str(big_report), "-o", str(output), "--no-cache"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        if moment == "extracting":
            # The parts folder appears as soon as the build starts working on the report.
            assert _wait_for(lambda: any(p.name.startswith(".triples.ttl.parts.") for p in out.iterdir()), 30)
            time.sleep(0.5)
        else:
            # The output's temporary file appears only once writing has started.
            assert _wait_for(lambda: any(p.name.startswith(".triples.ttl.") and ".parts." not in p.name
                                         for p in out.iterdir()), 60), "never wrote"
        assert process.poll() is None, "the build finished before it could be interrupted"
        process.send_signal(sig)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode != 0
    assert output.read_bytes() == previous, f"the previous graph changed ({sig.name} while {moment})"
    leftovers = sorted(p.name for p in out.iterdir() if p.name != "triples.ttl")
    if sig == signal.SIGINT:
        assert "Traceback" not in stderr, stderr
        assert leftovers == [], f"Ctrl-C left temporary files behind: {leftovers}"
    else:
        assert process.returncode == -signal.SIGKILL
        # kill -9 leaves the temporary files, named for the dead process; the next build removes them.
        assert leftovers and all(name.startswith(".triples.ttl.") and name.endswith(f".kg-tmp-{process.pid}")
                                 for name in leftovers), leftovers
        rebuilt = subprocess.run([str(KG), "build", str(JIADING), "-o", str(output), "--no-cache"],
                                 capture_output=True, text=True, timeout=120)
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert output.read_bytes() != previous and output.read_bytes().startswith(b"@prefix")
        assert sorted(p.name for p in out.iterdir()) == ["triples.ttl"], "stale temporary files were kept"


def test_ctrl_c_on_a_parallel_build_stops_it_cleanly(tmp_path: Path):
    """A terminal's Ctrl-C signals the whole process group, pool workers included: one
    "Aborted!" and no worker tracebacks, the previous graph intact, nothing left behind."""
    # 24 variant reports (a few seconds of work): a report repeated inside one file is read once, so a
    # longer file no longer makes a longer build
    reports = tmp_path / "reports"
    made = subprocess.run([str(KG), "corpus", "24", "-o", str(reports)], capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    out = tmp_path / "data"
    previous = _previous(out)
    process = subprocess.Popen([str(KG), "build", *sorted(map(str, reports.glob("*.txt"))), "-o",
                                str(out / "triples.ttl"), "--jobs", "2", "--no-cache"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert _wait_for(lambda: any(p.name.startswith(".triples.ttl.parts.") for p in out.iterdir()), 30)
        time.sleep(1.0)
        assert process.poll() is None, "the build finished before it could be interrupted"
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert process.returncode != 0
    assert not any(word in stderr for word in ("Traceback", "KeyboardInterrupt", "ForkPoolWorker")), stderr[-3000:]
    assert (out / "triples.ttl").read_bytes() == previous
    assert sorted(p.name for p in out.iterdir()) == ["triples.ttl"]
