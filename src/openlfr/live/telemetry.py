"""What the engine tells an operations team, in Prometheus form: how much video it processed and
dropped, how long detection and templates took, how soon alerts came, and how full its queues are.

Labels carry camera ids only (the ids the deployment's cameras were set up with, e.g. `cam-1`):
never a face, a subject, a track or a deployment reference. A force that names cameras after a
place a person can be tied to should give them neutral ids. One `Telemetry` per process (the
console, a worker); engines built in that process count into it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

#: Seconds: detection and a template take 5-200 ms on a small CPU.
STAGE_BUCKETS = (0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0)
#: Seconds of video from a person's first detection to their alert.
LATENCY_BUCKETS = (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0)

Readings = Callable[[], dict[str, float]]
"""A gauge read at scrape time: label value -> reading (a queue's depth, a partition's lag)."""


class _Gauges(Collector):
    def __init__(self, name: str, documentation: str, label: str) -> None:
        self.name, self.documentation, self.label = name, documentation, label
        self.sources: dict[str, Readings] = {}

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(self.name, self.documentation, labels=[self.label])
        for source in list(self.sources.values()):
            try:
                readings = source()
            except Exception:  # a source that cannot answer (broker down) reports nothing
                continue
            for key, value in readings.items():
                family.add_metric([key], value)
        yield family


class Telemetry:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.frames_processed = Counter(
            "openlfr_frames_processed", "Frames the engine looked at.", ["camera"], registry=r
        )
        self.frames_dropped = Counter(
            "openlfr_frames_dropped",
            "Frames skipped because the engine was late (never queued).",
            ["camera"],
            registry=r,
        )
        self.detection_seconds = Histogram(
            "openlfr_detection_seconds",
            "Time of one face detection on a frame or a region.",
            ["camera"],
            buckets=STAGE_BUCKETS,
            registry=r,
        )
        self.template_seconds = Histogram(
            "openlfr_template_seconds",
            "Time of one probe template (alignment and SFace forwards).",
            ["camera"],
            buckets=STAGE_BUCKETS,
            registry=r,
        )
        self.alert_latency_seconds = Histogram(
            "openlfr_alert_latency_seconds",
            "Seconds of video from a person's first detection to their alert.",
            ["camera"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.queue_depth = _Gauges(
            "openlfr_queue_depth", "Items waiting in a queue of this process.", "queue"
        )
        self.broker_lag = _Gauges(
            "openlfr_broker_lag",
            "Messages on a decision stream not yet read by the matchers.",
            "partition",
        )
        r.register(self.queue_depth)
        r.register(self.broker_lag)

    def watch_queues(self, owner: str, readings: Readings) -> None:
        """Read `owner`'s queue depths at each scrape (replacing what `owner` gave before)."""
        self.queue_depth.sources[owner] = readings

    def watch_broker(self, owner: str, readings: Readings) -> None:
        self.broker_lag.sources[owner] = readings

    def unwatch(self, owner: str) -> None:
        self.queue_depth.sources.pop(owner, None)
        self.broker_lag.sources.pop(owner, None)

    def exposition(self) -> bytes:
        """The text format Prometheus scrapes."""
        return generate_latest(self.registry)


_process = Telemetry()


def process_telemetry() -> Telemetry:
    """The one set of instruments of this process, which its engines count into."""
    return _process
