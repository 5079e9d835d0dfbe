"""A matcher process for the tests: `openlfr matcher` as `openlfr.bootstrap` wires it, except
that the watchlist comes from a file (test data, not an imported snapshot) and the clock runs
inside the test deployment's window.

usage: matcher_proc.py REDIS_URL NAMESPACE DEPLOYMENT MEMBER WATCHLIST.npz PARTITIONS
                      [CAMERA=SOURCE ...]"""

from __future__ import annotations

import logging
import signal
import sys
import time
from datetime import timedelta

import numpy as np

from govkit import SNAPSHOT, START
from openlfr.biometrics.index import TemplateIndex
from openlfr.distributed.broker import BrokerKey, Names, connect
from openlfr.distributed.matcher_service import assemble
from openlfr.live.matcher import FrozenWatchlist
from openlfr.services import deployments
from openlfr.services.alert_delivery import IdempotentAlertSink
from openlfr.services.alerts import StoreMetricsSink
from openlfr.store.db import open_database
from openlfr.store.uow import UnitOfWork
from openlfr.store.vault import Vault


def main(
    url: str, namespace: str, ref: str, member: str, watchlist: str, partitions: str, *cameras: str
) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    database = open_database()
    found = deployments.get_deployment(UnitOfWork(database.sessions), ref)
    saved = np.load(watchlist)
    index = TemplateIndex(list(saved["subjects"]), saved["templates"])
    client = connect(url)
    names = Names(namespace, found.reference)
    began = time.monotonic()
    service = assemble(
        client,
        names,
        BrokerKey.from_environment(),
        member,
        found.id,
        FrozenWatchlist(index, SNAPSHOT),
        0.45,
        lambda: deployments.get_deployment(UnitOfWork(database.sessions), ref),
        IdempotentAlertSink(database, Vault.from_environment(data_dirs=[])),
        StoreMetricsSink(database, found.id),
        lambda: START + timedelta(minutes=10, seconds=time.monotonic() - began),
        int(partitions),
        dict(camera.split("=", 1) for camera in cameras),
    )
    signal.signal(signal.SIGTERM, lambda *_: service.stop())
    service.run()


if __name__ == "__main__":
    main(*sys.argv[1:])
