"""Post-deployment: evidence holds, equitability evidence, reliance on it, cancellation reports.

Revision ID: 0005
Revises: 0004
Create Date: 2026-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_holds",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("alert_id", sa.String(64), nullable=False),
        sa.Column("deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("held_by", sa.String(64), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(64), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("release_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_evidence_holds_alert_id", "evidence_holds", ["alert_id"])
    op.create_index("ix_evidence_holds_deployment_id", "evidence_holds", ["deployment_id"])
    op.create_table(
        "equitability_evidence",
        sa.Column("digest", sa.String(71), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False, unique=True),
        sa.Column("model_id", sa.String(128), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
    )
    op.create_table(
        "deployment_evidence",
        sa.Column(
            "deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), primary_key=True
        ),
        sa.Column(
            "evidence_digest",
            sa.String(71),
            sa.ForeignKey("equitability_evidence.digest"),
            nullable=False,
        ),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "cancellation_reports",
        sa.Column(
            "deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), primary_key=True
        ),
        sa.Column("digest", sa.String(71), nullable=False),
        sa.Column("submitted_by", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "cancellation_reports",
        "deployment_evidence",
        "equitability_evidence",
        "evidence_holds",
    ):
        op.drop_table(table)
