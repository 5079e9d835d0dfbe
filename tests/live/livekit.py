"""Helpers the live tests share (fixtures are in conftest.py)."""

from __future__ import annotations

from openlfr.live.gate import DeploymentGate
from openlfr.services import deployments
from openlfr.store.uow import UnitOfWork


def deployment_gate(uow: UnitOfWork, ref: str) -> DeploymentGate:
    return DeploymentGate(lambda: deployments.get_deployment(uow, ref))
