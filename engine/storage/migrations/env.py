"""Alembic environment: the connection comes from the caller (engine.storage.migrate)."""

from alembic import context

from engine.storage.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
