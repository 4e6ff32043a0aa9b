"""The Alembic migrations build exactly the schema the models describe, on every database."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from models import Base
from models.base import made_on


def test_migrations_match_the_models(services):
    with services.db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_object": made_on(connection.dialect.name)})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_env_example_documents_every_setting():
    from pathlib import Path

    from config.settings import setting_names

    root = Path(__file__).resolve().parent.parent
    example, readme = (root / ".env.example").read_text(), (root / "README.md").read_text()
    for name in setting_names():
        assert f"{name}=" in example, name
        assert f"`{name}`" in readme, name
