"""Règles de veille: write a rule, try it on stored entries, save it, re-apply it."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from curation.boards import list_my_boards
from curation.digest.lists import my_lists
from curation.monitoring.rules import (
    ACTION_LABELS,
    DryRun,
    Example,
    RuleActions,
    RuleView,
    apply_rule,
    create_rule,
    delete_rule,
    dry_run,
    dry_run_rule,
    list_rules,
    rule_matches,
    update_rule,
)
from ui.session import attempt, read, require_actor
from ui.text import link, plain, quoted
from workbench.cohorts import list_cohorts
from workbench.localtime import fr_datetime
from workbench.numbers import quantity

TRIAL = "rules_trial"
SIFTS_NOTHING_FROM, SIFTS_NOTHING_SHARE = 20, 0.9  # a rule keeping 90 % of 20 articles or more sorts nothing
HELP = """
- des **mots**\u00a0: `orange` trouve aussi «\u00a0Orange\u00a0», «\u00a0oranges\u00a0»\u00a0; les accents et les élisions ne comptent pas
  (`reputation` trouve «\u00a0l’e-réputation\u00a0»)\u00a0;
- des **expressions exactes** entre guillemets\u00a0: `"service client"`\u00a0;
- des **opérateurs** en majuscules\u00a0: `ET`, `OU`, `SAUF` (ou `AND`, `OR`, `NOT`), des parenthèses, et `-mot`
  pour exclure\u00a0; deux mots côte à côte veulent dire ET\u00a0;
- des **champs**\u00a0: `titre:`, `contenu:`, `auteur:`, `source:`, `dossier:`, `langue:` (`langue:fr`)\u00a0;
- une **expression régulière** entre barres obliques, si besoin\u00a0: `contenu:/0[67]\\d{8}/`.

Exemple\u00a0: `orange SAUF (jus OU fruit OU couleur)` ou `titre:(panne OU bug) source:"Le Monde"`.
"""

actor = require_actor()
st.title("Règles de veille")
st.caption(
    "Une règle trie vos articles pour vous\u00a0: elle met en évidence, marque comme lu, masque ou vous alerte. "
    "Essayez-la d’abord sur les articles déjà reçus\u00a0: vous voyez combien elle en retient, et lesquels."
)
with st.expander("Comment écrire une règle", icon=":material/help:"):
    st.markdown(HELP)


def show_examples(examples: list[Example]) -> None:
    for example in examples:
        st.markdown(f"- {link(example.title, example.link)} · {plain(example.source)}")


def show_trial(run: DryRun) -> None:
    scanned = quantity(run.scanned, "article examiné", "articles examinés") + (
        " (les plus récents)" if run.limited else ""
    )
    st.markdown(f"**{quantity(run.count, 'article retenu', 'articles retenus')}** sur {scanned}.")
    if run.scanned >= SIFTS_NOTHING_FROM and run.count >= SIFTS_NOTHING_SHARE * run.scanned:
        st.warning(
            "Cette règle retient presque tous vos articles\u00a0: elle ne trie rien. Précisez-la avec des mots "
            "plus rares, une «\u00a0expression exacte\u00a0», un champ (titre:, source:) ou SAUF."
        )
    if run.regex_timeouts:
        st.warning(
            f"L’expression régulière a dépassé le temps permis sur {quantity(run.regex_timeouts, 'article')}\u00a0: "
            "ils ne sont pas retenus. Simplifiez-la."
        )
    show_examples(run.examples)
    if run.count > len(run.examples):
        st.caption(f"… et {quantity(run.count - len(run.examples), 'autre')}.")


# ---- writing a rule ---------------------------------------------------------------------------

owners: dict[int | None, str] = {None: "Moi"}
if actor.is_trainer:
    for cohort in read(list_cohorts, actor, default=[]) or []:
        if cohort.trainer_id == actor.id:
            owners[cohort.id] = f"Session {quoted(cohort.name)}"

boards: dict[int | None, str] = {None: "Mon tableau par défaut"}
for board in read(list_my_boards, actor, default=[]) or []:
    if not board.is_default:
        boards[board.id] = board.title

digest_lists = {d.id: d.name for d in read(my_lists, actor, default=[]) or []}

st.subheader("Nouvelle règle")
with st.form("rule-new"):
    name = st.text_input("Nom de la règle", placeholder="Orange, pas le fruit")
    query = st.text_area("Règle", placeholder="orange SAUF (jus OU fruit OU couleur)", height=90)
    columns = st.columns(len(ACTION_LABELS))
    chosen = {
        key: col.checkbox(label, key=f"new-{key}")  # markdown: ACTION_LABELS
        for col, (key, label) in zip(columns, ACTION_LABELS.items(), strict=True)
    }
    board_col, tags_col = st.columns(2)
    pin_board = board_col.selectbox(
        "Épingler sur",
        list(boards),
        format_func=boards.__getitem__,
        help="Pour une règle de session\u00a0: le tableau par défaut de chaque stagiaire.",
        placeholder="Choisir un tableau",
    )
    pin_tags = tags_col.text_input("Étiquettes de l’épingle", placeholder="crise, concurrent")
    digest_list = st.selectbox(
        "Ajouter à la prochaine revue de",
        list(digest_lists),
        format_func=digest_lists.__getitem__,
        index=None,
        placeholder="Choisissez une liste de diffusion"
        if digest_lists
        else "Aucune liste (page Revue de veille)",
        help="Les articles retenus ouvrent la prochaine revue de cette liste, dans «\u00a0Sélectionné par une règle\u00a0».",
    )
    owner = (
        st.selectbox("Pour", list(owners), format_func=owners.__getitem__, placeholder="Choisir pour qui")
        if len(owners) > 1
        else None
    )
    try_it, save = st.columns(2)
    tried = try_it.form_submit_button("Essayer", icon=":material/science:")
    saved = save.form_submit_button("Enregistrer", type="primary", icon=":material/save:")

if tried:
    run = attempt(dry_run, actor, query, cohort_id=owner)
    if run is not None:
        st.session_state[TRIAL] = (query, run)
if saved:
    rule = attempt(
        create_rule,
        actor,
        name=name,
        query=query,
        actions=RuleActions(
            **chosen,
            pin_board_id=pin_board,
            pin_tags=tuple(pin_tags.split(",")),
            digest_list_id=digest_list,
        ),
        cohort_id=owner,
        success="Règle enregistrée.",
    )
    if rule is not None:
        st.session_state.pop(TRIAL, None)
        applied = attempt(apply_rule, actor, rule.id)
        if applied is not None:
            st.success(
                f"Règle {quoted(plain(rule.name))} enregistrée et appliquée aux articles déjà reçus\u00a0: "
                f"{quantity(applied.matched, 'article retenu', 'articles retenus')}. Elle s’appliquera aussi aux nouveaux articles."
            )
trial = st.session_state.get(TRIAL)
if trial:
    st.markdown(f"Essai de `{trial[0].replace('`', '')}`\u00a0:")
    show_trial(trial[1])

# ---- the rules --------------------------------------------------------------------------------

st.subheader("Mes règles")
rules: list[RuleView] = read(list_rules, actor, default=[]) or []
if not rules:
    st.caption("Aucune règle pour l’instant.")
for rule in rules:
    status = "active" if rule.enabled else "en pause"
    header = f"{rule.name} · {rule.owner} · {status} · {quantity(rule.match_count, 'article retenu', 'articles retenus')}"
    with st.expander(plain(header)):
        st.code(rule.query, language=None, wrap_lines=True)
        st.caption("Actions\u00a0: " + ", ".join(rule.actions.labels()))
        latest = read(rule_matches, actor, rule.id, limit=5, default=[]) or []
        if latest:
            st.markdown("Derniers articles retenus\u00a0:")
            show_examples(latest)
        if rule.last_applied_at:
            st.caption(f"Appliquée pour la dernière fois le {fr_datetime(rule.last_applied_at, at=True)}.")
        c1, c2, c3, c4 = st.columns(4)
        if c1.button("Essayer", key=f"try-{rule.id}"):
            run = attempt(dry_run_rule, actor, rule.id)
            if run is not None:
                show_trial(run)
        if not rule.can_edit:
            st.caption("Règle de votre session\u00a0: seul votre formateur peut la modifier.")
            continue
        if c2.button("Ré-appliquer", key=f"apply-{rule.id}"):
            applied = attempt(apply_rule, actor, rule.id)
            if applied is not None:
                st.success(
                    f"{quantity(applied.matched, 'article retenu', 'articles retenus')}, "
                    f"{quantity(applied.new_matches, 'nouvelle action', 'nouvelles actions')}."
                )
        if (
            c3.button("Mettre en pause" if rule.enabled else "Réactiver", key=f"toggle-{rule.id}")
            and attempt(update_rule, actor, rule.id, enabled=not rule.enabled) is not None
        ):
            st.rerun()
        if c4.button("Supprimer", key=f"delete-{rule.id}"):
            attempt(delete_rule, actor, rule.id, success="Règle supprimée.", then_rerun=True)
        with st.form(f"rule-edit-{rule.id}"):
            new_query = st.text_area("Modifier la règle", value=rule.query, height=80)
            cols = st.columns(len(ACTION_LABELS))
            edited = {
                key: col.checkbox(
                    label, value=getattr(rule.actions, key), key=f"edit-{rule.id}-{key}"
                )  # markdown: ACTION_LABELS
                for col, (key, label) in zip(cols, ACTION_LABELS.items(), strict=True)
            }
            if st.form_submit_button("Enregistrer les modifications"):
                attempt(
                    update_rule,
                    actor,
                    rule.id,
                    query=new_query,
                    actions=replace(rule.actions, **edited),
                    success="Règle modifiée.",
                    then_rerun=True,
                )
