"""OpenLFR beyond one machine: camera workers publish best-shot templates to Redis Streams, a
central matcher decides and keeps alerts in PostgreSQL, and nothing biometric outlives its
comparison. `broker` (names, bounds, the encrypted envelope), `wire` (the messages),
`coordination` (heartbeats, leases, camera assignment), `worker`, `matcher_service`,
`episodes` (one alert per person across matchers), `alert_feed` (alert events to the
consoles). A matcher records its alerts through the `AlertSink` it is given (the services'
`alert_delivery.IdempotentAlertSink`). See docs/DISTRIBUTED.md."""
