"""Codecs that readers and writers of a format share, below both ``sources/`` and ``exporters/``.

- ``langs``: BCP 47 (the model) <-> babel/polyglossia language names (BibLaTeX ``langid``,
  BibTeX ``language``; RIS readers take babel names too);
- ``tex``: plain text -> TeX field values (escaping, title case protection);
- ``texdecode``: TeX field values -> plain text (the reader side);
- ``bibfields``: the BibTeX/BibLaTeX field crosswalk, one table that the reader
  (``sources/bibtex/``) and the writer (``exporters/biblatex.py``) both use.

Nothing here does I/O or imports ``sources``, ``exporters`` or anything above them.
"""
