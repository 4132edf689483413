"""The RDF stage: a segmented report and what was extracted from it, written as triples
(document structure, Data Cube observations, entities with Web Annotation mentions, PROV links),
serialised deterministically, checked with SHACL and counted.
"""

