"""The cancellation report: built from the record, submitted through the governance `report`
step and frozen; its PDF renders and lists every alert."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from postkit import CLOSED, SCRIPT, scripted_deployment
from pypdf import PdfReader

from govkit import Flow
from openlfr.domain.errors import PermissionRefused, TransitionRefused
from openlfr.reports.cancellation import render_html
from openlfr.reports.pdf import cancellation_pdf
from openlfr.services import deployments, operations, reports
from openlfr.store.vault import Vault


def test_the_report_is_built_from_the_record_and_its_pdf_lists_every_alert(
    sqlite_flow: Flow, vault: Vault
) -> None:
    scripted = scripted_deployment(sqlite_flow, vault)
    report = reports.cancellation_report(sqlite_flow.uow, scripted.reference, now=CLOSED)
    assert report.submitted_by is None
    kinds = [e.kind for e in report.timeline]
    assert kinds == ["started", "camera stream lost", "paused", "resumed", "stopped"]
    assert report.authority.authorised_by == "bob"
    assert [a.alert.alert_id for a in report.alerts] == scripted.alert_ids
    assert len(report.kept) == len(SCRIPT)

    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(cancellation_pdf(report))).pages
    )
    for alert_id, (subject, *_rest) in zip(scripted.alert_ids, SCRIPT, strict=True):
        assert alert_id[:8] in text
        assert subject in text
    assert "stream lost" in text
    html = render_html(report)
    assert all(subject in html for subject, *_ in SCRIPT) and "<script" not in html


def test_submission_goes_through_the_report_step_and_freezes_the_report(
    flow: Flow, vault: Vault
) -> None:
    uow = flow.uow
    scripted = scripted_deployment(flow, vault)
    ref = scripted.reference
    with pytest.raises(TransitionRefused, match="cancellation report"):
        operations.publish(uow, "gail", ref, now=CLOSED)
    with pytest.raises(PermissionRefused):
        reports.submit_report(uow, "sam", ref, "eval", "lessons", now=CLOSED)
    submitted = reports.submit_report(uow, "gail", ref, "Objective met.", "More signs.", CLOSED)
    assert submitted.submitted_by == "gail"
    assert deployments.get_deployment(uow, ref).cancellation_report is not None
    with pytest.raises(TransitionRefused, match="already submitted"):
        reports.submit_report(uow, "gail", ref, "again", "again", now=CLOSED)
    later = reports.cancellation_report(uow, ref, now=CLOSED + timedelta(days=60))
    assert later == submitted
    assert (later.evaluation, later.lessons) == ("Objective met.", "More signs.")
    operations.publish(uow, "gail", ref, now=CLOSED)
    with uow:
        assert uow.audit.verify().ok
