"""Every page of the app, by section and role. ``app.py`` builds ``st.navigation`` from this list."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

TRAINER = "trainer"
TRAINEE = "trainee"
BOTH = (TRAINER, TRAINEE)


@dataclass(frozen=True)
class PageSpec:
    path: str  # file under screens/
    title: str  # French title shown in the menu
    icon: str  # Material icon, e.g. ":material/home:"
    section: str  # "Accueil", "Veille", "Formation", "Formateur", "Compte"
    roles: tuple[str, ...] = BOTH
    url_path: str | None = None


PAGES: list[PageSpec] = [
    PageSpec("screens/home.py", "Accueil", ":material/home:", "Accueil", url_path="accueil"),
    PageSpec(
        "screens/cohorts.py",
        "Sessions de formation",
        ":material/groups:",
        "Formateur",
        (TRAINER,),
        url_path="sessions",
    ),
    PageSpec("screens/wall.py", "Mur de veille", ":material/dashboard:", "Veille", url_path="mur"),
    PageSpec("screens/sources.py", "Sources", ":material/rss_feed:", "Veille", url_path="sources"),
    PageSpec("screens/boards.py", "Mes tableaux", ":material/push_pin:", "Veille", url_path="tableaux"),
    PageSpec(
        "screens/board_review.py",
        "Tableaux de la session",
        ":material/rate_review:",
        "Formateur",
        (TRAINER,),
        url_path="tableaux-session",
    ),
    PageSpec("screens/translate.py", "Traduction", ":material/translate:", "Veille", url_path="traduction"),
    PageSpec(
        "screens/digest.py", "Revue de veille", ":material/mail:", "Formateur", (TRAINER,), url_path="revue"
    ),
    PageSpec(
        "screens/digest.py", "Ma revue de veille", ":material/mail:", "Veille", (TRAINEE,), url_path="revue"
    ),
    PageSpec(
        "screens/assessment_take.py",
        "Auto-évaluation",
        ":material/checklist:",
        "Formation",
        (TRAINEE,),
        "auto-evaluation",
    ),
    PageSpec(
        "screens/assessment_results.py",
        "Mes résultats",
        ":material/radar:",
        "Formation",
        (TRAINEE,),
        "mes-resultats",
    ),
    PageSpec(
        "screens/assessment_progress.py",
        "Ma progression",
        ":material/trending_up:",
        "Formation",
        (TRAINEE,),
        "ma-progression",
    ),
    PageSpec(
        "screens/assessment_cohort.py",
        "Carte des compétences",
        ":material/grid_on:",
        "Formateur",
        (TRAINER,),
        "carte-competences",
    ),
    PageSpec(
        "screens/my_exercises.py",
        "Mes exercices",
        ":material/assignment:",
        "Formation",
        (TRAINEE,),
        url_path="exercices",
    ),
    PageSpec(
        "screens/exercise_assign.py",
        "Exercices",
        ":material/library_books:",
        "Formateur",
        (TRAINER,),
        url_path="exercices-formateur",
    ),
    PageSpec(
        "screens/library.py",
        "Bibliothèque",
        ":material/local_library:",
        "Formateur",
        (TRAINER,),
        url_path="bibliotheque",
    ),
    PageSpec(
        "screens/exercise_reviews.py",
        "Corrections",
        ":material/rate_review:",
        "Formateur",
        (TRAINER,),
        url_path="corrections",
    ),
    PageSpec(
        "screens/crisis_live.py",
        "Crise en direct",
        ":material/campaign:",
        "Formateur",
        (TRAINER,),
        url_path="crise-en-direct",
    ),
    PageSpec(
        "screens/monitoring.py", "E-réputation", ":material/monitoring:", "Veille", url_path="e-reputation"
    ),
    PageSpec("screens/rules.py", "Règles de veille", ":material/rule:", "Veille", url_path="regles"),
    PageSpec(
        "screens/settings.py", "Réglages", ":material/settings:", "Formateur", (TRAINER,), url_path="reglages"
    ),
    PageSpec("screens/account.py", "Mon compte", ":material/person:", "Compte", url_path="compte"),
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


LOGIN_URL_PATH = "connexion"
SHARED_BOARD_URL_PATH = "tableau"
_SLUG = re.compile(r"[A-Za-z0-9_-]{1,80}")


def known_url_paths() -> set[str]:
    """Every address the app ever serves, whatever the role: a deep link to any of them is not « unknown »."""
    return {p.url_path for p in PAGES if p.url_path} | {LOGIN_URL_PATH, SHARED_BOARD_URL_PATH}


def stray_url_paths(url: str | None, served: set[str], base_path: str = "") -> set[str]:
    """Addresses to catch in this run because ``served`` does not hold them.

    Streamlit answers an address missing from ``st.navigation`` with an English « Page not found »
    dialog and gives no hook to change it: registering these addresses as hidden pages that lead
    home avoids it. That is every known address plus, when the browser asks for an unknown plain
    slug (``/nimporte``), that one too (Streamlit accepts one path segment per page), unless it is
    the app's own ``base_path`` (Streamlit's ``server.baseUrlPath``, behind a proxy).
    """
    wanted = known_url_paths()
    if url:
        path = urlsplit(url).path.strip("/")
        last = path.rsplit("/", 1)[-1]
        if path != base_path.strip("/") and _SLUG.fullmatch(last):
            wanted.add(last)
    return wanted - served
