"""kg: a knowledge graph of Chinese government work reports (政府工作报告).

The library is organised as one stage per module, data flowing one way::

    source → normalize/metadata → segment → rdf → serialize/store → validate, stats, query, view

>>> import kg
>>> kg.__version__
'0.1.0'
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("kg")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.1.0"

__all__ = ["__version__"]
