"""Roster write operations: imports, snapshots, accounts. Views, admin screens and commands call these."""
