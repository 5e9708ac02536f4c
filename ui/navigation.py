"""Every page of the app, by section and role. ``app.py`` builds ``st.navigation`` from this list."""

from __future__ import annotations

from dataclasses import dataclass

TRAINER = "trainer"
TRAINEE = "trainee"
BOTH = (TRAINER, TRAINEE)


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under pages/
    title: str  # French title shown in the menu
    icon: str  # Material icon, e.g. ":material/home:"
    section: str  # "Accueil", "Veille", "Formation", "Formateur", "Compte"
    roles: tuple[str, ...] = BOTH
    url_path: str | None = None


PAGES: list[PageSpec] = [
    PageSpec("pages/home.py", "Accueil", ":material/home:", "Accueil", url_path="accueil"),
    PageSpec(
        "pages/cohorts.py",
        "Sessions de formation",
        ":material/groups:",
        "Formateur",
        (TRAINER,),
        url_path="sessions",
    ),
    PageSpec("pages/wall.py", "Mur de veille", ":material/dashboard:", "Veille", url_path="mur"),
    PageSpec("pages/sources.py", "Sources", ":material/rss_feed:", "Veille", url_path="sources"),
    PageSpec("pages/boards.py", "Mes tableaux", ":material/push_pin:", "Veille", url_path="tableaux"),
    PageSpec(
        "pages/board_review.py",
        "Tableaux de la session",
        ":material/rate_review:",
        "Formateur",
        (TRAINER,),
        url_path="tableaux-session",
    ),
    PageSpec("pages/translate.py", "Traduction", ":material/translate:", "Veille", url_path="traduction"),
    PageSpec(
        "pages/digest.py", "Revue de veille", ":material/mail:", "Formateur", (TRAINER,), url_path="revue"
    ),
    PageSpec(
        "pages/digest.py", "Ma revue de veille", ":material/mail:", "Veille", (TRAINEE,), url_path="revue"
    ),
    PageSpec("pages/account.py", "Mon compte", ":material/person:", "Compte", url_path="compte"),
]

SECTIONS = ["Accueil", "Veille", "Formation", "Formateur", "Compte"]


def pages_for(role: str) -> dict[str, list[PageSpec]]:
    """The menu of a role: section → pages, in the order of SECTIONS."""
    menu: dict[str, list[PageSpec]] = {}
    for section in SECTIONS:
        specs = [p for p in PAGES if p.section == section and role in p.roles]
        if specs:
            menu[section] = specs
    return menu


def allowed(path: str, role: str) -> bool:
    return any(p.path == path and role in p.roles for p in PAGES)
