"""Repositories: domain objects in, domain objects out. Nothing outside `store` sees a row."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from openlfr.domain.accounts import AccountState, LoginSession, SecondFactor, StillReferenced
from openlfr.domain.application import ApplicationVersion
from openlfr.domain.deployment import (
    DecisionRecord,
    Deployment,
    DeploymentId,
    DeploymentRef,
    State,
)
from openlfr.domain.errors import AlreadyExists, NotFound
from openlfr.domain.policy import Policy
from openlfr.domain.policy_file import parse_policy
from openlfr.domain.roles import Actor, Role
from openlfr.store.account_tables import AccountRow, RecoveryCodeRow, SessionRow
from openlfr.store.tables import (
    ActorRow,
    ApplicationVersionRow,
    AuditRow,
    DecisionRow,
    DeploymentRow,
    PolicyRow,
)

# Kept in their own columns or tables rather than in the JSON blob.
_OWN_COLUMNS = {"id", "reference", "applicant", "state", "versions", "decisions"}


class ActorRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, username: str) -> Actor:
        row = self.session.get(ActorRow, username)
        if row is None:
            raise NotFound(f"no user {username!r}")
        return _actor(row)

    def add(self, actor: Actor, now: datetime) -> None:
        if self.session.get(ActorRow, actor.username) is not None:
            raise AlreadyExists(f"user {actor.username!r} already exists")
        self.session.add(ActorRow(created_at=now, **_actor_columns(actor)))

    def update(self, actor: Actor) -> None:
        row = self.session.get(ActorRow, actor.username)
        if row is None:
            raise NotFound(f"no user {actor.username!r}")
        for name, value in _actor_columns(actor).items():
            setattr(row, name, value)

    def remove(self, username: str) -> None:
        """Delete a person; refused (StillReferenced) when a record names them (a row that refers
        to them, or an audited step of theirs beyond their own login), since records must keep
        who did what."""
        row = self.session.get(ActorRow, username)
        if row is None:
            raise NotFound(f"no user {username!r}")
        acted = select(AuditRow.seq).where(
            AuditRow.actor == username, AuditRow.action.not_like("account.%")
        )
        refused = StillReferenced(
            f"{username} appears in records, which must keep who did what; "
            "disable the account instead"
        )
        if self.session.scalars(acted.limit(1)).first() is not None:
            raise refused
        try:
            with self.session.begin_nested():
                self.session.delete(row)
        except IntegrityError:
            raise refused from None

    def list(self) -> list[Actor]:
        return [_actor(row) for row in self.session.scalars(select(ActorRow).order_by("username"))]

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(ActorRow)) or 0


def _actor(row: ActorRow) -> Actor:
    roles = frozenset(Role(role) for role in row.roles)
    return Actor(username=row.username, display_name=row.display_name, roles=roles, rank=row.rank)


def _actor_columns(actor: Actor) -> dict[str, object]:
    return {
        "username": actor.username,
        "display_name": actor.display_name,
        "roles": sorted(role.value for role in actor.roles),
        "rank": actor.rank,
    }


class AccountRepository:
    """Password hashes and login sessions by username and token hash."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def password_hash(self, username: str) -> str | None:
        row = self.session.get(AccountRow, username)
        return row.password_hash if row else None

    def set_password_hash(self, username: str, password_hash: str, now: datetime) -> None:
        row = self.session.get(AccountRow, username)
        if row is None:
            row = AccountRow(username=username)
            self.session.add(row)
        row.password_hash, row.changed_at = password_hash, now

    def add_session(
        self,
        token_hash: str,
        username: str,
        now: datetime,
        expires: datetime,
        stage: str | None = None,
    ) -> None:
        self.session.add(
            SessionRow(
                token_hash=token_hash,
                username=username,
                created_at=now,
                expires_at=expires,
                last_seen_at=now,
                stage=stage,
            )
        )

    def find_session(self, token_hash: str) -> LoginSession | None:
        row = self.session.get(SessionRow, token_hash)
        if row is None:
            return None
        seen = _aware(row.last_seen_at) if row.last_seen_at else None
        return LoginSession(row.username, _aware(row.expires_at), seen, row.stage)

    def touch_session(self, token_hash: str, now: datetime) -> None:
        row = self.session.get(SessionRow, token_hash)
        if row is not None:
            row.last_seen_at = now

    def _account(self, username: str) -> AccountRow:
        row = self.session.get(AccountRow, username)
        if row is None:
            raise NotFound(f"{username!r} has no console login")
        return row

    def second_factor(self, username: str) -> SecondFactor | None:
        row = self.session.get(AccountRow, username)
        if row is None or row.totp_secret is None:
            return None
        return SecondFactor(row.totp_secret, row.totp_enrolled_at is not None, row.totp_last_step)

    def begin_second_factor(self, username: str, secret: str) -> None:
        row = self._account(username)
        row.totp_secret, row.totp_enrolled_at, row.totp_last_step = secret, None, None

    def accept_step(self, username: str, step: int, now: datetime) -> None:
        """Record the step of an accepted code (and, the first time, the enrolment)."""
        row = self._account(username)
        row.totp_last_step = step
        row.totp_enrolled_at = row.totp_enrolled_at or now

    def clear_second_factor(self, username: str) -> None:
        row = self._account(username)
        row.totp_secret, row.totp_enrolled_at, row.totp_last_step = None, None, None
        self.session.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.username == username))

    def replace_recovery_codes(self, username: str, hashes: list[str]) -> None:
        self.session.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.username == username))
        self.session.add_all(RecoveryCodeRow(code_hash=h, username=username) for h in hashes)

    def use_recovery_code(self, username: str, code_hash: str, now: datetime) -> bool:
        """Spend a recovery code; False if it is not theirs or was spent already."""
        row = self.session.get(RecoveryCodeRow, code_hash)
        if row is None or row.username != username or row.used_at is not None:
            return False
        row.used_at = now
        return True

    def logged_in(self, username: str, now: datetime) -> None:
        self._account(username).last_login_at = now

    def disabled(self, username: str) -> bool:
        row = self.session.get(AccountRow, username)
        return row is not None and row.disabled_at is not None

    def set_disabled(self, username: str, at: datetime | None) -> None:
        self._account(username).disabled_at = at

    def states(self) -> dict[str, AccountState]:
        return {
            row.username: AccountState(
                username=row.username,
                has_password=True,
                disabled=row.disabled_at is not None,
                second_factor=row.totp_enrolled_at is not None,
                last_login_at=_aware(row.last_login_at) if row.last_login_at else None,
            )
            for row in self.session.scalars(select(AccountRow))
        }

    def forget(self, username: str) -> None:
        """Remove a login entirely: password, second factor, recovery codes, sessions."""
        self.drop_sessions_of(username)
        self.session.execute(delete(RecoveryCodeRow).where(RecoveryCodeRow.username == username))
        self.session.execute(delete(AccountRow).where(AccountRow.username == username))

    def drop_session(self, token_hash: str) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))

    def drop_sessions_of(self, username: str) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.username == username))

    def drop_expired(self, now: datetime) -> None:
        self.session.execute(delete(SessionRow).where(SessionRow.expires_at < now))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class PolicyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def active(self) -> Policy | None:
        query = select(PolicyRow).order_by(PolicyRow.activation.desc()).limit(1)
        row = self.session.scalars(query).first()
        return parse_policy(row.content) if row else None

    def get(self, version: str) -> Policy:
        row = self.session.get(PolicyRow, version)
        if row is None:
            raise NotFound(f"no policy version {version!r}")
        return parse_policy(row.content)

    def activate(self, policy: Policy, content: str, by: str, now: datetime) -> None:
        """Make this version the active one, keeping every earlier version for past decisions."""
        latest = self.session.scalar(select(func.max(PolicyRow.activation))) or 0
        row = self.session.get(PolicyRow, policy.version)
        if row is None:
            row = PolicyRow(version=policy.version, name=policy.name, content=content)
            self.session.add(row)
        row.activation, row.installed_by, row.installed_at = latest + 1, by, now


class DeploymentRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._rows: dict[str, DeploymentRow] = {}

    def add(self, deployment: Deployment, now: datetime) -> None:
        row = DeploymentRow(id=deployment.id, reference=deployment.reference)
        row.applicant = deployment.applicant
        self.session.add(row)
        self._rows[deployment.id] = row
        self.save(deployment, now)

    def get(self, deployment_id: DeploymentId) -> Deployment:
        row = self.session.get(DeploymentRow, deployment_id)
        if row is None:
            raise NotFound(f"no deployment with id {deployment_id!r}")
        return self._domain(row)

    def named(self, reference: DeploymentRef, lock: bool = False) -> Deployment:
        """`lock`: held until the transaction ends (PostgreSQL; SQLite's writers take turns)."""
        query = select(DeploymentRow).where(DeploymentRow.reference == reference)
        if lock:
            query = query.with_for_update()
        row = self.session.scalars(query).first()
        if row is None:
            raise NotFound(f"no deployment {reference!r}")
        return self._domain(row)

    def _domain(self, row: DeploymentRow) -> Deployment:
        self._rows[row.id] = row
        return Deployment.model_validate(
            {
                **row.data,
                "id": row.id,
                "reference": row.reference,
                "applicant": row.applicant,
                "state": row.state,
                "versions": [v.record for v in row.versions],
                "decisions": [d.record for d in row.decisions],
            }
        )

    def save(self, deployment: Deployment, now: datetime | None = None) -> None:
        """Write back; always bumps the row's version so a racing writer is refused."""
        row = self._rows[deployment.id]
        row.state = deployment.state.value
        row.data = deployment.model_dump(mode="json", exclude=_OWN_COLUMNS)
        row.updated_at = now or datetime.now(UTC)
        flag_modified(row, "data")
        for version in deployment.versions[len(row.versions) :]:
            row.versions.append(_version_row(deployment.id, version))
        for seq, decision in enumerate(
            deployment.decisions[len(row.decisions) :], len(row.decisions)
        ):
            row.decisions.append(_decision_row(deployment.id, seq + 1, decision))

    def list(self, state: State | None = None) -> list[Deployment]:
        query = select(DeploymentRow).order_by(DeploymentRow.updated_at.desc())
        if state is not None:
            query = query.where(DeploymentRow.state == state.value)
        return [self._domain(row) for row in self.session.scalars(query)]


def _version_row(deployment_id: str, version: ApplicationVersion) -> ApplicationVersionRow:
    return ApplicationVersionRow(
        deployment_id=deployment_id,
        number=version.number,
        submitted_by=version.submitted_by,
        record=version.model_dump(mode="json"),
    )


def _decision_row(deployment_id: str, seq: int, decision: DecisionRecord) -> DecisionRow:
    return DecisionRow(
        deployment_id=deployment_id,
        seq=seq,
        kind=decision.kind.value,
        application_version=decision.application_version,
        decided_by=decision.by,
        policy_version=decision.policy_version,
        record=decision.model_dump(mode="json"),
    )
