"""What the watch and training libraries share: settings, database, accounts, roles, cohorts."""
