"""The Revue de veille page under AppTest: trainer and trainee views, create, preview, send, history."""

from __future__ import annotations

import re

import pytest

from curation.digest.lists import ListSettings, create_list
from tests.apptest import run_page
from tests.digest_data import NOW, cohort_world
from tests.ports import free_port
from tests.smtpserver import smtp_server
from workbench.db import session_scope
from workbench.settings import get_settings

PAGE = "screens/digest.py"


def test_trainer_creates_a_list(db_url, people):
    at = run_page(PAGE, people.trainer)
    assert not at.exception
    assert any("Créez d’abord une liste" in i.value for i in at.info)
    at.text_input[0].input("Promo du matin")
    at.selectbox[1].select(people.cohort_id)
    at.text_area[1].input("engagement, TikTok")
    at.button(key="FormSubmitter:digest-settings-Enregistrer la liste").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox[0].format_func(at.selectbox[0].value) == "Promo du matin"


def test_list_numbers_are_typed_the_french_way(db_url, people):
    """Issue 18: a number that cannot be read is refused beside its field, never changed."""
    at = run_page(PAGE, people.trainer)
    at.text_input[0].input("Promo du matin")
    at.selectbox[1].select(people.cohort_id)
    max_items = next(t for t in at.text_input if t.label == "Nombre d’articles au plus")
    max_items.input("1.2.3")
    at.button(key="FormSubmitter:digest-settings-Enregistrer la liste").click().run()
    assert not at.exception
    errors = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # Markdown escapes removed
    assert any("«\u00a01.2.3\u00a0» n’est pas un nombre lisible" in e for e in errors), errors
    with session_scope() as s:
        from curation.digest.lists import my_lists

        assert not my_lists(s, people.trainer)
    next(t for t in at.text_input if t.label == "Nombre d’articles au plus").input("12")
    at.button(key="FormSubmitter:digest-settings-Enregistrer la liste").click().run()
    assert not at.error, [e.value for e in at.error]
    with session_scope() as s:
        assert my_lists(s, people.trainer)[0].settings.max_items == 12


def test_trainer_previews_composes_and_sends_then_reads_history(db_url, people, monkeypatch, tmp_path):
    cohort_world(people, db_url, translate=False)
    monkeypatch.setattr("curation.digest.compose.utcnow", lambda: NOW)  # the entries are NOW's news
    with smtp_server(tmp_path) as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        at = run_page(PAGE, people.trainer)
        at.selectbox(key="digest-window").select("48")
        at.button(key="digest-preview").click().run()
        assert not at.exception and not at.error
        assert any("articles examinés" in c.value or "article examiné" in c.value for c in at.caption)
        assert at.subheader[0].value.startswith("Revue de veille du ")
        at.text_area(key="digest-intro").input("Bonjour à toutes et à tous !")
        at.button(key="drop-0").click().run()  # compose: one item left out
        draft = at.session_state["digest_draft"]
        assert draft.intro == "Bonjour à toutes et à tous !"
        kept = [i.title for i in draft.items]
        at.button(key="digest-send").click().run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        assert any("Revue envoyée et archivée" in s.value for s in at.success)
        assert len(server.received) == 2
        html = server.received[0].message.get_body(("html",)).get_content()
        assert "Bonjour à toutes et à tous" in html
        assert all(title in html for title in kept)
        # Sending again the same day is refused with an explanation.
        at.button(key="digest-preview").click().run()
        at.button(key="digest-send").click().run()
        assert any("déjà été envoyée" in e.value for e in at.error)
        assert len(server.received) == 2
    assert at.selectbox(key="digest-history").options
    assert any(re.search(r"\d\u00a0articles? ·", c.value) for c in at.caption)


def _trainer_sends_a_digest(people, db_url, monkeypatch, tmp_path) -> None:
    """The cohort's list, previewed and sent once by its trainer through the page."""
    cohort_world(people, db_url, translate=False)
    with smtp_server(tmp_path) as server:
        for key, value in server.env().items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        at = run_page(PAGE, people.trainer)
        at.button(key="digest-preview").click().run()
        at.button(key="digest-send").click().run()


def test_trainee_sees_cohort_digests_and_can_keep_a_client_list(db_url, people, monkeypatch, tmp_path):
    _trainer_sends_a_digest(people, db_url, monkeypatch, tmp_path)
    with session_scope() as s:
        create_list(s, people.alice, ListSettings(name="Client Alice", addresses=["client@example.org"]))
    at = run_page(PAGE, people.alice)
    assert not at.exception
    names = list(at.selectbox[0].options)
    assert names == ["Client Alice", "➕ Nouvelle liste…"]  # never the trainer's list
    assert at.selectbox(key="digest-history").options  # the cohort's digest, readable
    assert [d.key for d in at.dataframe] == ["digest-weights"]  # no table of who received it


def test_page_needs_a_login():
    at = run_page(PAGE)
    assert not at.exception
    assert at.warning[0].value.startswith("Connectez-vous")


def test_fresh_install_guides_a_trainer_to_a_first_list(db_url, people):
    at = run_page(PAGE, people.trainer)
    assert not at.exception
    assert any("Créez d’abord une liste de diffusion" in i.value for i in at.info)
    assert any("aucune source" in w.value for w in at.warning)  # nothing followed yet
    assert any("Aucune revue envoyée" in i.value for i in at.info)  # the history tab says what comes
    at.button(key=f"digest-first-{people.cohort_id}").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.selectbox[0].format_func(at.selectbox[0].value) == "Promo CM 2026"
    assert at.radio(key="digest-mode").value == "new"  # the list is ready: preview is one click away
    at.button(key="digest-preview").click().run()
    assert any("aucune source" in w.value for w in at.warning)


def test_fresh_install_trainee_view(db_url, people):
    at = run_page(PAGE, people.alice)
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "Les revues que votre formateur envoie à votre session sont dans l’onglet « Historique »" in infos
    assert "créez d’abord une liste de diffusion dans l’onglet « Réglages »" in infos
    assert "celles que votre formateur envoie à votre session" in infos
    assert not [b for b in at.button if b.key and b.key.startswith("digest-first-")]  # no cohort list


def test_compose_from_a_board_and_publish_an_atom_feed(db_url, people, monkeypatch, tmp_path):
    from curation import boards, pins
    from curation.pins import PinData

    monkeypatch.setenv("ATELIER_DIGEST_FEEDS_DIR", str(tmp_path / "feeds"))
    get_settings.cache_clear()
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        board = boards.create_board(s, people.trainer, "Sélection du lundi")
        for title in ("Premier", "Second"):
            pins.add_pin(s, people.trainer, PinData(title=title, url=f"https://x.example/{title}", note=f"Note {title}"),
                         board_id=board.id)  # fmt: skip
    at = run_page(PAGE, people.trainer)
    assert at.selectbox[0].value == list_id
    at.radio(key="digest-mode").set_value("board").run()
    at.selectbox(key="digest-board").select(board.id).run()
    at.button(key="digest-board-preview").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    draft = at.session_state["digest_draft"]
    assert [i.title for i in draft.items] == ["Second", "Premier"]  # newest pin first, as on the board
    assert any("Composée à partir du tableau « Sélection du lundi »" in c.value for c in at.caption)
    at.button(key="down-0").click().run()
    assert [i.title for i in at.session_state["digest_draft"].items] == ["Premier", "Second"]

    assert [b for b in at.button if b.key == "digest-feed-on"]
    at.button(key="digest-feed-on").click().run()
    assert not at.exception and not at.error
    url = at.code[-1].value
    assert url.startswith("http://localhost:8501/app/static/digest/") and url.endswith(".xml")
    assert (tmp_path / "feeds" / url.rsplit("/", 1)[1]).is_file()
    at.button(key="digest-feed-off").click().run()
    assert not (tmp_path / "feeds" / url.rsplit("/", 1)[1]).exists()
    assert [b for b in at.button if b.key == "digest-feed-on"]


def test_settings_offer_readable_boards_only(db_url, people):
    from curation import boards

    cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        mine = boards.create_board(s, people.trainer, "Mon tableau")
        boards.create_board(s, people.other_trainer, "Tableau privé d’un autre")
        shared = boards.create_board(s, people.alice, "Veille d’Alice", visibility="cohort")
    at = run_page(PAGE, people.trainer)
    boards_select = next(m for m in at.multiselect if m.label.startswith("Tableaux"))
    assert set(boards_select.options) == {"Mon tableau", "Veille d’Alice (Alice)"}
    boards_select.select(mine.id).select(shared.id)
    at.button(key="FormSubmitter:digest-settings-Enregistrer la liste").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with session_scope() as s:
        from curation.digest.lists import my_lists

        assert my_lists(s, people.trainer)[0].settings.board_ids == sorted([mine.id, shared.id])


def _frames(at) -> list[str]:
    """The ``srcdoc`` of every frame on the page."""
    return [el.proto.srcdoc for el in at.get("iframe")] + [el.proto.srcdoc for el in at.get("unknown")]


def test_digest_previews_are_framed_without_script(db_url, people, monkeypatch, tmp_path):
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[tuple[str, dict[str, str | None]]] = []

        def handle_starttag(self, tag, attrs) -> None:
            self.tags.append((tag, dict(attrs)))

    _trainer_sends_a_digest(people, db_url, monkeypatch, tmp_path)
    at = run_page(PAGE, people.trainer)
    at.button(key="digest-preview").click().run()
    frames = [doc for doc in _frames(at) if doc]
    assert len(frames) == 2  # the draft's preview and the history's
    for doc in frames:
        parser = Tags()
        parser.feed(doc)
        names = [tag for tag, _ in parser.tags]
        assert "script" not in names
        inner = [attrs for tag, attrs in parser.tags if tag == "iframe"]
        assert len(inner) == 1 and "sandbox" in inner[0]
        assert "allow-scripts" not in (inner[0]["sandbox"] or "")
        assert "Revue de veille" in (inner[0]["srcdoc"] or "")  # the digest itself is inside, inert
        assert set(names) <= {"style", "iframe"}  # nothing of the digest outside the inert frame


def _after(at, label: str) -> str:
    """The message shown right under the input labelled ``label`` (its slot, in the settings form)."""
    shown = list(at.get("form")[0])
    index = next(i for i, w in enumerate(shown) if getattr(w, "label", None) == label)
    return re.sub(r"\\(.)", r"\1", str(getattr(shown[index + 1], "value", ""))).replace("\u2060", "")


def test_list_name_and_addresses_are_refused_beside_their_field_naming_the_address(db_url, people):
    """The name's and an address's refusals were shown under « Enregistrer la liste », and « Adresse
    e-mail invalide » did not say which of the lines was wrong."""
    from curation.digest.lists import my_lists

    at = run_page(PAGE, people.alice)
    at.text_input[0].input("   ")
    addresses = "Autres destinataires (une adresse par ligne)"
    next(t for t in at.text_area if t.label == addresses).input("client@exemple.fr")
    at.button(key="FormSubmitter:digest-settings-Enregistrer la liste").click().run()
    assert not at.exception
    assert _after(at, "Nom de la liste").startswith("Donnez un nom à la liste")
    at.text_input[0].input("Client «\u00a0Boulangerie\u00a0» été")
    next(t for t in at.text_area if t.label == addresses).input(
        "client@exemple.fr\n<script>alert(1)</script>"
    )
    at.button(key="FormSubmitter:digest-settings-Enregistrer la liste").click().run()
    assert _after(at, addresses) == (
        "Adresse e-mail invalide\u00a0: «\u00a0<script>alert(1)</script>\u00a0». "
        "Écrivez-la sous la forme nom@domaine.fr, une par ligne."
    )
    typed = next(t for t in at.text_area if t.label == addresses).value
    assert typed == "client@exemple.fr\n<script>alert(1)</script>"  # kept as typed
    with session_scope() as s:
        assert not my_lists(s, people.alice)


def _send_with(people, db_url, monkeypatch, env: dict[str, str]):
    cohort_world(people, db_url, translate=False)
    monkeypatch.setattr("curation.digest.compose.utcnow", lambda: NOW)
    for key in ("ATELIER_SMTP_HOST", "ATELIER_SMTP_SENDER"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    at = run_page(PAGE, people.trainer)
    at.selectbox(key="digest-window").select("48")
    at.button(key="digest-preview").click().run()
    at.button(key="digest-send").click().run()
    assert not at.exception
    return at


def _dead_smtp() -> dict[str, str]:
    """An SMTP server set up on a port where nothing listens."""
    return {
        "ATELIER_SMTP_HOST": "127.0.0.1",
        "ATELIER_SMTP_PORT": str(free_port()),
        "ATELIER_SMTP_SECURITY": "none",
        "ATELIER_SMTP_SENDER": "Atelier CM <veille@example.org>",
        "ATELIER_SMTP_TIMEOUT_S": "2",
    }


def test_sending_without_an_smtp_server_says_where_to_set_it(db_url, people, monkeypatch):
    """A person in the app was told to set ATELIER_SMTP_HOST… « ou la section [smtp] des secrets »,
    after « non envoyée : » with a capital: server words, not what to do in the app (« Réglages »)."""
    at = _send_with(people, db_url, monkeypatch, {})
    errors = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]
    assert errors == [
        "Revue archivée, mais non envoyée\u00a0: aucun serveur d’envoi d’e-mails n’est réglé. Réglez le "
        "serveur SMTP et l’adresse d’expéditeur sur la page «\u00a0Réglages\u00a0» (menu Formateur)\u00a0: "
        "les e-mails de cette revue partiront au prochain envoi de la liste."
    ]
    assert not at.success and not at.warning


def test_a_dead_smtp_server_is_not_announced_as_sent(db_url, people, monkeypatch):
    """Nothing listening on the SMTP port: the page said « Revue envoyée et archivée : 0 envoi réussi… »."""
    at = _send_with(
        people,
        db_url,
        monkeypatch,
        _dead_smtp(),
    )
    assert not at.success and not at.warning
    (error,) = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]
    assert error.startswith(
        "Revue archivée, mais non envoyée\u00a0: 0\u00a0envoi réussi, 2\u00a0en échec, retentés au prochain passage."
    )
    assert "127.0.0.1:" in error  # the server it could not reach


def test_an_intro_over_4000_characters_is_refused_beside_it_not_cut(db_url, people):
    """The list's usual introduction was cut to its first 4,000 characters without a word."""
    from curation.digest.lists import my_lists

    at = run_page(PAGE, people.alice)
    at.text_input[0].input("Client Boulangerie")
    next(t for t in at.text_area if t.label.startswith("Autres destinataires")).input("client@exemple.fr")
    intro = ("Bonjour, voici la veille de la semaine. " * 250)[:9_999] + "!"  # 10,000 characters
    label = "Introduction habituelle (modifiable à chaque envoi)"
    next(t for t in at.text_area if t.label == label).input(intro)
    at.button(key="FormSubmitter:digest-settings-Enregistrer la liste").click().run()
    assert not at.exception
    assert _after(at, label) == (
        "L’introduction est trop longue (10\u202f000 caractères, 4\u202f000 au plus)\u00a0: raccourcissez-la."
    )
    assert next(t for t in at.text_area if t.label == label).value == intro  # kept as typed
    with session_scope() as s:
        assert not my_lists(s, people.alice)


def test_the_history_counts_deliveries_in_french(db_url, people, monkeypatch):
    """A digest whose two e-mails failed read « envois : 2 failed » in « Historique »."""
    at = _send_with(
        people,
        db_url,
        monkeypatch,
        _dead_smtp(),
    )
    at = run_page(PAGE, people.trainer)
    (line,) = [c.value for c in at.caption if "archivée le" in c.value]
    assert line.endswith(", 2\u00a0envois en échec"), line


@pytest.mark.parametrize(
    ("dead", "tail"), [(False, "2\u00a0envois en attente"), (True, "2\u00a0envois en échec")]
)
def test_the_history_does_not_call_a_digest_sent_when_no_email_left(db_url, people, monkeypatch, dead, tail):
    """A digest whose e-mails all waited (no SMTP server) or failed read « envoyée le … » in
    « Historique »: it says « archivée le … » and what became of the e-mails."""
    _send_with(people, db_url, monkeypatch, _dead_smtp() if dead else {})  # no SMTP: the e-mails wait
    at = run_page(PAGE, people.trainer)
    (line,) = [c.value for c in at.caption if " · archivée le " in c.value]
    assert line.endswith(f", {tail}"), line
    assert "envoyée" not in line


def test_a_dead_smtp_server_points_a_trainer_to_the_reglages_page(db_url, people, monkeypatch):
    """The page said « vérifiez ATELIER_SMTP_HOST et ATELIER_SMTP_PORT »: the server's variables,
    not where a person in the app sets them."""
    at = _send_with(people, db_url, monkeypatch, _dead_smtp())
    (error,) = [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]
    assert "vérifiez «\u00a0Serveur\u00a0» et «\u00a0Port\u00a0» de la page «\u00a0Réglages\u00a0»" in error
    assert "ATELIER_SMTP" not in error
