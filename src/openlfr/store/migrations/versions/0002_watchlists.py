"""Watchlists: the vault's wrapped data keys, the force's record pool, duplicate flags and the
per-deployment snapshots (entries kept for redress; templates destroyed after the deployment).

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "watchlist_records",
        sa.Column("reference", sa.String(64), primary_key=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("gender_transition", sa.Boolean(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=False),
        sa.Column("container_id", sa.String(36), sa.ForeignKey("vault_keys.id"), nullable=False),
        sa.Column("imported_by", sa.String(64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "watchlist_images",
        sa.Column(
            "reference",
            sa.String(64),
            sa.ForeignKey("watchlist_records.reference", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("file", sa.String(500), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("captured_on", sa.Date(), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=False),
    )
    op.create_table(
        "watchlist_duplicates",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("reference_a", sa.String(64), nullable=False),
        sa.Column("reference_b", sa.String(64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("flagged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_by", sa.String(64), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.UniqueConstraint("reference_a", "reference_b"),
    )
    op.create_index("ix_watchlist_duplicates_reference_a", "watchlist_duplicates", ["reference_a"])
    op.create_index("ix_watchlist_duplicates_reference_b", "watchlist_duplicates", ["reference_b"])
    op.create_table(
        "watchlist_snapshots",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("deployment_id", sa.String(36), sa.ForeignKey("deployments.id"), nullable=False),
        sa.Column("hash", sa.String(80), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("model_id", sa.String(100), nullable=False),
        sa.Column("categories", sa.JSON(), nullable=False),
        sa.Column("special_categories", sa.JSON(), nullable=False),
        sa.Column("container_id", sa.String(36), sa.ForeignKey("vault_keys.id"), nullable=True),
        sa.Column("built_by", sa.String(64), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("destroyed_by", sa.String(64), nullable=True),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_watchlist_snapshots_deployment_id", "watchlist_snapshots", ["deployment_id"]
    )
    op.create_index("ix_watchlist_snapshots_hash", "watchlist_snapshots", ["hash"])
    op.create_table(
        "snapshot_entries",
        sa.Column(
            "snapshot_id",
            sa.String(36),
            sa.ForeignKey("watchlist_snapshots.id"),
            primary_key=True,
        ),
        sa.Column("reference", sa.String(64), primary_key=True),
        sa.Column("category", sa.String(64), nullable=False),
        sa.Column("special_categories", sa.JSON(), nullable=False),
    )
    op.create_index("ix_snapshot_entries_reference", "snapshot_entries", ["reference"])
    op.create_table(
        "snapshot_templates",
        sa.Column(
            "snapshot_id",
            sa.String(36),
            sa.ForeignKey("watchlist_snapshots.id"),
            primary_key=True,
        ),
        sa.Column("reference", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("image", sa.LargeBinary(), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=False),
    )


def downgrade() -> None:
    for table in (
        "snapshot_templates",
        "snapshot_entries",
        "watchlist_snapshots",
        "watchlist_duplicates",
        "watchlist_images",
        "watchlist_records",
        "vault_keys",
    ):
        op.drop_table(table)
