"""``annobib check`` results as JSON, SARIF 2.1.0, JUnit XML and GitHub workflow commands.

Pure functions from a :class:`~annobib.checks.crossref.CheckResult` to text. The JSON schema is
documented in ``docs/ci.md`` and versioned by its ``version`` field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from annobib import __version__, codes
from annobib.checks.crossref import CODES, CheckResult, Status, WorkResult
from annobib.findings import Finding, Severity

JSON_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def summary(result: CheckResult, exit_code: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "works": len(result.works),
        "statuses": result.counts(),
        "findings": {
            s.value: sum(1 for f in result.all_findings() if f.severity is s) for s in Severity
        },
        "service": result.service,
        "unavailable": result.unavailable_reason,
        "requests": result.stats,
        "exit_code": exit_code,
    }
    if result.source is not None:  # a snapshot (its date: of the data the verdicts rest on)
        out["source"] = result.source
    return out


def to_json(result: CheckResult, exit_code: int) -> str:
    payload = {
        "version": JSON_VERSION,
        "tool": {"name": "annobib", "version": __version__, "command": "check"},
        "summary": summary(result, exit_code),
        "works": [w.to_json() for w in result.works],
        "findings": [f.to_json() for f in result.findings],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


# --- SARIF ------------------------------------------------------------------------------------

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(path: str) -> str:
    return PurePath(path).as_posix()


def _sarif_result(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": f.code,
        "level": _LEVEL[f.severity],
        "message": {"text": (f"{f.subject}: " if f.subject else "") + f.message},
    }
    loc = f.location
    if loc is not None and loc.file and not loc.file.startswith("<"):
        region: dict[str, int] = {}
        if loc.line:
            region["startLine"] = loc.line
            if loc.col:
                region["startColumn"] = loc.col
        phys: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.file)}}
        if region:
            phys["region"] = region
        out["locations"] = [{"physicalLocation": phys}]
    props: dict[str, Any] = {}
    if f.key:
        props["key"] = f.key
    if f.field:
        props["field"] = f.field
    if f.data:
        props["data"] = f.data
    if props:
        out["properties"] = props
    if f.key:
        out["partialFingerprints"] = {"annobibKeyField/v1": f"{f.code}:{f.key}:{f.field or ''}"}
    return out


def _sarif_rule(code: str) -> dict[str, Any]:
    """A SARIF rule from the registry of finding codes (annobib.codes)."""
    registered = codes.get(code)
    title = registered.title if registered else code
    rule: dict[str, Any] = {
        "id": code,
        "name": "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+", title)[:6]),
        "shortDescription": {"text": title},
        "helpUri": registered.help_uri if registered else codes.DOCS_BASE + "cli.md",
    }
    if registered:
        rule["defaultConfiguration"] = {"level": _LEVEL[registered.severity]}
    return rule


def to_sarif(result: CheckResult, exit_code: int) -> str:
    return findings_sarif(result.all_findings(), exit_code, set(CODES),
                          result.unavailable_reason is None, {"statuses": result.counts()})


def findings_sarif(findings: Sequence[Finding], exit_code: int, rule_codes: set[str],
                   successful: bool, properties: dict[str, Any]) -> str:
    """A SARIF 2.1.0 log of ``findings`` (rules: their codes and ``rule_codes``)."""
    used = sorted({f.code for f in findings} | rule_codes)
    rules = [_sarif_rule(code) for code in used]
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "annobib",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": "https://github.com/annobib/annobib",
                "rules": rules,
            }
        },
        "invocations": [
            {
                "executionSuccessful": successful,
                "exitCode": exit_code,
                "properties": properties,
            }
        ],
        "results": [_sarif_result(f) for f in findings],
    }
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


# --- JUnit ------------------------------------------------------------------------------------

_FAILING = {Status.DIFFERS, Status.NOT_FOUND, Status.RETRACTED_CORRECTED}


def _case(w: WorkResult, unreachable_is_error: bool) -> tuple[str, str]:
    """(xml, outcome) for one work; outcome is pass, failure, error or skipped."""
    cls = _uri(w.location.file) if w.location and w.location.file else "annobib"
    name = f"{w.key} ({w.doi})" if w.doi else w.key
    head = f"    <testcase classname={quoteattr(cls)} name={quoteattr(name)} time=\"0\">"
    lines = "\n".join(str(f) for f in w.findings)
    if w.status in _FAILING:
        msg = f"{w.status.value}: " + "; ".join(f.message for f in w.findings[:3])
        body = (f"\n      <failure type={quoteattr(w.status.value)} message={quoteattr(msg)}>"
                f"{xml_escape(lines)}</failure>\n    ")
        return head + body + "</testcase>", "failure"
    if w.status is Status.UNCHECKED:
        tag = "error" if unreachable_is_error else "skipped"
        msg = f"unchecked: {w.reason or 'Crossref unavailable'}"
        body = f"\n      <{tag} type=\"unchecked\" message={quoteattr(msg)}/>\n    "
        return head + body + "</testcase>", ("error" if unreachable_is_error else "skipped")
    if w.status in (Status.NO_DOI, Status.OTHER_AGENCY):
        msg = w.reason or w.status.value
        if w.status is Status.NO_DOI:
            msg = "no DOI" + (f"; {w.findings[0].message}" if w.findings else "")
        body = f"\n      <skipped type={quoteattr(w.status.value)} message={quoteattr(msg)}/>\n    "
        return head + body + "</testcase>", "skipped"
    if w.findings:
        out = f"\n      <system-out>{xml_escape(lines)}</system-out>\n    "
        return head + out + "</testcase>", "pass"
    return head + "</testcase>", "pass"


def to_junit(result: CheckResult, *, unreachable_is_error: bool = True) -> str:
    cases = [_case(w, unreachable_is_error) for w in result.works]
    n = len(cases)
    failures = sum(1 for _, o in cases if o == "failure")
    errors = sum(1 for _, o in cases if o == "error")
    skipped = sum(1 for _, o in cases if o == "skipped")
    doc_cases: list[str] = []
    if result.findings:
        lines = "\n".join(str(f) for f in result.findings)
        bad = [f for f in result.findings if f.severity.rank >= Severity.WARNING.rank]
        if bad:
            failures += 1
            doc_cases.append(
                "    <testcase classname=\"annobib\" name=\"reference lists vs deposits\" "
                f"time=\"0\">\n      <failure type=\"reference-list\" "
                f"message={quoteattr(f'{len(bad)} difference(s) from the deposit')}>"
                f"{xml_escape(lines)}</failure>\n    </testcase>"
            )
        else:
            doc_cases.append(
                "    <testcase classname=\"annobib\" name=\"reference lists vs deposits\" "
                f"time=\"0\">\n      <system-out>{xml_escape(lines)}</system-out>\n    </testcase>"
            )
        n += 1
    attrs = (f'name="annobib check" tests="{n}" failures="{failures}" errors="{errors}" '
             f'skipped="{skipped}" time="0"')
    body = "\n".join([c for c, _ in cases] + doc_cases)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuites name="annobib" tests="{n}" failures="{failures}" errors="{errors}">\n'
        f"  <testsuite {attrs}>\n{body}\n  </testsuite>\n</testsuites>\n"
    )


# --- GitHub workflow commands -----------------------------------------------------------------

_GH_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(findings: Sequence[Finding]) -> str:
    """One ``::error file=...,line=...,title=...::message`` line per finding."""
    out: list[str] = []
    for f in findings:
        props: list[str] = []
        loc = f.location
        if loc is not None and loc.file and not loc.file.startswith("<"):
            props.append(f"file={_gh_prop(_uri(loc.file))}")
            if loc.line:
                props.append(f"line={loc.line}")
                if loc.col:
                    props.append(f"col={loc.col}")
        title = f"annobib {f.code}" + (f" {f.subject}" if f.subject else "")
        props.append(f"title={_gh_prop(title)}")
        out.append(f"::{_GH_LEVEL[f.severity]} {','.join(props)}::{_gh_data(f.message)}")
    return "\n".join(out) + ("\n" if out else "")
