"""`openlfr serve` runs the web console; `openlfr set-password` gives a user a password for it."""

from __future__ import annotations

from typing import Annotated

import typer

from openlfr.cli._shared import ActingAs, refusals, unit_of_work
from openlfr.store.vault import Vault

app = typer.Typer()


@app.command("serve")
@refusals
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the console. Behind HTTPS keep secure cookies (the default); for plain
    http://127.0.0.1 in development set OPENLFR_SECURE_COOKIES=0. Retention runs every
    OPENLFR_RETENTION_INTERVAL_SECONDS (3600); the console may start cameras only on the
    sources in OPENLFR_CAMERA_SOURCES ("cam-1=rtsp://...,cam-2=/srv/video.mp4"). With
    OPENLFR_BROKER_URL and OPENLFR_BROKER_KEY it also shows the alerts the matchers raise."""
    from dataclasses import replace

    import uvicorn

    from openlfr.web.app import create_app
    from openlfr.web.settings import WebSettings

    Vault.from_environment()  # retention and alert images need it: refuse now, not at start-up
    settings = replace(WebSettings.from_environment(), run_retention=True)
    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=False, log_level="info")


@app.command("set-password")
@refusals
def set_password(
    username: str,
    by: ActingAs,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Set a user's password for the web console (an administrator, or the user themself)."""
    from openlfr.services import accounts

    accounts.set_password(unit_of_work(), by, username, password)
    typer.echo(f"password set for {username}")
