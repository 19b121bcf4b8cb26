"""Alembic environment: migrations always run on a connection handed over by the ledger."""

from alembic import context

from trucewatch.ledger.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the ledger always passes one
    raise RuntimeError("run migrations through trucewatch.ledger.db.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
