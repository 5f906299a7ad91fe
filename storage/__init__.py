"""The only place with SQL: engine, tables, migrations, repositories, unit of work."""
