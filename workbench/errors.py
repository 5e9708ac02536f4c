"""Errors a person may see: each carries a French message saying what happened and what to do."""


class UserError(Exception):
    """Bad input or a refused action; ``str(exc)`` is the French message to show."""


class AccessDenied(UserError):
    """The actor may not read or write this record."""

    def __init__(self, message: str = "Vous n’avez pas accès à cette ressource.") -> None:
        super().__init__(message)


class NotFound(UserError):
    def __init__(self, message: str = "Élément introuvable : il a peut-être été supprimé.") -> None:
        super().__init__(message)


class DatabaseUnavailable(UserError):
    """The database cannot be reached at start."""
