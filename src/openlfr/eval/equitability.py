"""Equitability evidence: LFR-ID-1 run per demographic group, at the threshold in use.

The public sector equality duty (Bridges, 2020) needs the force itself to find out whether the
software errs more for some groups. For each group (gender, ethnicity, age band) of a reference
set with self-reported demographics, the group's identities alone form the protocol's gallery
and probes; the false match rate (impostor comparisons within the group) and the true match
rate (mated probes identified at or above the threshold) are reported with Wilson 95% intervals
and their sample sizes. A group too small to support a conclusion is said to be so."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from openlfr.domain.equitability import MIN_SUBJECTS, EquitabilityEvidence, GroupResult, Rate
from openlfr.eval.identification import Split, score

AGE_BANDS = ((18, 24), (25, 34), (35, 44), (45, 200))


def read_demographics(path: Path) -> dict[str, dict[str, str]]:
    """face_id -> {gender, ethnicity, age_band} from a CSV with columns face_id, face_age,
    face_gender, face_eth (the London set's). 'NA' or blank is left out of that attribute."""
    groups: dict[str, dict[str, str]] = {}
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            known = {
                "gender": _known(row.get("face_gender")),
                "ethnicity": _known(row.get("face_eth")),
                "age_band": _age_band(_known(row.get("face_age"))),
            }
            groups[row["face_id"].strip()] = {k: v for k, v in known.items() if v}
    return groups


def measure_equitability(
    split: Split,
    templates: dict[Path, np.ndarray],
    demographics: dict[str, dict[str, str]],
    threshold: float,
    model_id: str,
    provenance: dict[str, Any],
) -> EquitabilityEvidence:
    """Run LFR-ID-1 on the whole set and on each group's identities alone."""
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    for identity in split.enrolment:
        members[("all", "all")].add(identity)
        for attribute, group in demographics.get(identity, {}).items():
            members[(attribute, group)].add(identity)
    results = [
        _group(attribute, group, ids, split, templates, threshold, model_id, provenance)
        for (attribute, group), ids in sorted(members.items())
    ]
    return EquitabilityEvidence(
        model_id=model_id,
        threshold=threshold,
        reference_set=str(provenance.get("gallery", "")),
        provenance=provenance,
        groups=results,
    )


def _group(
    attribute: str,
    group: str,
    identities: set[str],
    split: Split,
    templates: dict[Path, np.ndarray],
    threshold: float,
    model_id: str,
    provenance: dict[str, Any],
) -> GroupResult:
    if len(identities) < 2:  # no impostor pair exists: nothing can be measured
        none = Rate.of(0, 0)
        finding = _finding(len(identities), none, none, False)
        return GroupResult(
            attribute=attribute,
            group=group,
            subjects=len(identities),
            false_match=none,
            true_match=none,
            rank1=0.0,
            failure_to_enrol=0,
            failure_to_acquire=0,
            conclusive=False,
            finding=finding,
        )
    sub = Split(
        enrolment={k: v for k, v in split.enrolment.items() if k in identities},
        probes=[p for p in split.probes if p.identity in identities],
    )
    outcome = score(sub, templates, model_id, provenance)
    table = outcome.calibration
    row = max(int(np.searchsorted(table.thresholds, threshold, side="right")) - 1, 0)
    impostors = table.impostor_comparisons
    false_match = Rate.of(round(float(table.false_match_rate[row]) * impostors), impostors)
    mated = [r for r in outcome.records if r["truth"] is not None]
    identified = sum(
        1
        for r in mated
        if r["candidates"]
        and r["candidates"][0]["subject"] == r["truth"]
        and r["candidates"][0]["score"] >= threshold
    )
    true_match = Rate.of(identified, len(mated))
    conclusive = len(identities) >= MIN_SUBJECTS
    return GroupResult(
        attribute=attribute,
        group=group,
        subjects=len(identities),
        false_match=false_match,
        true_match=true_match,
        rank1=outcome.summary["rank1"],
        failure_to_enrol=outcome.summary["failure_to_enrol"],
        failure_to_acquire=outcome.summary["failure_to_acquire"],
        conclusive=conclusive,
        finding=_finding(len(identities), false_match, true_match, conclusive),
    )


def _finding(subjects: int, false_match: Rate, true_match: Rate, conclusive: bool) -> str:
    if not conclusive:
        return (
            f"Too small to conclude anything: {subjects} people (fewer than {MIN_SUBJECTS}). "
            "Measure on a larger reference set before relying on it."
        )
    fm = (
        f"{false_match.count} false matches in {false_match.total:,} impostor comparisons "
        f"(95% CI {_pct(false_match.low)} to {_pct(false_match.high)})"
    )
    tm = (
        f"{true_match.count} of {true_match.total} mated probes identified "
        f"(95% CI {_pct(true_match.low)} to {_pct(true_match.high)})"
    )
    return f"{fm}; {tm}."


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2%}"


def _known(value: str | None) -> str:
    value = (value or "").strip()
    return "" if value.upper() in {"", "NA", "N/A"} else value


def _age_band(age: str) -> str:
    if not age.isdigit():
        return ""
    years = int(age)
    for low, high in AGE_BANDS:
        if low <= years <= high:
            return f"{low}+" if high >= 200 else f"{low}-{high}"
    return f"under {AGE_BANDS[0][0]}"
