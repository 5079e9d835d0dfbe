"""Every table of every area, in one metadata: what migrations and their tests compare against.

Each area keeps its tables in its own module on the shared `Base`; importing it here is what
makes Alembic see it."""

from __future__ import annotations

from openlfr.store.tables import Base

metadata = Base.metadata

__all__ = ["metadata"]
