"""Streamlit pieces for exercises: one workspace per kind, the result card, the answer as submitted.

Workspaces only collect the answer from widgets; grading, saving and access rules are the
library's (``training_modules.exercises``).
"""

from __future__ import annotations

import copy
import re
import time
from datetime import date
from datetime import time as dtime
from typing import Any

import streamlit as st

from curation.networks import count, get_network
from curation.page_preview import shorten
from training_modules.exercises.answers import answer_rows
from training_modules.exercises.graders import grade
from training_modules.exercises.graders.calendar import planned_topic
from training_modules.exercises.graders.crisis import step_map, walk
from training_modules.exercises.graders.live_tweet import counts, event_at, mmss
from training_modules.exercises.graders.quiz import scoring_rule
from training_modules.exercises.kpi import (
    METRIC_LABELS,
    dataset_for,
    metric_formula,
    readable_dataset,
    spreadsheet_csv,
)
from training_modules.exercises.loader import version_of
from training_modules.exercises.result import GradeResult
from training_modules.exercises.schema import ACTION_LABELS, DAYS, KIND_LABELS
from training_modules.exercises.submissions import SubmissionView, answer_field, is_empty, save_draft, submit
from training_modules.exercises.wall import english_items
from ui.forms import number_field
from ui.session import attempt, read, rerun, show_error
from ui.tables import people_table
from ui.text import fr_int, plain, readable, verbatim
from workbench.access import Actor
from workbench.errors import UserError
from workbench.localtime import fr_date
from workbench.numbers import fr_number, quantity
from workbench.wording import de


def fr_percent(x: float | None) -> str:
    return "—" if x is None else f"{fr_number(x)}\u202f%"


# --- result -------------------------------------------------------------------------------


def render_result(result: GradeResult, *, title: str = "Vérifications automatiques") -> None:
    st.subheader(title)  # markdown: the caller's own heading
    cols = st.columns(2)
    cols[0].metric("Score automatique", f"{fr_number(result.score)}\u202f%")
    cols[1].metric("Règles respectées", f"{result.passed_count} / {len(result.checks)}")
    (st.success if result.passed else st.warning)(result.summary)
    for c in result.checks:
        icon = ":material/check_circle:" if c.passed else ":material/cancel:"
        color = "green" if c.passed else "red"
        st.markdown(f":{color}[{icon}] **{plain(c.label)}** — {readable(c.detail)}")
    extra = result.extra
    if extra.get("debrief"):
        with st.expander("Débrief\u00a0: ce qu’aurait fait une CM expérimentée", expanded=True):
            st.markdown(plain(extra["debrief"]))
            st.caption(
                f"Votre parcours\u00a0: {extra['path_points']} points sur {extra['best_points']} possibles."
            )
    if extra.get("model_answer"):
        with st.expander("Voir une proposition de réponse"):
            st.markdown(plain(extra["model_answer"]))
    if extra.get("outline"):
        with st.expander("Plan détecté et aperçu dans les résultats de recherche"):
            for level, text in extra["outline"]:
                indent = "\u2003" * (level - 1)
                st.markdown(f"{indent}H{level} · {plain(text)}")
            render_serp(extra["serp"]["title"], extra["serp"]["meta"])
    if extra.get("partial_credit_rule"):
        st.caption(extra["partial_credit_rule"])


def render_review(sub: SubmissionView, rubric: list[Any]) -> None:
    """The trainer's released feedback, as the trainee reads it."""
    review = sub.review
    if review is None:
        return
    with st.container(border=True):
        st.markdown("**Retour de votre formateur ou formatrice**")
        if review.score is not None:
            st.metric("Note de la grille", fr_percent(review.score))
        for criterion, points in zip(rubric, review.rubric_points, strict=False):
            level = next((lv.description for lv in criterion.levels if lv.points == points), "")
            st.markdown(
                f"- {plain(criterion.label)}\u00a0: {points} / {criterion.max_points} · {plain(level)}"
            )
        st.info(plain(review.comment))


def render_serp(title: str, meta: str) -> None:
    with st.container(border=True):
        st.caption("Aperçu dans un moteur de recherche (approximatif)")
        shown_title = shorten(title, 59)  # cut on a word, as search engines do
        shown_meta = shorten(meta, 157)
        st.markdown(f":blue[**{plain(shown_title) or 'Titre de la page'}**]")
        st.markdown(plain(shown_meta) or "_Méta-description_")


def render_answer(exercise: Any, answer: dict[str, Any], *, user_id: int | None = None) -> None:
    """A handed-in answer, whole, for every kind: read by a trainer, or by the trainee in their history.

    ``user_id``: the trainee's, to set their personal dataset's expected values beside a KPI answer.
    Web addresses (the article chosen, links in a text) are shown as written (``readable``).
    """
    for row in answer_rows(exercise, answer, user_id=user_id):
        if row.long:
            st.markdown(f"**{plain(row.label)}**")
            with st.container(border=True):
                st.markdown(readable(row.value))
        else:
            st.markdown(f"**{plain(row.label)}**  \n{readable(row.value)}")
        if row.note:
            st.caption(plain(row.note))


# --- network counter ----------------------------------------------------------------------


def counter(text: str, network: str, *, target: int | None = None) -> None:
    """The live count under a text area, by the network's own rule, and what it detected."""
    c = count(text, network)
    limit = min(c.limit, target) if target else c.limit
    unit = "pondérés selon la règle de X" if c.network.unit == "weighted" else "caractères"
    st.progress(min(1.0, c.length / limit) if limit else 0.0)
    line = (
        f"{fr_int(c.length)} / {fr_int(limit)} {unit} · {quantity(len(c.hashtags), 'hashtag')} · "
        f"{quantity(len(c.mentions), 'mention')} · {quantity(len(c.urls), 'lien')}"
    )
    (st.error if c.length > limit else st.caption)(line)
    for problem in c.problems():
        st.error(problem)
    st.caption(
        f"Règle {de(plain(c.network.name))}, vérifiée le {fr_date(c.network.checked_on)}\u00a0: {plain(c.network.source)}."
    )


def post_preview(text: str, network: str, author: str) -> None:
    """A preview card: the text as it would read, hashtags and mentions highlighted."""
    with st.container(border=True):
        st.caption(f"Aperçu {plain(get_network(network).name)}")
        st.markdown(f"**{plain(author)}**")
        escaped = plain(text)
        escaped = re.sub(r"(\\#[\w\u00C0-\u017F]+)", r":blue[\1]", escaped)
        escaped = re.sub(r"(@[\w\\.]+)", r":blue[\1]", escaped)
        st.markdown(escaped or "_Votre texte apparaîtra ici._")


# --- workspaces: each returns the answer built from its widgets -----------------------------


def _key(exercise: Any, name: str) -> str:
    return f"ex:{exercise.id}:{name}"


Slots = dict[str, Any]


def _beside(slots: Slots, field: str) -> None:
    """A place under ``field``'s input for the message refusing it (``UserError.field``)."""
    slots[field] = st.empty()


def quiz_workspace(ex: Any, draft: dict[str, Any], slots: Slots) -> dict[str, Any]:
    st.caption(scoring_rule(ex))
    answer: dict[str, list[str]] = {}
    for i, q in enumerate(ex.questions, 1):
        texts = {o.id: o.text for o in q.options}
        previous = draft.get(q.id, [])
        if q.type in ("short", "numerical"):
            st.markdown(f"{i}\\. {plain(q.prompt)}")  # the dot escaped: not a numbered list
            label = f"Réponse à la question {i}"
            if q.type == "short":
                typed = st.text_input(
                    label, value=previous[0] if previous else "", key=_key(ex, q.id)
                )  # markdown: our own label
            else:  # kept as typed: the grader reads it the French way and refuses what is not a number,
                # where the field already says so (once, not again under the button)
                number = number_field(label, previous[0] if previous else None, key=_key(ex, q.id))
                typed, slots[q.id] = number.text, number.beside
            answer[q.id] = [typed] if typed.strip() else []
        elif q.type == "single":
            choice = st.radio(
                f"{i}. {plain(q.prompt)}",
                list(texts),
                format_func=lambda o, texts=texts: plain(texts[o]),  # radio options are Markdown
                index=list(texts).index(previous[0]) if previous else None,
                key=_key(ex, q.id),
            )
            answer[q.id] = [choice] if choice else []
        else:  # every option in sight, a box to tick each (as the scoring rule says)
            st.markdown(f"{i}\\. {plain(q.prompt)} (plusieurs réponses possibles)")
            answer[q.id] = [
                o
                for o, text in texts.items()
                if st.checkbox(plain(text), value=o in previous, key=_key(ex, f"{q.id}:{o}"))
            ]
    return answer


def moderation_workspace(ex: Any, draft: dict[str, Any]) -> dict[str, Any]:
    with st.expander("Charte de modération", expanded=True):
        st.markdown(plain(ex.charter))
    with st.container(border=True):
        st.caption(f"Publication de la marque sur {plain(get_network(ex.network).name)}")
        st.markdown(plain(ex.post))
    actions = list(ACTION_LABELS)
    answer: dict[str, Any] = {}
    for c in ex.comments:
        with st.container(border=True):
            st.markdown(f"**{plain(c.author)}**\u00a0: {plain(c.text)}")
            if c.context:
                st.caption(plain(c.context))
            prev = draft.get(c.id, {})
            cols = st.columns([1, 2])
            action = cols[0].selectbox(
                "Action",
                actions,
                index=actions.index(prev["action"]) if prev.get("action") in actions else None,
                format_func=ACTION_LABELS.get,
                key=_key(ex, f"{c.id}:action"),
                placeholder="Choisir…",
            )
            reason = cols[1].text_input(
                "Pourquoi (facultatif)", value=prev.get("reason", ""), key=_key(ex, f"{c.id}:reason")
            )
            if action:
                answer[c.id] = {"action": action, "reason": reason}
    return answer


def reply_workspace(ex: Any, draft: dict[str, Any], slots: Slots) -> dict[str, Any]:
    with st.container(border=True):
        where = "Message privé reçu" if ex.private else "Commentaire publié"
        st.caption(f"{where} sur {plain(get_network(ex.network).name)}")
        st.markdown(f"**{plain(ex.author)}**\u00a0: {plain(ex.comment)}")
    if ex.context:
        st.info(plain(ex.context))
    text = st.text_area(
        "Votre réponse en message privé" if ex.private else "Votre réponse publique",
        value=draft.get("text", ""),
        height=200,
        key=_key(ex, "text"),
    )
    _beside(slots, "text")
    counter(text, ex.network, target=ex.rules.max_length)
    return {"text": text}


def post_workspace(ex: Any, draft: dict[str, Any], slots: Slots) -> dict[str, Any]:
    text = st.text_area(
        f"Votre publication {plain(get_network(ex.network).name)}",
        value=draft.get("text", ""),
        height=200,
        key=_key(ex, "text"),
    )
    _beside(slots, "text")
    counter(text, ex.network, target=ex.rules.max_length)
    post_preview(text, ex.network, "Votre marque")
    return {"text": text}


def kpi_workspace(ex: Any, draft: dict[str, Any], actor: Actor, slots: Slots) -> dict[str, Any]:
    data = dataset_for(ex, actor.id)
    st.caption("Votre jeu de données est personnel\u00a0: il diffère de celui des autres stagiaires.")
    cols = st.columns(2)
    cols[0].download_button(
        "Télécharger les publications (CSV)",
        spreadsheet_csv(data.posts),
        file_name=f"{ex.id}-publications.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    cols[1].download_button(
        "Télécharger les messages (CSV)",
        spreadsheet_csv(data.messages),
        file_name=f"{ex.id}-messages.csv",
        mime="text/csv",
        icon=":material/download:",
    )
    with st.expander("Voir les données"):
        st.dataframe(people_table(readable_dataset(data.posts)), hide_index=True)
        st.dataframe(people_table(readable_dataset(data.messages)), hide_index=True)
    competitors = ", ".join(f"{plain(k)}\u00a0: {fr_int(v)}" for k, v in data.competitor_mentions.items())
    st.markdown(
        f"- Abonnés au début de la période\u00a0: **{fr_int(data.followers_start)}**\n"
        f"- Abonnés en fin de période\u00a0: **{fr_int(data.followers_end)}**\n"
        f"- Mentions de la marque\u00a0: **{fr_int(data.brand_mentions)}**\u202f; concurrents\u00a0: {competitors}"
    )
    answer: dict[str, Any] = {}
    for metric in ex.metrics:
        typed = number_field(
            METRIC_LABELS[metric],
            draft.get(metric),
            key=_key(ex, metric),
            digits=2,
            help=metric_formula(metric, ex),
        )
        # The number read; a value that cannot be read stays as typed, for the grader to refuse
        # in the place that already says so beside the field (once, not again under « Rendre »).
        answer[metric] = typed.text if typed.error else typed.value
        slots[metric] = typed.beside
        st.caption(f"Formule\u00a0: {metric_formula(metric, ex)}")
    return answer


def calendar_workspace(ex: Any, draft: dict[str, Any], slots: Slots) -> dict[str, Any]:
    key = _key(ex, "plan")
    if key not in st.session_state:
        st.session_state[key] = list(draft.get("posts", []))
    plan: list[dict[str, Any]] = st.session_state[key]
    types = {t.id: t.label for t in ex.content_types}
    nets = {n: get_network(n).name for n in ex.networks}
    topic_key = _key(ex, "topic")
    if st.session_state.pop(_key(ex, "added"), False):
        # The subject field empties for the next post (popping its key would not reach the browser).
        st.session_state[topic_key] = ""
    with st.form(_key(ex, "add")):
        st.markdown("**Ajouter une publication**")
        c = st.columns(4)
        day = c[0].selectbox("Jour", DAYS, key=_key(ex, "day"), placeholder="Choisir un jour")
        at = c[1].time_input("Heure", value=dtime(12, 0), step=900, key=_key(ex, "time"))
        network = c[2].selectbox(
            "Réseau",
            list(nets),
            format_func=nets.get,
            key=_key(ex, "network"),
            placeholder="Choisir un réseau",
        )
        kind = c[3].selectbox(
            "Type de contenu",
            list(types),
            format_func=types.get,
            key=_key(ex, "type"),
            placeholder="Choisir un type de contenu",
        )
        typed = st.text_input("Sujet", key=topic_key)
        beside = {"topic": st.empty()}
        if st.form_submit_button("Ajouter au calendrier", icon=":material/add:"):
            try:
                topic = planned_topic(typed)
            except UserError as exc:  # refused beside « Sujet », everything typed kept
                show_error(exc, beside)
            else:
                plan.append(
                    {
                        "day": day,
                        "time": at.strftime("%H:%M"),
                        "network": network,
                        "type": kind,
                        "topic": topic,
                    }
                )
                st.session_state[_key(ex, "added")] = True
                st.rerun()
    if not plan:
        st.info("Votre semaine est vide\u00a0: ajoutez des publications.")
    ordered = sorted(enumerate(plan), key=lambda it: (DAYS.index(it[1]["day"]), it[1]["time"]))
    for i, p in ordered:
        cols = st.columns([5, 1])
        cols[0].markdown(
            f"**{p['day']} {p['time']}** · {nets.get(p['network'], p['network'])} · "
            f"{plain(types.get(p['type'], p['type']))} — {plain(p.get('topic', ''))}"
        )
        if cols[1].button("Retirer", key=_key(ex, f"del:{i}"), icon=":material/delete:"):
            plan.pop(i)
            st.rerun()
    _beside(slots, "posts")
    return {"posts": plan}


def _length(n: int, low: int, high: int) -> None:
    """A count of characters and its range, in red once over (as under a post)."""
    (st.error if n > high else st.caption)(f"{fr_int(n)} caractères (entre {low} et {high})")


def seo_workspace(ex: Any, draft: dict[str, Any], slots: Slots) -> dict[str, Any]:
    st.markdown(f"Mot-clé principal\u00a0: **{plain(ex.keyword)}**")
    title = st.text_input("Balise title", value=draft.get("title", ""), key=_key(ex, "title"))
    _beside(slots, "title")
    _length(len(title), ex.rules.title_min, ex.rules.title_max)
    meta = st.text_area(
        "Méta-description", value=draft.get("meta_description", ""), height=90, key=_key(ex, "meta")
    )
    _length(len(meta), ex.rules.meta_min, ex.rules.meta_max)
    body = st.text_area(
        "Corps de la page (Markdown\u00a0: # titre, ## intertitre\u202f; ou HTML)",
        value=draft.get("body", ""),
        height=320,
        key=_key(ex, "body"),
    )
    render_serp(title, meta)
    return {"title": title, "meta_description": meta, "body": body}


def _published(written: str) -> str:
    """The article's date as the exercise file gives it: ``2026-10-21`` shown 21/10/2026, any
    other wording as plain text."""
    try:
        return fr_date(date.fromisoformat(written.strip()))
    except ValueError:
        return plain(written)


def watch_workspace(ex: Any, draft: dict[str, Any], actor: Actor, slots: Slots) -> dict[str, Any]:
    items = (read(english_items, actor, default=[]) or []) if ex.allow_wall else []
    source = "given"
    urls = [i.url for i in items]
    drafted = (draft.get("item") or {}).get("url")
    if items:
        source = st.radio(
            "Article à résumer",
            ["given", "wall"],
            index=1 if drafted else 0,
            format_func={"given": "L’article fourni", "wall": "Un article anglais de mon mur de veille"}.get,
            horizontal=True,
            key=_key(ex, "source"),
        )
    item: dict[str, str] | None = None
    if source == "wall":
        chosen = st.selectbox(
            "Article de mon mur",
            items,
            index=urls.index(drafted) if drafted in urls else 0,
            format_func=lambda i: f"{i.title} — {i.source}",
            key=_key(ex, "item"),
            placeholder="Choisir un article",
        )
        item = {"title": chosen.title, "url": chosen.url, "source": chosen.source}
        st.markdown(f"Lien à citer\u00a0: {verbatim(chosen.url)}")
    else:
        art = ex.article
        with st.container(border=True):
            st.markdown(f"**{plain(art.title)}**")
            st.caption(
                f"{plain(art.source)} · {plain(art.author)} · {_published(art.published)} · {verbatim(art.url)}"
            )
            st.markdown(plain(art.text))
    text = st.text_area(
        "Votre post en français", value=draft.get("text", ""), height=220, key=_key(ex, "text")
    )
    _beside(slots, "text")
    if ex.rules.network:
        counter(text, ex.rules.network, target=ex.rules.max_length)
    answer: dict[str, Any] = {"text": text}
    if item:
        answer["item"] = item
    return answer


# --- interactive kinds: crisis (solo) and live-tweet drill -------------------------------------
# Each step is kept as a draft (not in preview): a reload or a lost connection resumes it.


def _hand_in(
    ex: Any, actor: Actor, answer: dict[str, Any], slots: Slots, *, preview: bool, success: str
) -> bool:
    """Grade (preview) or submit ``answer``; the outcome is kept for the page's reruns."""
    outcome: GradeResult | SubmissionView | None = None
    if preview:
        try:
            outcome = grade(ex, answer, user_id=actor.id)
        except UserError as exc:
            show_error(exc, slots)
    else:
        outcome = attempt(submit, actor, ex.id, answer, version=version_of(ex), success=success, beside=slots)
    if outcome is not None:
        st.session_state[_key(ex, "result")] = outcome
    return outcome is not None


def _keep(ex: Any, actor: Actor, progress: dict[str, Any], *, preview: bool) -> bool:
    """Save an interactive exercise's progress as its draft; a trainer's preview keeps nothing."""
    return preview or attempt(save_draft, actor, ex.id, progress, version=version_of(ex)) is not None


def crisis_taken(taken: list[tuple[Any, str]]) -> None:
    """The crisis steps already decided, each with the decision and its consequence (the
    trainer's text, shown as plain text)."""
    for step, choice_id in taken:
        choice = next(c for c in step.choices if c.id == choice_id)
        with st.container(border=True):
            st.caption(f"{plain(step.at)} · {plain(step.channel)}")
            st.markdown(plain(step.event))
            st.markdown(f"Votre décision\u00a0: **{plain(choice.text)}**")
            st.caption(plain(choice.consequence))


def crisis_choice(step: Any, *, key: str) -> str | None:
    """The step to decide and its options; the option chosen (``None`` until one is)."""
    st.markdown(f"**{plain(step.at)} · {plain(step.channel)}**")
    st.markdown(plain(step.event))
    texts = {c.id: c.text for c in step.choices}
    return st.radio(
        "Que faites-vous\u202f?",
        list(texts),
        format_func=lambda o: plain(texts[o]),  # radio options are Markdown
        index=None,
        key=key,
    )


def crisis_solo(ex: Any, actor: Actor, draft: dict[str, Any], slots: Slots, *, preview: bool) -> None:
    """Play the scenario step by step; the last decision hands it in (or grades it in preview)."""
    key = _key(ex, "path")
    path: list[str] = st.session_state.setdefault(key, list(draft.get("choices", [])))
    try:
        taken, current = walk(ex, path)
    except UserError:
        st.session_state[key] = path = []
        taken, current = [], step_map(ex)[ex.start]
    crisis_taken(taken)
    if current is None:
        # Finished: the path stays as decided; playing again is a new attempt, asked for.
        if st.button("Rejouer le scénario", icon=":material/replay:", key=_key(ex, "replay")):
            st.session_state[key] = []
            for name in ("result", *(step.id for step in ex.steps)):
                st.session_state.pop(_key(ex, name), None)
            st.rerun()
        return
    with st.container(border=True):
        choice = crisis_choice(current, key=_key(ex, current.id))
        _beside(slots, "choices")
        if st.button(
            "Décider", type="primary", disabled=choice is None, key=_key(ex, f"decide:{current.id}")
        ):
            path.append(choice)
            finished = walk(ex, path)[1] is None
            if finished:
                done = _hand_in(ex, actor, {"choices": path}, slots, preview=preview, success="")
            else:
                done = _keep(ex, actor, {"choices": path}, preview=preview)
            if not done:
                path.pop()  # the message says why; the same step is decided again
                return
            rerun("Scénario terminé et rendu." if finished and not preview else None)


def live_tweet_drill(ex: Any, actor: Actor, draft: dict[str, Any], slots: Slots, *, preview: bool) -> None:
    start_key, posts_key = _key(ex, "started"), _key(ex, "posts")
    started = st.session_state.setdefault(start_key, draft.get("started_at"))
    st.markdown(f"Événement\u00a0: **{plain(ex.event_name)}** · hashtag officiel **\\#{plain(ex.hashtag)}**")
    if ex.speakers:
        st.caption(
            "Intervenants\u00a0: "
            + "\u202f; ".join(f"{plain(n)} (@{plain(h)})" for n, h in ex.speakers.items())
        )
    if started is None:
        st.info(
            f"Le déroulé dure {ex.duration_seconds // 60} min. Les annonces apparaissent au fil de l’eau."
        )
        if st.button("Démarrer le live", type="primary", icon=":material/play_arrow:", key=_key(ex, "start")):
            now = time.time()
            if _keep(ex, actor, {"posts": [], "started_at": now}, preview=preview):
                st.session_state[start_key] = now
                st.session_state[posts_key] = []
                st.rerun()
        return
    posts: list[dict[str, Any]] = st.session_state.setdefault(posts_key, list(draft.get("posts", [])))

    @st.fragment(run_every=5)
    def script() -> None:
        elapsed = min(time.time() - started, ex.duration_seconds)
        st.metric("Temps écoulé", mmss(elapsed))
        if elapsed >= ex.duration_seconds:
            st.info("Le direct est terminé\u00a0: cliquez sur «\u00a0Terminer et rendre\u00a0».")
        for line in reversed(event_at(ex, elapsed)):
            st.markdown(f"- {plain(line)}")

    script()
    with st.form(_key(ex, "compose"), clear_on_submit=True):
        text = st.text_area("Votre message", height=100, key=_key(ex, "draft"))
        if st.form_submit_button("Publier", icon=":material/send:"):
            at = round(time.time() - started, 1)
            if not text.strip():
                st.warning("Message vide\u00a0: rien n’a été publié.")
            elif not counts(ex, at):
                st.warning(
                    "Le direct est terminé\u00a0: ce message ne compterait pas, il n’a pas été publié. "
                    "Cliquez sur «\u00a0Terminer et rendre\u00a0»."
                )
            else:
                posts.append({"at": at, "text": text})
                if not _keep(ex, actor, {"posts": posts, "started_at": started}, preview=preview):
                    posts.pop()
    for p in reversed(posts):
        c = count(p["text"], ex.network)
        flag = "" if c.ok else "\u00a0:red[(trop long)]"
        st.markdown(f"`{mmss(p['at'])}` {plain(p['text'])}{flag}")
    _beside(slots, "posts")
    if st.button("Terminer et rendre", type="primary", key=_key(ex, "finish")) and _hand_in(
        ex, actor, {"posts": list(posts)}, slots, preview=preview, success=""
    ):
        st.session_state.pop(start_key, None)
        st.session_state.pop(posts_key, None)
        rerun(None if preview else "Live-tweet rendu.")


def brief_markdown(ex: Any) -> str:
    """The brief as Markdown: a bundled file's is written as such; a trainer's typed in the app is
    shown as plain text (whatever it holds, it never becomes links or pictures)."""
    return ex.brief if version_of(ex) is None else plain(ex.brief)


def exercise_header(ex: Any) -> None:
    st.header(plain(ex.title))
    st.caption(f"{KIND_LABELS[ex.kind]} · environ {ex.duration_minutes} min")
    st.markdown(brief_markdown(ex))


def keep_draft(ex: Any, actor: Actor, draft: dict[str, Any] | None, answer: dict[str, Any]) -> None:
    """Save the answer as the trainee types: each change becomes the draft a reload comes back to."""
    key = _key(ex, "saved")
    saved = st.session_state.get(key, draft)
    if answer == saved or (saved is None and is_empty(ex.kind, answer)):
        return
    if attempt(save_draft, actor, ex.id, answer, version=version_of(ex)) is not None:
        st.session_state[key] = copy.deepcopy(answer)


def workspace(
    ex: Any, actor: Actor, draft: dict[str, Any] | None, *, preview: bool = False
) -> SubmissionView | None:
    """The whole exercise screen: brief, inputs, saved as typed, submit, and the instant result.

    ``draft``: the trainee's work in progress (None: none yet); a trainer's preview keeps nothing.
    Returns the copy just handed in and shown (None: none), for the address to name it."""
    exercise_header(ex)
    slots: Slots = {}  # where a refused hand-in's message goes, by field
    result_key = _key(ex, "result")
    if ex.kind == "crisis":
        crisis_solo(ex, actor, draft or {}, slots, preview=preview)
    elif ex.kind == "live_tweet":
        live_tweet_drill(ex, actor, draft or {}, slots, preview=preview)
    else:
        given = draft or {}
        builders = {
            "quiz": lambda: quiz_workspace(ex, given, slots),
            "moderation": lambda: moderation_workspace(ex, given),
            "reply": lambda: reply_workspace(ex, given, slots),
            "post": lambda: post_workspace(ex, given, slots),
            "kpi": lambda: kpi_workspace(ex, given, actor, slots),
            "calendar": lambda: calendar_workspace(ex, given, slots),
            "seo": lambda: seo_workspace(ex, given, slots),
            "watch_summary": lambda: watch_workspace(ex, given, actor, slots),
        }
        answer = builders[ex.kind]()
        if answer_field(ex.kind) not in slots:
            _beside(slots, answer_field(ex.kind))
        if preview:
            if st.button("Vérifier (aperçu formateur)", type="primary", key=_key(ex, "check")):
                _hand_in(ex, actor, answer, slots, preview=True, success="")
        else:
            keep_draft(ex, actor, draft, answer)
            st.caption(
                "Votre travail est enregistré au fil de la saisie\u00a0: rechargez la page sans crainte."
            )
            if st.button("Rendre", type="primary", icon=":material/send:", key=_key(ex, "submit")):
                _hand_in(ex, actor, answer, slots, preview=False, success="Exercice rendu.")
    outcome = st.session_state.get(result_key)
    handed_in = outcome if isinstance(outcome, SubmissionView) else None
    if handed_in is not None:
        if handed_in.status == "needs_review":
            st.info(
                "Votre copie est transmise à votre formateur\u00a0: son retour s’affichera dans «\u00a0Mes exercices\u00a0»."
            )
        outcome = handed_in.result
    if outcome is not None:
        render_result(outcome)
    return handed_in
