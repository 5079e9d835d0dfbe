"""Camera metrics per run: a camera restarted (or moved to another worker) counts from zero
under a run of its own instead of overwriting what its earlier run counted.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "camera_runs",
        sa.Column(
            "deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), primary_key=True
        ),
        sa.Column("camera", sa.String(64), primary_key=True),
        sa.Column("run", sa.String(36), primary_key=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.execute(
        "INSERT INTO camera_runs (deployment_id, camera, run, updated_at, data) "
        "SELECT deployment_id, camera, '', updated_at, data FROM camera_metrics"
    )
    op.drop_table("camera_metrics")


def downgrade() -> None:
    op.create_table(
        "camera_metrics",
        sa.Column(
            "deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), primary_key=True
        ),
        sa.Column("camera", sa.String(64), primary_key=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.execute(  # a camera's latest run only: the old table held one run per camera
        "INSERT INTO camera_metrics (deployment_id, camera, updated_at, data) "
        "SELECT r.deployment_id, r.camera, r.updated_at, r.data FROM camera_runs r "
        "WHERE r.run = (SELECT s.run FROM camera_runs s WHERE s.deployment_id = r.deployment_id "
        "AND s.camera = r.camera ORDER BY s.updated_at DESC, s.run LIMIT 1)"
    )
    op.drop_table("camera_runs")
