"""Alerts raised by a matcher reach every console: the matcher's hub also publishes each alert
event, sealed and without an image, on the deployment's Redis channel, and a console started
with a broker relays them into its own hub. So the operator's queue fills itself in distributed
mode as it does beside an embedded engine.

Pub/Sub, not a stream: an event is delivered to the consoles listening and kept nowhere; a
console that was down reads the alerts from the database when its page loads."""

from __future__ import annotations

import base64
import json
import logging
import threading

import redis

from openlfr.distributed.broker import BrokerKey, BrokerRefused, Names
from openlfr.domain.alerts import Alert
from openlfr.domain.deployment import DeploymentRef
from openlfr.live.desk import AlertEvent, AlertHub

log = logging.getLogger(__name__)


def _pack(fields: dict[str, bytes]) -> str:
    return json.dumps({k: base64.b64encode(v).decode() for k, v in fields.items()})


def _unpack(raw: bytes) -> dict[bytes, bytes]:
    return {k.encode(): base64.b64decode(v) for k, v in json.loads(raw).items()}


class BroadcastHub(AlertHub):
    """A matcher's alert hub: its own subscribers, and the deployment's channel."""

    def __init__(self, client: redis.Redis, names: Names, key: BrokerKey, sender: str) -> None:
        super().__init__()
        self.client, self.names, self.key, self.sender = client, names, key, sender

    def publish(self, event: AlertEvent) -> None:
        super().publish(event)
        channel, record = self.names.alerts, event.alert.model_dump(mode="json")
        sealed = self.key.seal(channel, event.kind, self.sender, record)
        try:
            self.client.publish(channel, _pack(sealed))
        except redis.RedisError:  # the alert is recorded; consoles will read it on their next load
            log.warning("alert %s not broadcast to the consoles", event.alert.id, exc_info=True)


class AlertRelay:
    """A console's listener: every deployment's alert events under a namespace into `hub`.
    A message under another broker key is dropped, never shown."""

    def __init__(self, client: redis.Redis, namespace: str, key: BrokerKey, hub: AlertHub) -> None:
        self.client, self.key, self.hub = client, key, hub
        self.pattern = Names(namespace, DeploymentRef("*")).alerts
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="alert-relay")

    def start(self, timeout: float = 10.0) -> None:
        """Returns once subscribed, so no event published after it is missed."""
        self._thread.start()
        self._listening.wait(timeout)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                with self.client.pubsub() as pubsub:
                    pubsub.psubscribe(self.pattern)
                    while not self._stop.is_set():
                        message = pubsub.get_message(timeout=0.5)
                        if message is None:
                            continue
                        if message["type"] == "psubscribe":  # Redis confirmed: listening
                            self._listening.set()
                        elif message["type"] == "pmessage":
                            self._relay(message["channel"].decode(), message["data"])
            except redis.RedisError:
                log.warning("alert relay lost the broker; reconnecting", exc_info=True)
                self._stop.wait(1.0)

    def _relay(self, channel: str, data: bytes) -> None:
        try:
            sealed = self.key.open(channel, _unpack(data))
        except (BrokerRefused, ValueError, KeyError):
            log.warning("an alert event on %s failed authentication and was dropped", channel)
            return
        alert = Alert.model_validate(sealed.header)
        self.hub.publish(AlertEvent("raised" if sealed.kind == "raised" else "sighted", alert))
