"""Identity across reports: link indicator concepts that different reports word differently.

Called by :mod:`kg.build` once every report is built, with only the indicator concepts of all
reports (a small graph, whatever the corpus size); returns the links to add.

>>> from rdflib import Graph
>>> len(cross_links(Graph()))
0
"""

from __future__ import annotations

from rdflib import Graph


def cross_links(indicators: Graph) -> Graph:
    """Links (``skos:exactMatch``/``skos:closeMatch``, with evidence) between indicator concepts.

    ``indicators`` holds every triple whose subject is an indicator concept
    (``kgr:indicator/…``), from every report in the build.
    """
    return Graph()
