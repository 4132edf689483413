"""The explorer: one self-contained, offline HTML page that draws the graph, and the data it
draws (nodes, edges, side-panel details) with seeded layouts.
"""

from __future__ import annotations

from kg.view.network import render_page, to_pyvis, write_page
from kg.view.page import (
    DEFAULT_OUTPUT,
    MAX_NODES,
    PHYSICS_LIMIT,
    STABILIZE_MS,
    InlineView,
    ViewTooLarge,
    check_view_size,
    ego_nodes,
    render_html,
    render_html_from_construct,
    render_query,
    resolve_node,
    show,
    write_view,
)
from kg.view.targets import render_targets, targets_data, write_targets_view

__all__ = [
    "DEFAULT_OUTPUT",
    "MAX_NODES",
    "PHYSICS_LIMIT",
    "STABILIZE_MS",
    "InlineView",
    "ViewTooLarge",
    "check_view_size",
    "ego_nodes",
    "render_html",
    "render_html_from_construct",
    "render_page",
    "render_query",
    "render_targets",
    "resolve_node",
    "show",
    "targets_data",
    "to_pyvis",
    "write_page",
    "write_targets_view",
    "write_view",
]
