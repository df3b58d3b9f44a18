"""``annobib-ignore``: findings a document or a record silences, each with its reason.

``annobib-ignore: {A402: "BibTeX cannot hold it; we export CSL-JSON too"}`` at the top of a
file silences those codes for everything in the file; under a record, for that record only. A
key is a finding code or a prefix of one (``A4``, ``A40``, ``A402``); the reason is required.
The CLI applies them (``annobib.cli.common``); a silenced finding still reaches
``--format json``, marked with its reason, and never counts towards the exit code.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

_CODE = re.compile(r"A\d{1,3}")


def _check(value: dict[str, str]) -> dict[str, str]:
    for code, reason in value.items():
        if not _CODE.fullmatch(code):
            raise ValueError(f"'{code}' is not a finding code or prefix (like A402 or A4)")
        if not reason.strip():
            raise ValueError(f"{code}: give the reason for ignoring it")
    return value


Ignores = Annotated[dict[str, str], AfterValidator(_check)]
