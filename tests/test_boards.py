"""Boards and pins on both backends: access rules, sharing, pins from the wall, edit, move, copy,
reorder, delete with undo, tags, filters, trainer comments and review."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from curation import boards, pins
from curation.board_models import COHORT, LINK, PRIVATE
from curation.models import Entry, Feed, Subscription
from curation.pins import PinData, PinFilter
from workbench import localtime
from workbench.db import session_scope
from workbench.errors import AccessDenied, NotFound, UserError


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


def _board(actor, title="Veille réseaux", **kw):
    return run(boards.create_board, actor, title, **kw)


def _pin(actor, board_id, title="Un article", **kw):
    data = PinData(title=title, url=kw.pop("url", f"https://exemple.fr/{title.replace(' ', '-')}"), **kw)
    return run(pins.add_pin, actor, data, board_id=board_id)


@pytest.fixture
def entry_id(people) -> int:
    """An entry of a feed Alice follows."""
    with session_scope() as s:
        feed = Feed(url="https://blog.exemple.fr/feed", title="Le Blog du CM")
        s.add(feed)
        s.flush()
        s.add(Subscription(feed_id=feed.id, user_id=people.alice.id))
        entry = Entry(
            feed_id=feed.id,
            guid="g1",
            link="https://blog.exemple.fr/article?utm_source=rss",
            title="Dix idées de posts",
            summary="<p>Un <b>résumé</b> de l’article.</p><script>alert(1)</script>",
            author="Léa",
            image_url="https://blog.exemple.fr/image.jpg",
            published_at=datetime(2026, 11, 2, tzinfo=UTC),
        )
        s.add(entry)
        s.flush()
        return entry.id


def test_pin_from_wall_entry_goes_to_default_board(people, entry_id) -> None:
    pin = run(pins.pin_entry, people.alice, entry_id)
    assert pin.title == "Dix idées de posts"
    assert pin.url == "https://blog.exemple.fr/article"  # canonical: tracking parameters dropped
    assert pin.description == "Un résumé de l’article."
    assert pin.image_url == "https://blog.exemple.fr/image.jpg"
    assert pin.credit == "Source\u00a0: Le Blog du CM (Léa)"
    assert pin.entry_id == entry_id
    mine = run(boards.list_my_boards, people.alice)
    assert [(b.title, b.is_default, b.pin_count) for b in mine] == [("Mes épingles", True, 1)]
    # A second one-click pin reuses the same default board, and the pin already there.
    assert run(pins.pin_entry, people.alice, entry_id).id == pin.id
    assert [b.pin_count for b in run(boards.list_my_boards, people.alice)] == [1]


def test_pin_from_wall_entry_into_a_chosen_board_and_section(people, entry_id) -> None:
    board = _board(people.alice)
    section = run(boards.add_section, people.alice, board.id, "Idées de posts")
    pin = run(pins.pin_entry, people.alice, entry_id, board_id=board.id, section_id=section.id)
    assert (pin.board_id, pin.section_id) == (board.id, section.id)
    other = _board(people.alice, "Autre")
    with pytest.raises(NotFound):  # a section of another board
        run(pins.pin_entry, people.alice, entry_id, board_id=other.id, section_id=section.id)


def test_entry_of_a_feed_one_does_not_follow_is_refused(people, entry_id) -> None:
    with pytest.raises(AccessDenied):
        run(pins.pin_entry, people.zoe, entry_id)


def test_private_board_of_another_trainee_is_refused(people) -> None:
    board = _board(people.alice)
    pin = _pin(people.alice, board.id)
    for intruder in (people.bob, people.zoe, people.trainer, people.other_trainer):
        with pytest.raises(AccessDenied):
            run(boards.get_board, intruder, board.id)
        with pytest.raises(AccessDenied):
            run(pins.board_pins, intruder, board.id)
        with pytest.raises(AccessDenied):
            run(pins.get_pin, intruder, pin.id)
        with pytest.raises(AccessDenied):
            run(pins.update_pin, intruder, pin.id, PinData(title="piraté"))
        with pytest.raises(AccessDenied):
            run(pins.delete_pin, intruder, pin.id)
    with pytest.raises(AccessDenied):
        run(pins.add_pin, people.bob, PinData(title="intrus"), board_id=board.id)
    assert run(pins.get_pin, people.alice, pin.id).title == "Un article"


def test_cohort_board_is_read_by_the_cohort_and_its_trainer_only(people) -> None:
    board = _board(people.alice, visibility=COHORT)
    assert board.cohort_id == people.cohort_id
    pin = _pin(people.alice, board.id)
    for reader in (people.bob, people.trainer):
        assert [p.id for p in run(pins.board_pins, reader, board.id)] == [pin.id]
        assert [b.id for b in run(boards.list_shared_boards, reader)] == [board.id]
    for outsider in (people.zoe, people.other_trainer):
        with pytest.raises(AccessDenied):
            run(pins.board_pins, outsider, board.id)
        assert run(boards.list_shared_boards, outsider) == []
    # Readers do not write.
    with pytest.raises(AccessDenied):
        run(pins.update_pin, people.bob, pin.id, PinData(title="modifié"))
    with pytest.raises(AccessDenied):
        run(boards.update_board, people.trainer, board.id, title="modifié")
    # Only the cohort's trainer reviews and comments; a trainee cannot.
    with pytest.raises(AccessDenied):
        run(boards.mark_reviewed, people.bob, board.id)
    with pytest.raises(AccessDenied):
        run(pins.add_comment, people.other_trainer, pin.id, "Bien")
    comment = run(pins.add_comment, people.trainer, pin.id, "Bonne source, précisez la cible.")
    reviewed = run(boards.mark_reviewed, people.trainer, board.id)
    assert reviewed.reviewed_at is not None and reviewed.reviewer_name == "Claire Formatrice"
    # The trainee sees the comment on her pin.
    mine = run(pins.get_pin, people.alice, pin.id)
    assert [(c.author_name, c.body) for c in mine.comments] == [("Claire Formatrice", comment.body)]
    # Back to private: the trainer loses access.
    run(boards.set_visibility, people.alice, board.id, PRIVATE)
    with pytest.raises(AccessDenied):
        run(pins.board_pins, people.trainer, board.id)


def test_private_board_cannot_be_reviewed(people) -> None:
    board = _board(people.alice)
    pin = _pin(people.alice, board.id)
    with pytest.raises(AccessDenied):
        run(boards.mark_reviewed, people.trainer, board.id)
    with pytest.raises(AccessDenied):
        run(pins.add_comment, people.trainer, pin.id, "Bien")


def test_trainer_reference_board_is_shared_with_the_whole_cohort(people) -> None:
    board = _board(people.trainer, "Références", visibility=COHORT, cohort_id=people.cohort_id)
    assert board.is_reference
    pin = _pin(people.trainer, board.id, "Le guide")
    assert [b.id for b in run(boards.list_shared_boards, people.alice)] == [board.id]
    assert run(boards.list_shared_boards, people.zoe) == []
    # A trainee copies a reference pin onto her own board.
    mine = _board(people.alice, "Mes idées")
    copy = run(pins.copy_pin, people.alice, pin.id, mine.id)
    assert (copy.board_id, copy.title) == (mine.id, "Le guide")
    with pytest.raises(AccessDenied):  # a trainer shares only with a cohort they run
        _board(people.trainer, "Ailleurs", visibility=COHORT, cohort_id=people.other_cohort_id)


def test_secret_link_gives_read_only_access(people) -> None:
    board = _board(people.alice, visibility=LINK)
    pin = _pin(people.alice, board.id)
    token = board.share_token
    assert token and len(token) >= 24
    assert run(boards.shared_board, token).title == "Veille réseaux"
    assert run(boards.shared_board, token).share_token is None  # never shown to link readers
    assert [p.id for p in run(pins.shared_board_pins, token)] == [pin.id]
    # The link reads only: a logged-in stranger still cannot write, nor read it through the app.
    with pytest.raises(AccessDenied):
        run(boards.get_board, people.zoe, board.id)
    with pytest.raises(AccessDenied):
        run(pins.delete_pin, people.zoe, pin.id)
    # A renewed link revokes the old one; going private revokes all.
    renewed = run(boards.renew_share_link, people.alice, board.id)
    with pytest.raises(NotFound):
        run(boards.shared_board, token)
    run(boards.set_visibility, people.alice, board.id, PRIVATE)
    with pytest.raises(NotFound):
        run(pins.shared_board_pins, renewed.share_token)
    with pytest.raises(NotFound):
        run(boards.shared_board, "x")


def test_share_url_carries_the_token() -> None:
    assert (
        boards.share_url("https://atelier.example/", "abc-_123") == "https://atelier.example/?board=abc-_123"
    )


def test_someone_without_cohort_cannot_share_with_a_cohort(people) -> None:
    from workbench.access import Actor
    from workbench.accounts import create_user
    from workbench.models import TRAINER

    with session_scope() as s:
        lone = Actor.of(
            create_user(
                s, email="seul@example.fr", display_name="Seul", password="motdepasse-s1", role=TRAINER
            )
        )
    with pytest.raises(UserError, match="aucune session"):
        _board(lone, "Sans session", visibility=COHORT)


def test_board_edit_validation_and_delete(people) -> None:
    board = _board(people.alice, "  Idées   visuels ")
    assert board.title == "Idées visuels"
    with pytest.raises(UserError, match="titre"):
        run(boards.update_board, people.alice, board.id, title="   ")
    with pytest.raises(UserError, match="http"):
        run(boards.update_board, people.alice, board.id, cover_image_url="javascript:alert(1)")
    updated = run(
        boards.update_board,
        people.alice,
        board.id,
        description="Pour les stories",
        cover_image_url="https://img.example/c.png",
    )
    assert (updated.description, updated.cover_image_url) == ("Pour les stories", "https://img.example/c.png")
    _pin(people.alice, board.id)
    run(boards.delete_board, people.alice, board.id)
    with pytest.raises(NotFound):
        run(boards.get_board, people.alice, board.id)


def test_sections_rename_and_delete_keep_pins(people) -> None:
    board = _board(people.alice)
    section = run(boards.add_section, people.alice, board.id, "Tutos")
    pin = run(pins.add_pin, people.alice, PinData(title="A"), board_id=board.id, section_id=section.id)
    run(boards.rename_section, people.alice, board.id, section.id, "Tutoriels")
    assert run(boards.get_board, people.alice, board.id).sections[0].title == "Tutoriels"
    run(boards.delete_section, people.alice, board.id, section.id)
    assert run(pins.get_pin, people.alice, pin.id).section_id is None


def test_new_pins_first_and_reorder(people) -> None:
    board = _board(people.alice)
    a, b, c = (_pin(people.alice, board.id, t).id for t in ("A", "B", "C"))
    order = [p.id for p in run(pins.board_pins, people.alice, board.id)]
    assert order == [c, b, a]
    assert run(pins.reorder_pin, people.alice, a, 0) == [a, c, b]
    assert run(pins.reorder_pin, people.alice, c, 99) == [a, b, c]
    assert [p.id for p in run(pins.board_pins, people.alice, board.id)] == [a, b, c]


def test_delete_with_undo(people) -> None:
    board = _board(people.alice)
    pin = _pin(people.alice, board.id, tags=["tuto"])
    run(pins.delete_pin, people.alice, pin.id)
    assert run(pins.board_pins, people.alice, board.id) == []
    assert run(boards.get_board, people.alice, board.id).pin_count == 0
    assert run(pins.suggest_tags, people.alice) == []
    with pytest.raises(AccessDenied):
        run(pins.restore_pin, people.bob, pin.id)
    restored = run(pins.restore_pin, people.alice, pin.id)
    assert restored.tags == ("tuto",)
    assert [p.id for p in run(pins.board_pins, people.alice, board.id)] == [pin.id]
    with pytest.raises(NotFound):  # restoring twice: nothing to restore
        run(pins.restore_pin, people.alice, pin.id)


def test_purge_forgets_old_deletions_only(people) -> None:
    board = _board(people.alice)
    old, recent = _pin(people.alice, board.id, "Old"), _pin(people.alice, board.id, "Recent")
    run(pins.delete_pin, people.alice, old.id)
    run(pins.delete_pin, people.alice, recent.id)
    assert run(pins.purge_deleted_pins, people.alice) == 0  # recent: still restorable
    assert run(pins.purge_deleted_pins, people.alice, timedelta(days=-1)) == 2
    with pytest.raises(NotFound):
        run(pins.restore_pin, people.alice, old.id)


def test_edit_move_and_copy(people) -> None:
    first, second = _board(people.alice, "Un"), _board(people.alice, "Deux")
    section = run(boards.add_section, people.alice, second.id, "Chiffres")
    pin = _pin(people.alice, first.id)
    edited = run(
        pins.update_pin,
        people.alice,
        pin.id,
        PinData(
            title="Titre revu",
            url="https://exemple.fr/a",
            note="Utile pour nos abonnés TPE",
            tags=["#Chiffres", "tpe", "chiffres"],
            reliability=4,
            angle="chiffre",
            credit="Source : Exemple",
        ),
    )
    assert edited.tags == ("chiffres", "tpe") and edited.angle_label == "Chiffre clé"
    with pytest.raises(UserError, match="fiabilité"):
        run(pins.update_pin, people.alice, pin.id, PinData(title="x", reliability=9))
    with pytest.raises(UserError, match="Angle"):
        run(pins.update_pin, people.alice, pin.id, PinData(title="x", angle="nope"))
    with pytest.raises(UserError, match="http"):
        run(pins.update_pin, people.alice, pin.id, PinData(title="x", url="javascript:alert(1)"))
    moved = run(pins.move_pin, people.alice, pin.id, second.id, section.id)
    assert (moved.board_id, moved.section_id) == (second.id, section.id)
    copy = run(pins.copy_pin, people.alice, pin.id, first.id)
    assert copy.id != pin.id and copy.board_id == first.id and copy.note == "Utile pour nos abonnés TPE"
    assert copy.tags == ("chiffres", "tpe")
    with pytest.raises(AccessDenied):  # onto someone else's board
        run(pins.move_pin, people.alice, pin.id, _board(people.bob).id)


def test_tags_are_suggested_from_the_ones_used(people) -> None:
    board = _board(people.alice)
    _pin(people.alice, board.id, "A", tags=["tuto", "instagram"])
    _pin(people.alice, board.id, "B", tags=["instagram", "tiktok"])
    _pin(people.bob, _board(people.bob).id, "C", tags=["secret-de-bob"])
    assert run(pins.suggest_tags, people.alice) == ["instagram", "tiktok", "tuto"]
    assert run(pins.suggest_tags, people.alice, "t") == ["tiktok", "tuto"]


def test_search_and_filters(people) -> None:
    one, two = _board(people.alice, "Un"), _board(people.alice, "Deux")
    a = _pin(
        people.alice, one.id, "Stratégie éditoriale", note="Pour l’équipe", tags=["strategie"], angle="tuto"
    )
    b = _pin(people.alice, two.id, "Chiffres TikTok 2026", angle="chiffre", tags=["tiktok"])
    _pin(people.bob, _board(people.bob).id, "Stratégie de Bob")

    def ids(**kw):
        return [p.id for p in run(pins.search_pins, people.alice, PinFilter(**kw))]

    assert sorted(ids()) == sorted([a.id, b.id])
    assert ids(text="strategie") == [a.id]  # accents and case ignored
    assert ids(text="EQUIPE") == [a.id]  # the note is searched
    assert ids(text="tiktok chiffres") == [b.id]  # every word must match
    assert ids(tag="#TikTok") == [b.id]
    assert ids(board_id=one.id) == [a.id]
    assert ids(angle="chiffre") == [b.id]
    today = localtime.today()  # the Paris day the filter reads, not the machine's UTC date
    assert sorted(ids(date_from=today, date_to=today)) == sorted([a.id, b.id])
    assert ids(date_to=today - timedelta(days=1)) == []
    assert ids(date_from=date(2099, 1, 1)) == []
    with pytest.raises(AccessDenied):
        ids(board_id=_board(people.bob, "B2").id)


def test_a_pin_needs_a_title_or_a_link(people) -> None:
    board = _board(people.alice)
    with pytest.raises(UserError, match="titre ou d’un lien"):
        run(pins.add_pin, people.alice, PinData(), board_id=board.id)
    pin = run(pins.add_pin, people.alice, PinData(url="https://www.exemple.fr/x"), board_id=board.id)
    assert pin.title == "exemple.fr"


def test_too_many_tags_are_refused() -> None:
    with pytest.raises(UserError, match="étiquettes"):
        pins.clean_tags([f"t{i}" for i in range(20)])
    assert pins.clean_tags("#Un, deux ,, UN") == ["un", "deux"]


def test_default_board_can_be_changed(people) -> None:
    run(pins.add_pin, people.alice, PinData(title="A"))  # creates « Mes épingles »
    other = _board(people.alice, "Favoris")
    run(boards.set_default_board, people.alice, other.id)
    pin = run(pins.add_pin, people.alice, PinData(title="B"))
    assert pin.board_id == other.id
    assert [b.is_default for b in run(boards.list_my_boards, people.alice)] == [True, False]


def test_board_covers_fall_back_to_the_first_pin_image(people) -> None:
    chosen = _board(people.alice, "Avec couverture", cover_image_url="https://img.exemple.fr/cover.png")
    plain = _board(people.alice, "Sans couverture")
    empty = _board(people.alice, "Vide")
    _pin(people.alice, plain.id, "Sans image")
    _pin(people.alice, plain.id, "Avec image", image_url="https://img.exemple.fr/pin.png")
    mine = run(boards.list_my_boards, people.alice)
    covers = run(boards.board_covers, people.alice, mine)
    assert covers == {
        chosen.id: "https://img.exemple.fr/cover.png",
        plain.id: "https://img.exemple.fr/pin.png",
    }
    assert empty.id not in covers


def test_post_drafts_are_saved_on_the_pin(people) -> None:
    from curation import pin_posts
    from curation.networks import count

    board = _board(people.alice, visibility=COHORT)
    pin = _pin(
        people.alice, board.id, "Les chiffres TikTok", note="Pour nos abonnés", credit="Source : Exemple"
    )
    text = pin_posts.starter_text(pin, "https://exemple.fr/a?utm_source=x")
    assert (
        text
        == "Les chiffres TikTok\n\nPour nos abonnés\n\nhttps://exemple.fr/a?utm_source=x\n\nSource : Exemple"
    )
    long_text = "Trop long " * 40
    draft = run(pin_posts.save_draft, people.alice, pin.id, "x", long_text, "https://exemple.fr/a")
    assert count(draft.text, draft.network).over_limit  # kept as a draft, flagged by the counter
    edited = run(pin_posts.save_draft, people.alice, pin.id, "bluesky", "Court", draft_id=draft.id)
    assert (edited.id, edited.network_name) == (draft.id, "Bluesky")
    assert [d.text for d in run(pin_posts.list_drafts, people.trainer, pin.id)] == [
        "Court"
    ]  # the trainer reads
    assert run(pins.get_pin, people.alice, pin.id).draft_count == 1
    with pytest.raises(AccessDenied):
        run(pin_posts.save_draft, people.bob, pin.id, "x", "Intrus")
    with pytest.raises(AccessDenied):
        run(pin_posts.delete_draft, people.trainer, draft.id)
    with pytest.raises(AccessDenied):
        run(pin_posts.list_drafts, people.zoe, pin.id)
    with pytest.raises(UserError, match="Réseau inconnu"):
        run(pin_posts.save_draft, people.alice, pin.id, "myspace", "Texte")
    with pytest.raises(UserError, match="vide"):
        run(pin_posts.save_draft, people.alice, pin.id, "x", "   ")
    run(pin_posts.delete_draft, people.alice, draft.id)
    assert run(pin_posts.list_drafts, people.alice, pin.id) == []


def test_board_description_has_a_length_limit(people) -> None:
    too_long = "x" * (boards.MAX_DESCRIPTION + 1)
    with (
        pytest.raises(UserError, match=r"Description trop longue .*3\u202f000 au plus") as err,
        session_scope() as s,
    ):
        boards.create_board(s, people.alice, "Veille", too_long)
    assert err.value.field == "description"
    with session_scope() as s:
        board = boards.create_board(s, people.alice, "Veille", "x" * boards.MAX_DESCRIPTION)
    with pytest.raises(UserError, match="Description trop longue"), session_scope() as s:
        boards.update_board(s, people.alice, board.id, description=too_long)
    with session_scope() as s:
        assert boards.get_board(s, people.alice, board.id).description == "x" * boards.MAX_DESCRIPTION


def test_pin_search_reads_guillemets_as_an_exact_phrase(people) -> None:
    """« réseaux des marques » (as the wall's search and its placeholder teach) found no pin: the
    guillemets were looked for as words of the pin's text."""
    board = _board(people.alice, "Veille")
    brands = _pin(people.alice, board.id, "Les réseaux des marques en 2026", note="À suivre")
    other = _pin(people.alice, board.id, "Des marques et des réseaux sociaux")

    def ids(text: str) -> list[int]:
        return [p.id for p in run(pins.search_pins, people.alice, PinFilter(text=text))]

    for phrase in ("« réseaux des marques »", "«\u00a0reseaux des marques\u00a0»", '"réseaux des marques"'):
        assert ids(phrase) == [brands.id], phrase
    assert sorted(ids("réseaux marques")) == sorted([brands.id, other.id])  # words, in any order
    assert ids("“marques et des” sociaux") == [other.id]


def test_pin_date_filter_counts_days_as_people_live_them(people) -> None:
    """Pinned at 00:30 in Paris on 8 December (23:30 UTC the 7th), shown « 08/12/2026 »: the filter
    « épinglées depuis le 08/12 » left it out and « jusqu’au 07/12 » kept it (UTC days)."""
    from curation.board_models import Pin

    board = _board(people.alice, "Nuit")
    late = _pin(people.alice, board.id, "Épinglée après minuit")
    with session_scope() as s:
        s.get(Pin, late.id).created_at = datetime(2026, 12, 7, 23, 30, tzinfo=UTC)

    def ids(**kw):
        return [p.id for p in run(pins.search_pins, people.alice, PinFilter(**kw))]

    assert ids(date_from=date(2026, 12, 8), date_to=date(2026, 12, 8)) == [late.id]
    assert ids(date_to=date(2026, 12, 7)) == []
