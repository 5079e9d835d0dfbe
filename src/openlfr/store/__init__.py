"""Persistence: tables, repositories, the unit of work, migrations and the audit chain."""
