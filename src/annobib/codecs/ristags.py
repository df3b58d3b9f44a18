"""What the RIS reader and writer agree on beyond the type table (``model/crosswalk.py``)."""

from __future__ import annotations

# RIS types whose SP with no EP is the number of pages (the RIS specification; citation.js and
# Zotero read it so): annobib's page-count goes there and is read back from there
PAGE_COUNT_TYPES = ("BOOK", "EBOOK", "EDBOOK", "CLSWK", "THES")
# a web page's access date is M1 in the RIS specification (citation.js reads it there), Y2 for
# every other type (and for Zotero): the export writes both for ELEC
ACCESS_DATE_M1_TYPES = ("ELEC",)
