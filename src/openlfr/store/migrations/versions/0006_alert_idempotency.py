"""Distributed matching: one alert or sighting per deployment, track and subject.

Revision ID: 0006
Revises: 0005
Create Date: 2026-01-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_deliveries",
        sa.Column(
            "deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), primary_key=True
        ),
        sa.Column("track", sa.String(128), primary_key=True),
        sa.Column("subject", sa.String(128), primary_key=True),
        sa.Column("alert_id", sa.String(36), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("alert_deliveries")
