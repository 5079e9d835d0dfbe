"""Equitability evidence on the London set: per-group rates with Wilson intervals and sample
sizes at the threshold in use, small groups said to be inconclusive, filed by content hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from govkit import Flow
from openlfr.biometrics.batch import main_faces
from openlfr.biometrics.embedder import SFACE_SPEC
from openlfr.domain.equitability import MIN_SUBJECTS, EquitabilityEvidence, wilson
from openlfr.domain.errors import PermissionRefused
from openlfr.eval.equitability import measure_equitability, read_demographics
from openlfr.eval.identification import split_folder
from openlfr.services import equitability, reports

THRESHOLD = 0.45


@pytest.fixture(scope="module")
def evidence(data_dir: Path) -> EquitabilityEvidence:
    london = data_dir / "redistributable" / "london-set"
    split = split_folder(london)
    templates = {
        r.path: r.sample.template for r in main_faces(split.images, 2) if r.sample is not None
    }
    demographics = read_demographics(london / "london_info.csv")
    provenance = {"gallery": "london-set"}
    return measure_equitability(
        split, templates, demographics, THRESHOLD, SFACE_SPEC.model_id, provenance
    )


def test_wilson_interval_is_sound_at_zero_and_small_n() -> None:
    assert wilson(0, 0) == {"low": None, "high": None}
    zero = wilson(0, 2550)
    assert zero["low"] == 0.0 and 0.0 < (zero["high"] or 0) < 0.002
    half = wilson(5, 10)
    assert half["low"] == pytest.approx(0.2366, abs=1e-3)
    assert half["high"] == pytest.approx(0.7634, abs=1e-3)


@pytest.mark.data
def test_per_group_rates_with_intervals_and_sample_sizes(evidence: EquitabilityEvidence) -> None:
    groups = {(g.attribute, g.group): g for g in evidence.groups}
    assert groups[("all", "all")].subjects == 102
    assert groups[("gender", "female")].subjects == 49
    assert groups[("gender", "male")].subjects == 53
    assert groups[("ethnicity", "black")].subjects == 13
    for g in evidence.groups:
        n = g.subjects
        if n < 2:  # one person: no impostor pair, nothing measured, said so
            assert g.false_match.total == 0 and not g.conclusive
            continue
        assert g.true_match.total == n - g.failure_to_enrol
        assert g.false_match.total == g.true_match.total * (n - 1 - g.failure_to_enrol)
        assert g.false_match.low is not None and g.false_match.high is not None
        assert g.false_match.high > 0  # zero observed is never reported as a zero rate
        assert g.false_match.low <= (g.false_match.rate or 0) <= g.false_match.high
        assert g.conclusive == (n >= MIN_SUBJECTS)
        if not g.conclusive:
            assert g.finding.startswith("Too small to conclude anything")
    everyone = groups[("all", "all")]
    assert everyone.true_match.rate is not None and everyone.true_match.rate > 0.9


@pytest.mark.data
def test_evidence_is_filed_by_content_hash_and_recorded_per_deployment(
    evidence: EquitabilityEvidence, sqlite_flow: Flow
) -> None:
    uow = sqlite_flow.uow
    with pytest.raises(PermissionRefused):
        equitability.store_evidence(uow, "alice", evidence)
    assert equitability.store_evidence(uow, "admin", evidence) == (1, evidence.digest)
    assert equitability.store_evidence(uow, "admin", evidence) == (1, evidence.digest)
    latest = equitability.latest_evidence(uow)
    assert latest is not None and latest[1].digest == evidence.digest
    ref = sqlite_flow.closed()
    equitability.record_evidence_for_deployment(uow, "bob", ref, evidence.digest)
    report = reports.cancellation_report(uow, ref)
    assert report.equitability_evidence == f"version 1, {evidence.digest}"
