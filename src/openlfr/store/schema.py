"""Every table of every area, in one metadata: what migrations and their tests compare against.

Each area keeps its tables in its own module on the shared `Base`; importing it here is what
makes Alembic see it."""

from __future__ import annotations

from openlfr.store import (
    account_tables,
    alert_tables,
    delivery_tables,
    evidence_tables,
    vault_keys,
    watchlist_tables,
)
from openlfr.store.tables import Base

metadata = Base.metadata

AREA_TABLES = (
    account_tables,
    alert_tables,
    delivery_tables,
    evidence_tables,
    vault_keys,
    watchlist_tables,
)
"""Named so that the imports above are plainly used: each registers its tables on `Base`."""
