"""Printed reference lists and footnotes in, records out (``annobib import --from text``).

- :mod:`.split`: the list into entries (numbered, bulleted, paragraphs, lines, hanging lines,
  line-break hyphenation);
- :mod:`.notes`: a footnote into commentary and citations (signal, locator);
- :mod:`.tokens`, :mod:`.crf`: tokens, features and the CRF that labels them;
- :mod:`.fields`: labels into field values; type and language inferred;
- :mod:`.read`: the whole pass (:func:`read_list`), with per-field confidences and lines;
- :mod:`.records`: the result as annobib ``references`` / ``footnotes``;
- :mod:`.train`: retrain the shipped model from the repository (``training/text-parser``).
"""

from annobib.sources.text.read import ListResult, ParsedEntry, ParsedWork, read_list

__all__ = ["ListResult", "ParsedEntry", "ParsedWork", "read_list"]
