"""What the demo says at the end: the alerts against the walk-past's truth, the data destroyed,
the register row, and where to look."""

from __future__ import annotations

from collections import Counter
from typing import Any

from openlfr.demo.run import DemoResult
from openlfr.domain.register import REGISTER_COLUMNS


def walked_past(truth: dict[str, Any]) -> tuple[set[str], int]:
    """Watchlisted people who appear in the video, and the number of passers-by."""
    subjects = [a["subject"] for a in truth["appearances"]]
    return {s for s in subjects if s is not None}, sum(s is None for s in subjects)


def summary(result: DemoResult) -> str:
    per_subject = Counter(alert.subject for alert in result.alerts)
    verdicts = Counter(
        a.adjudication.verdict.value if a.adjudication else "not adjudicated" for a in result.alerts
    )
    lines = [f"\n{result.reference}: {len(result.alerts)} alerts ({_counts(verdicts)})"]
    if result.truth is not None:
        seen, passers = walked_past(result.truth)
        found = seen & set(per_subject)
        wrong = {s: n for s, n in per_subject.items() if s not in seen}
        lines.append(
            f"  found {len(found)} of the {len(seen)} watchlisted people who walked past "
            f"(among {passers} passers-by); alerts for anyone else: {sum(wrong.values())}"
        )
        if missed := sorted(seen - found):
            lines.append(f"  not found: {', '.join(missed)}")
    lines += [f"  {subject}: {n}" for subject, n in sorted(per_subject.items())]
    for camera, m in result.metrics.items():
        lines.append(
            f"  {camera}: {m.frames_processed} frames processed ({m.processed_share:.0%}), "
            f"{m.faces_seen} faces seen; stopped: {result.stop_reason}"
        )
    receipts = result.outcome.retention.watchlist_receipts
    lines.append(f"retention run: {len(receipts)} watchlist snapshot(s) destroyed, with receipts")
    row = result.outcome.register.row()
    lines.append("register entry (published):")
    lines += [f"  {column}: {row[column]}" for column in REGISTER_COLUMNS]
    return "\n".join(lines)


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in sorted(counter.items())) or "none"


def where_to_look(result: DemoResult) -> str:
    url = f"sqlite:///{result.database}"
    lines = ["where to look:"]
    if result.console is not None:
        lines += [
            f"  {result.console.url}/register  (public register)",
            f"  {result.console.url}/deployments/{result.reference}  (state, decisions, audit)",
        ]
    lines += [
        f"  OPENLFR_DATABASE_URL={url} openlfr register export --format csv",
        f"  OPENLFR_DATABASE_URL={url} openlfr report show {result.reference}",
        f"  OPENLFR_DATABASE_URL={url} openlfr audit verify",
        "  (alert images were encrypted under this run's vault key, which is gone with it)",
    ]
    return "\n".join(lines)
