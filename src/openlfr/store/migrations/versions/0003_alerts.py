"""Live engine: alerts (with their encrypted best-shot image) and per-camera metrics.

Revision ID: 0003
Revises: 0002
Create Date: 2026-01-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), nullable=False),
        sa.Column("camera", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(128), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("image_container", sa.String(36), nullable=True),
        sa.Column("image", sa.LargeBinary(), nullable=True),
    )
    op.create_index("ix_alerts_deployment_id", "alerts", ["deployment_id"])
    op.create_index("ix_alerts_status", "alerts", ["status"])
    op.create_table(
        "camera_metrics",
        sa.Column(
            "deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), primary_key=True
        ),
        sa.Column("camera", sa.String(64), primary_key=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("camera_metrics")
    op.drop_table("alerts")
