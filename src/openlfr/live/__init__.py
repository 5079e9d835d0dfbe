"""The live engine: camera frames in, adjudicable alerts out, every non-matched face forgotten.

Stages, each behind a small interface so cameras can later run on other machines:
`sources` (frames, paced in real time) -> `pipeline.CameraPipeline` (detect, `tracker`,
`bestshot`, probe templates) -> `matcher.Matcher` (frozen watchlist, decision over a track's
shots) -> `desk.AlertDesk` (one alert per person and episode) -> an `AlertSink` and the `AlertHub`
listeners. `engine.LiveEngine` runs the cameras under the run gate (`gate`). See docs/LIVE.md."""
