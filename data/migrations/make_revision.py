"""Developer tool: autogenerate a migration from the models.

    .venv/bin/python -m data.migrations.make_revision "add reconciliation tables" [REV_ID]

It upgrades a scratch SQLite database to the current head and writes the difference to
``data/migrations/versions``. Review the file, then set ``data.schema.SCHEMA_HEAD``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from data.engine import make_engine
from data.schema import MIGRATIONS, upgrade


def main(message: str, rev_id: str | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        if any((MIGRATIONS / "versions").glob("*.py")):
            upgrade(engine)
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message=message, autogenerate=True, rev_id=rev_id)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
