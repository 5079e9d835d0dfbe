"""The unit of work: one transaction holding the repositories. Leaving it without `commit`
rolls everything back, so a refused step leaves no trace but its exception."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from openlfr.domain.errors import ConcurrentChange
from openlfr.store.alert_repositories import (
    AlertDeliveries,
    AlertRepository,
    CameraMetricsRepository,
)
from openlfr.store.audit import AuditLog
from openlfr.store.evidence_repositories import (
    CancellationReports,
    EquitabilityRecord,
    EvidenceHolds,
)
from openlfr.store.repositories import (
    AccountRepository,
    ActorRepository,
    DeploymentRepository,
    PolicyRepository,
)
from openlfr.store.vault_keys import VaultKeys, checkpoint_sqlite
from openlfr.store.watchlist_repositories import DuplicateFlags, Snapshots, WatchlistPool


class UnitOfWork:
    session: Session
    actors: ActorRepository
    accounts: AccountRepository
    policies: PolicyRepository
    deployments: DeploymentRepository
    audit: AuditLog
    vault_keys: VaultKeys
    alerts: AlertRepository
    camera_metrics: CameraMetricsRepository
    alert_deliveries: AlertDeliveries
    evidence_holds: EvidenceHolds
    equitability: EquitabilityRecord
    cancellation_reports: CancellationReports
    watchlist_pool: WatchlistPool
    duplicates: DuplicateFlags
    snapshots: Snapshots

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def another(self) -> UnitOfWork:
        """A unit of work on the same database for another thread: one is never shared by two
        threads at once (its session is per `with`, kept on the object)."""
        return UnitOfWork(self._sessions)

    def __enter__(self) -> Self:
        self.session = self._sessions()
        self.actors = ActorRepository(self.session)
        self.accounts = AccountRepository(self.session)
        self.policies = PolicyRepository(self.session)
        self.deployments = DeploymentRepository(self.session)
        self.audit = AuditLog(self.session)
        self.vault_keys = VaultKeys(self.session)
        self.alerts = AlertRepository(self.session)
        self.camera_metrics = CameraMetricsRepository(self.session)
        self.alert_deliveries = AlertDeliveries(self.session)
        self.evidence_holds = EvidenceHolds(self.session)
        self.equitability = EquitabilityRecord(self.session)
        self.cancellation_reports = CancellationReports(self.session)
        self.watchlist_pool = WatchlistPool(self.session)
        self.duplicates = DuplicateFlags(self.session)
        self.snapshots = Snapshots(self.session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()
        if isinstance(exc, StaleDataError):
            raise ConcurrentChange(
                "someone else changed this deployment at the same moment; nothing was saved. "
                "Look at it again and retry if the step still applies"
            ) from exc

    def commit(self) -> None:
        self.session.commit()

    def shred_leftovers(self) -> None:
        """After a commit that destroyed data: no old page of it left in SQLite's WAL."""
        bind = self._sessions.kw.get("bind")
        if bind is not None:
            checkpoint_sqlite(bind)
