"""The vocabulary every stage names things with: the ontology, its closed Python namespace,
prefixes and IRI minting, and the registry of entity classes and relations.
"""

