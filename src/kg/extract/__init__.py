"""The extraction stage: the quantities (observations), named things (entities and their
mentions) and stated relations of a segmented report, driven by the lexicons and rule tables.
"""

