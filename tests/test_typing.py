"""The public API is typed: mypy is clean on src/kg (py.typed ships with the package), and on the
benchmarks that call it (bench/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_is_clean_on_the_library():
    assert (ROOT / "src" / "kg" / "py.typed").is_file()
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "src/kg"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean_on_the_benchmarks():
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "bench"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
