"""``kg serve``: the SPARQL 1.1 Protocol endpoint, the query page and the explorer over HTTP.
"""

