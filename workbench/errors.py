"""Errors a person may see: each carries a French message saying what happened and what to do."""


class UserError(Exception):
    """Bad input or a refused action; ``str(exc)`` is the French message to show.

    ``field`` names the input at fault (``"title"``, ``"tags"``…), so a form can show the message
    beside it; ``None`` when the whole action is refused.
    """

    def __init__(self, message: str = "", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class AccessDenied(UserError):
    """The actor may not read or write this record."""

    def __init__(self, message: str = "Vous n’avez pas accès à cette ressource.") -> None:
        super().__init__(message)


class NotFound(UserError):
    def __init__(self, message: str = "Élément introuvable : il a peut-être été supprimé.") -> None:
        super().__init__(message)


class DatabaseUnavailable(UserError):
    """The database cannot be reached at start."""
