"""Storage wiring: engine, sessions, migrations, demo company, samples."""
