"""Account security: a second factor (TOTP secret, last step used, recovery codes), last login,
disabled accounts, and sessions that end when idle or still owe the second factor.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("accounts") as table:
        table.add_column(sa.Column("totp_secret", sa.String(64), nullable=True))
        table.add_column(sa.Column("totp_enrolled_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        table.add_column(sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("web_sessions") as table:
        table.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("stage", sa.String(16), nullable=True))
    op.create_table(
        "recovery_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("username", sa.String(64), sa.ForeignKey("actors.username"), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_recovery_codes_username", "recovery_codes", ["username"])


def downgrade() -> None:
    op.drop_table("recovery_codes")
    with op.batch_alter_table("web_sessions") as table:
        table.drop_column("stage")
        table.drop_column("last_seen_at")
    with op.batch_alter_table("accounts") as table:
        for column in (
            "disabled_at",
            "last_login_at",
            "totp_last_step",
            "totp_enrolled_at",
            "totp_secret",
        ):
            table.drop_column(column)
