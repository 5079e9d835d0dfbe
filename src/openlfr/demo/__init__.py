"""`openlfr demo`: one deployment run end to end on a fresh machine, through the real services,
on the bundled redistributable photos (or the user's own camera, video and watchlist)."""
