"""Which (deployment, track, subject) has already been recorded as an alert or a sighting.

A matcher that dies after writing an alert but before acknowledging its message has the
message redelivered to another; the primary key here turns that second write into a no-op, so
redelivery never pages twice. The row is written in the alert's own transaction."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from openlfr.store.tables import Base


class AlertDeliveryRow(Base):
    __tablename__ = "alert_deliveries"

    deployment_id: Mapped[str] = mapped_column(ForeignKey("deployments.id"), primary_key=True)
    track: Mapped[str] = mapped_column(String(128), primary_key=True)
    subject: Mapped[str] = mapped_column(String(128), primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(36))
