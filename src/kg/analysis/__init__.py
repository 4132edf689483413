"""Analysis with networkx: projections of the graph, measures on them, and exports for other
tools. Charts for notebooks live in :mod:`kg.analysis.charts` (imported on demand: matplotlib).
"""

from __future__ import annotations

from kg.analysis.export import (
    FORMATS,
    export_text,
    flat,
    scored_graph,
    to_rdf,
    write_export,
)
from kg.analysis.metrics import (
    DECIMALS,
    EXACT_BETWEENNESS,
    METRICS,
    SCORE_PROPERTIES,
    Step,
    add_scores,
    articulation_points,
    betweenness,
    bridges,
    communities,
    community_of,
    core_numbers,
    eigenvector,
    explain_path,
    k_core,
    pagerank,
    ranking,
    resolve,
    scores,
    sentence_texts,
)
from kg.analysis.projections import (
    BIPARTITE,
    ENTITY_CLASSES,
    PROJECTIONS,
    RELATIONS,
    STRUCTURE_CLASSES,
    Facts,
    bipartite_graph,
    comention_graph,
    entity_graph,
    label,
    local_name,
    one_mode,
    project,
    read_facts,
    select,
    simple_graph,
    structure_graph,
)

__all__ = [
    "BIPARTITE", "DECIMALS", "ENTITY_CLASSES", "EXACT_BETWEENNESS", "FORMATS", "METRICS", "PROJECTIONS",
    "RELATIONS", "SCORE_PROPERTIES", "STRUCTURE_CLASSES", "Facts", "Step", "add_scores", "articulation_points",
    "betweenness", "bipartite_graph", "bridges", "comention_graph", "communities", "community_of", "core_numbers",
    "eigenvector", "entity_graph", "explain_path", "export_text", "flat", "k_core", "label", "local_name",
    "one_mode", "pagerank", "project", "ranking", "read_facts", "resolve", "scored_graph", "scores", "select",
    "sentence_texts", "simple_graph", "structure_graph", "to_rdf", "write_export",
]
