"""The web console: server-rendered pages for every role, a JSON API and live alerts by SSE."""
