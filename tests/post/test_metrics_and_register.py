"""The register's figures from a scripted deployment equal the hand count; the register and its
exports show exactly the MPS columns, for published deployments only."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from scripted_deployment import CLOSED, EXPECTED, FACES_SEEN, STOPPED, scripted_deployment

from govkit import START, Flow
from openlfr.domain.alerts import Outcome
from openlfr.domain.register import REGISTER_COLUMNS
from openlfr.reports import register as register_report
from openlfr.reports.charts import register_charts
from openlfr.services import operations, reports
from openlfr.store.vault import Vault


def test_metrics_equal_the_hand_count(flow: Flow, vault: Vault) -> None:
    scripted = scripted_deployment(flow, vault)
    m = reports.cancellation_report(flow.uow, scripted.reference, now=CLOSED).metrics
    assert m.faces_seen == FACES_SEEN
    assert m.alerts == EXPECTED["alerts"]
    assert (m.true_confirmed, m.true_unconfirmed) == (2, 1)
    assert (m.false_confirmed, m.false_unconfirmed) == (1, 1)
    assert m.unadjudicated == 1
    assert (m.true_alerts, m.false_alerts) == (3, 2)
    assert m.outcomes == {
        Outcome.ARREST: 1,
        Outcome.OTHER_DISPOSAL: 1,
        Outcome.NO_FURTHER_ACTION: 1,
    }
    assert m.false_alert_rate == EXPECTED["false_alert_rate"]
    assert (m.watchlist_size, m.threshold, m.use_case) == (380, 0.45, "crime_hotspot")
    assert m.start == START + timedelta(minutes=5)
    assert m.duration == STOPPED - m.start


def test_the_register_lists_published_deployments_with_the_mps_columns(
    sqlite_flow: Flow, vault: Vault
) -> None:
    uow = sqlite_flow.uow
    published = scripted_deployment(sqlite_flow, vault)
    reports.submit_report(uow, "gail", published.reference, "Went well", "More signs", now=CLOSED)
    operations.publish(uow, "gail", published.reference, now=CLOSED)
    scripted_deployment(sqlite_flow, vault)  # closed, never reported: not in the register

    entries = reports.register_entries(uow)
    assert [e.reference for e in entries] == [published.reference]
    rows = list(csv.reader(io.StringIO(register_report.to_csv(entries))))
    assert tuple(rows[0]) == REGISTER_COLUMNS
    assert rows[1] == [
        "High Street station exit",
        START.date().isoformat(),
        "10:05",
        "15:55",
        "crime_hotspot",
        "380",
        "0.45",
        "6",
        "2",
        "1",
        "1",
        "1",
        "0.0005",
        "1",
        "1",
        "1",
        "4000",
    ]
    exported = json.loads(register_report.to_json(entries))
    assert list(exported[0]) == list(REGISTER_COLUMNS)
    assert exported[0]["Faces seen"] == 4000

    (year,) = reports.annual_report(uow)
    assert (year.year, year.total.deployments, year.total.faces_seen) == (START.year, 1, 4000)
    assert (year.total.alerts, year.total.false_alerts, year.total.arrests) == (6, 2, 1)
    assert year.by_use_case["crime_hotspot"].deployments == 1

    charts = register_charts(entries)
    assert set(charts) == {"deployments", "faces_seen", "alerts", "false_alerts"}
    assert all(svg.startswith("<svg") and "<script" not in svg for svg in charts.values())
    page = register_report.render_html(entries, [year])
    assert "High Street station exit" in page and "<script" not in page
