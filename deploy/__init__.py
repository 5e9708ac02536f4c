"""Serving Atelier CM with several app processes behind nginx (README « Production »)."""
