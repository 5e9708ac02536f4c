"""E-réputation: monitoring watches, their mentions over time, share of voice, tone hints and alerts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import plotly.express as px
import streamlit as st

from curation.feeds import list_subscriptions
from curation.monitoring.alerts import list_alerts, mark_seen
from curation.monitoring.display import TONE_COLOURS, counts_by, mention_card_html, mentions_frame, timeline
from curation.monitoring.tone import ESTIMATE_NOTE
from curation.monitoring.watches import (
    KINDS,
    MAX_COMPARED,
    SEARCH_SERVICES,
    WatchInput,
    WatchView,
    add_search_feeds,
    create_watch,
    delete_watch,
    list_watches,
    mention_rows,
    rescan_watch,
    share_of_voice,
    update_watch,
)
from ui.charts import chart, chart_text, french_dates
from ui.forms import form_done, form_key, number_field, show_done
from ui.session import attempt, read, require_actor
from ui.tables import people_table
from ui.text import plain, quoted
from workbench.localtime import day_start, fr_datetime
from workbench.localtime import today as people_today
from workbench.numbers import fr_int, quantity

PERIODS = {"24 h": timedelta(hours=24), "7 jours": timedelta(days=7), "30 jours": timedelta(days=30)}
TOASTED = "monitoring_toasted_alerts"

actor = require_actor()
st.title("E-réputation")
st.caption(
    "Suivez une marque, une personne, un produit ou un sujet dans toutes vos sources\u00a0: mentions, "
    "sources, langues, part de voix face aux concurrents et alertes. Le ton affiché est une "
    f"**{ESTIMATE_NOTE}** (lexique de mots positifs et négatifs), à vérifier en lisant."
)


def counted(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its ``mentions`` also written in words, « 1 mention », for the charts' hover."""
    return table.assign(nombre=[quantity(int(n), "mention") for n in table["mentions"]])


def labelled(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """``table`` with its ``column`` (a source's title, a watch's name) escaped for a chart."""
    return table.assign(**{column: [chart_text(str(v)) for v in table[column]]})


def whole_ticks(table: pd.DataFrame) -> dict:
    """A count axis ticked 0, 1, 2…: plotly would tick a few mentions at « 0,5 »."""
    return {"dtick": 1} if table.empty or table["mentions"].max() <= 5 else {}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(";", "\n").splitlines() if line.strip()]


# ---- alerts --------------------------------------------------------------------------------

alerts = read(list_alerts, actor, limit=30, default=[]) or []
unseen = [a for a in alerts if not a.seen]
toasted: set[int] = st.session_state.setdefault(TOASTED, set())
for alert in unseen:
    if alert.id not in toasted:
        st.toast(f"Alerte\u00a0: {plain(alert.title)}", icon=":material/notifications_active:")
        toasted.add(alert.id)
label = f"Alertes ({len(unseen)} nouvelle{'s' if len(unseen) > 1 else ''})" if unseen else "Alertes"
with st.expander(label, expanded=bool(unseen), icon=":material/notifications:"):  # markdown: a count
    if not alerts:
        st.caption("Aucune alerte pour l’instant. Réglez un seuil dans une veille pour être prévenu.")
    for alert in alerts:
        badge = ":material/notifications_active: " if not alert.seen else ""
        st.markdown(f"{badge}**{plain(alert.title)}** · {fr_datetime(alert.created_at)}")
        st.caption(plain(alert.message))
        if alert.email_status == "sent":
            st.caption("Envoyée aussi par e-mail.")
        elif alert.email_status == "failed":
            st.caption(f"E-mail non envoyé\u00a0: {plain(alert.email_error)}")
    if unseen and st.button("Marquer les alertes comme vues", key="alerts-seen"):
        attempt(
            mark_seen, actor, [a.id for a in unseen], success="Alertes marquées comme vues.", then_rerun=True
        )

watches: list[WatchView] = read(list_watches, actor, default=[]) or []
subscriptions = read(list_subscriptions, actor, default=[]) or []
feed_names = {s.feed_id: s.title for s in subscriptions}


def watch_form(key: str, current: WatchView | None = None) -> WatchInput | None:
    """The fields of a watch; returns the input when the form is submitted."""
    with st.form(key):
        name = st.text_input("Nom suivi", value=current.name if current else "", placeholder="Orange")
        kind = st.selectbox(
            "Type",
            list(KINDS),
            index=list(KINDS).index(current.kind) if current else 0,
            format_func=KINDS.__getitem__,
            placeholder="Choisir un type",
        )
        variants = st.text_area(
            "Variantes (une par ligne)",
            value="\n".join(current.variants) if current else "",
            placeholder="Orange\nOrange Business\n@orange",
            help="Les noms sous lesquels on en parle. Vide\u00a0: le nom suivi.",
        )
        exclusions = st.text_area(
            "Exclusions (une par ligne)",
            value="\n".join(current.exclusions) if current else "",
            placeholder="jus\nfruit\ncouleur\njus d’orange",
            help="Des mots ou expressions qui, à moins de six mots d’un nom, montrent qu’il ne s’agit pas de lui.",
        )
        case_sensitive = st.checkbox(
            "Respecter la majuscule («\u00a0Orange\u00a0» mais pas «\u00a0orange\u00a0»)",
            value=current.case_sensitive if current else False,
        )
        st.markdown("**Alertes**")
        threshold = number_field(
            "Seuil\u00a0: mentions en une heure (0\u00a0= pas d’alerte de volume)",
            current.alert_threshold if current else 0,
            key=f"{key}-threshold",
            whole=True,
            minimum=0,
            maximum=10_000,
        )
        negative = st.multiselect(
            "Alerter pour toute mention négative venant de ces sources",
            list(feed_names),
            default=[f for f in (current.alert_negative_feed_ids if current else []) if f in feed_names],
            format_func=lambda f: feed_names.get(f, str(f)),
            placeholder="Choisir des sources",
            select_all=False,
        )
        period = number_field(
            "Une alerte au plus par période de (minutes)",
            current.alert_period_minutes if current else 60,
            key=f"{key}-period",
            whole=True,
            minimum=5,
            maximum=7 * 24 * 60,
        )
        email = st.checkbox(
            "Recevoir aussi les alertes par e-mail", value=current.alert_email if current else True
        )
        submitted = st.form_submit_button("Enregistrer" if current else "Créer la veille", type="primary")
    if not submitted or threshold.error or period.error:
        return None
    return WatchInput(
        name=name,
        kind=kind,
        variants=_lines(variants),
        exclusions=_lines(exclusions),
        case_sensitive=case_sensitive,
        alert_threshold=int(threshold.value or 0),
        alert_negative_feed_ids=negative,
        alert_period_minutes=int(period.value or 60),
        alert_email=email,
    )


board, manage, compare = st.tabs(["Tableau de bord", "Mes veilles", "Part de voix"])

# ---- dashboard -----------------------------------------------------------------------------

with board:
    if not watches:
        st.info(
            "Créez votre première veille dans l’onglet «\u00a0Mes veilles\u00a0» (par exemple votre marque et ses variantes)."
        )
    else:
        left, right = st.columns([2, 1])
        chosen = left.selectbox(
            "Veille",
            [w.id for w in watches],
            format_func=lambda i: next(w.name for w in watches if w.id == i),
            key="board-watch",
            placeholder="Choisir une veille",
        )
        period_label = right.segmented_control(
            "Période", list(PERIODS), default="7 jours", key="board-period"
        )
        span = PERIODS.get(period_label or "7 jours", PERIODS["7 jours"])
        until = datetime.now(UTC)
        since = until - span
        rows = read(mention_rows, actor, [chosen], since=since, default=[]) or []
        frame = mentions_frame(rows)
        negatives = sum(1 for r in rows if r.tone == "negative")
        positives = sum(1 for r in rows if r.tone == "positive")
        a, b, c = st.columns(3)
        a.metric("Mentions", fr_int(len(rows)))
        b.metric("Ton positif (estimation)", fr_int(positives))
        c.metric("Ton négatif (estimation)", fr_int(negatives))
        if not rows:
            st.info(
                "Aucune mention sur cette période. Les nouvelles mentions arrivent à chaque actualisation des "
                "sources\u00a0; ajoutez des flux de recherche d’actualités dans «\u00a0Mes veilles\u00a0»."
            )
        else:
            over_time = timeline(frame, since=since, until=until, hourly=span <= timedelta(days=1))
            fig = px.bar(
                counted(over_time),
                x="période",
                y="mentions",
                custom_data=["nombre"],
                title="Mentions dans le temps",
            )
            fig.update_traces(hovertemplate="%{x}\u00a0: %{customdata[0]}<extra></extra>")
            fig.update_layout(xaxis_title=None, yaxis_title="mentions", height=320)
            fig.update_yaxes(whole_ticks(over_time))
            chart(french_dates(fig, hours=span <= timedelta(days=1)), key="chart-timeline")
            col1, col2, col3 = st.columns(3)
            by_source = counts_by(frame, "source").head(10)
            with col1:
                chart(
                    px.bar(
                        labelled(counted(by_source), "source"),
                        x="mentions",
                        y="source",
                        orientation="h",
                        custom_data=["nombre"],
                        title="Par source",
                    )
                    .update_traces(hovertemplate="%{y}\u00a0: %{customdata[0]}<extra></extra>")
                    .update_layout(yaxis={"autorange": "reversed"}, yaxis_title=None, height=320)
                    .update_xaxes(whole_ticks(by_source)),
                    key="chart-sources",
                )
            with col2:
                chart(
                    px.pie(
                        labelled(counts_by(frame, "langue"), "langue"),
                        names="langue",
                        values="mentions",
                        title="Par langue",
                    ).update_layout(height=320),
                    key="chart-languages",
                )
            with col3:
                chart(
                    px.pie(
                        counts_by(frame, "ton"),
                        names="ton",
                        values="mentions",
                        color="ton",
                        color_discrete_map=TONE_COLOURS,
                        title="Ton (estimation automatique)",
                    ).update_layout(height=320),
                    key="chart-tone",
                )
            st.subheader("Dernières mentions")
            for mention in rows[:20]:
                st.html(mention_card_html(mention))

# ---- watches -------------------------------------------------------------------------------

with manage:
    st.subheader("Nouvelle veille")
    show_done("watch-new")
    data = watch_form(form_key("watch-new"))
    if data is not None:
        created = attempt(create_watch, actor, data)
        if created is not None:
            done = (
                f"Veille {quoted(plain(created.name))} créée\u00a0: "
                f"{quantity(created.mention_count, 'mention trouvée', 'mentions trouvées')} dans les articles déjà reçus."
            )
            form_done("watch-new", lambda: st.success(done))
    for watch in watches:
        with st.expander(
            plain(f"{watch.name} · {watch.kind_label} · {quantity(watch.mention_count, 'mention')}")
        ):
            st.caption(
                "Variantes\u00a0: "
                + (", ".join(plain(v) for v in watch.variants) or "—")
                + " · Exclusions\u00a0: "
                + (", ".join(plain(e) for e in watch.exclusions) or "aucune")
            )
            changed = watch_form(f"watch-edit-{watch.id}", watch)
            if changed is not None:
                attempt(update_watch, actor, watch.id, changed, success="Veille modifiée.", then_rerun=True)
            services = st.multiselect(
                "Flux de recherche d’actualités",
                list(SEARCH_SERVICES),
                format_func=lambda s: SEARCH_SERVICES[s][0],
                key=f"services-{watch.id}",
                help="Un abonnement à la recherche de ces noms, actualisé comme vos autres sources.",
                placeholder="Choisir des flux de recherche",
                select_all=False,
            )
            c1, c2, c3 = st.columns(3)
            if c1.button("Ajouter ces flux", key=f"search-{watch.id}", disabled=not services):
                added = attempt(add_search_feeds, actor, watch.id, services)
                if added is not None:
                    st.success(
                        " ".join(
                            f"{plain(a.label)}\u00a0: {'abonné' if a.created else 'déjà suivi'}."
                            for a in added
                        )
                        + " Les articles arrivent à la prochaine actualisation."
                    )
            if c2.button("Rechercher à nouveau", key=f"rescan-{watch.id}"):
                found = attempt(rescan_watch, actor, watch.id)
                if found is not None:
                    st.success(
                        f"{quantity(found, 'nouvelle mention trouvée', 'nouvelles mentions trouvées')}."
                    )
            if c3.button("Supprimer", key=f"delete-{watch.id}", type="secondary"):
                attempt(delete_watch, actor, watch.id, success="Veille supprimée.", then_rerun=True)

# ---- share of voice -----------------------------------------------------------------------

with compare:
    if len(watches) < 2:
        st.info("Créez une veille pour votre marque et une par concurrent pour comparer leur part de voix.")
    else:
        ids = [w.id for w in watches]
        names = {w.id: w.name for w in watches}
        brand = st.selectbox(
            "Marque", ids, format_func=names.__getitem__, key="sov-brand", placeholder="Choisir une marque"
        )
        rivals = st.multiselect(
            f"Concurrents ({MAX_COMPARED - 1} au plus)",
            [i for i in ids if i != brand],
            format_func=names.__getitem__,
            max_selections=MAX_COMPARED - 1,
            key="sov-rivals",
            placeholder="Choisir des concurrents",
            select_all=False,
        )
        today = people_today()
        dates = st.date_input(
            "Période", (today - timedelta(days=30), today), format="DD/MM/YYYY", key="sov-period"
        )
        if isinstance(dates, tuple) and len(dates) == 2:
            start, end = day_start(dates[0]), day_start(dates[1] + timedelta(days=1))  # the people's days
            shares = read(share_of_voice, actor, [brand, *rivals], since=start, until=end, default=[]) or []
            if shares and sum(s.mentions for s in shares):
                table = [
                    {"veille": s.name, "mentions": s.mentions, "part": round(100 * s.share, 1)}
                    for s in shares
                ]
                chart(
                    px.pie(
                        labelled(pd.DataFrame(table), "veille"),
                        names="veille",
                        values="mentions",
                        title="Part de voix",
                        hole=0.4,
                    ),
                    key="chart-sov",
                )
                st.dataframe(
                    people_table(table, digits=1).rename(columns={"part": "part (%)"}), hide_index=True
                )
            elif shares:
                st.info("Aucune mention de ces veilles sur la période choisie.")
        else:
            st.caption("Choisissez une date de début et une date de fin.")
