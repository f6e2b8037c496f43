"""Alembic environment: migrations run in-process on a connection given by muskan_desktop.db."""

from alembic import context

from muskan_desktop.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic` run by hand: use the URL from the config
    from sqlalchemy import create_engine

    connection = create_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
