"""`alur serve`: run the web UI (Flask's server); `--demo` seeds a demo database first."""

from __future__ import annotations

from pathlib import Path

import click

from webui import create_app, demo


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--demo",
    "demo_mode",
    is_flag=True,
    help="Demo: migrate the database, deploy bpmn/, add one user per role (password 'demo').",
)
def serve(host: str, port: int, demo_mode: bool) -> None:
    """Serve the staff web UI (for production run gunicorn 'webui:create_app()')."""
    try:
        app = create_app({"ALUR_DEMO": True} if demo_mode else None)
    except RuntimeError as error:
        raise click.ClickException(str(error)) from error
    if demo_mode:
        people = demo.seed(app.extensions["alur"], Path(app.config["ALUR_BPMN_DIR"]))
        click.echo("Alur demo: sign in with one of these users\n")
        click.echo(demo.table(people))
        click.echo(f"\nDatabase: {app.extensions['alur'].settings.database_url}")
    click.echo(f"Open http://{host}:{port}/  (Ctrl+C stops)")
    app.run(host=host, port=port, debug=False, use_reloader=False)
