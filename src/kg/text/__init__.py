"""The text stage: read a report file, clean its lines, read its metadata and segment it into
sections, paragraphs and sentences with offsets into the original file.
"""

