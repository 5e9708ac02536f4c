"""The « Bibliothèque »'s exchange: exercises out as a content pack (zip) or Moodle XML (quizzes),
situational items out as Moodle XML; packs and Moodle files in, saved as the trainer's own
(``training_modules.exchange``: all or nothing), with the report in French."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from training_modules.competences import framework
from training_modules.exchange.moodle import (
    MAX_MOODLE_BYTES,
    export_library_items,
    export_quizzes,
    import_items,
    import_quizzes,
)
from training_modules.exchange.pack import MAX_PACK_BYTES, export_pack, import_pack
from training_modules.library import LibraryEntry
from ui.forms import form_done, form_key, show_done
from ui.session import attempt, read
from ui.sharing import SHARING_LABELS, sharing_choice
from ui.text import plain, quoted
from workbench.access import Actor
from workbench.numbers import quantity

PACK_NAME = "pack-exercices-atelier-cm.zip"
QUIZ_NAME = "quiz-moodle-atelier-cm.xml"
ITEMS_NAME = "mises-en-situation-moodle-atelier-cm.xml"
IMPORT_HELP = (
    "Ce que vous importez devient à vous, enregistré sous votre nom. Privé\u00a0: vous seul. Mes sessions\u00a0: "
    "vos sessions en profitent. Tous les formateurs\u00a0: chacun peut le voir et le dupliquer."
)


def _report(lines: list[str]) -> Callable[[], None]:
    """Show an import's report: what was imported, then what was left out and why."""

    def show() -> None:
        st.success(plain(lines[0]))
        if lines[1:]:
            st.info("\n".join(f"- {plain(line)}" for line in lines[1:]))  # markdown: a list of plain lines

    return show


def _names(titles: list[str]) -> str:
    return ", ".join(quoted(t) for t in titles)


def exercises_exchange(actor: Actor, shown: list[LibraryEntry]) -> None:
    """Export the exercises chosen in the filtered list; import a pack or a Moodle quiz file."""
    show_done("exchange-exercises")
    with st.expander("Exporter, importer (pack de contenu, Moodle XML)", icon=":material/swap_horiz:"):
        entries = {e.exercise.id: e.exercise for e in shown}
        chosen = st.multiselect(
            "Exercices à exporter (parmi la liste filtrée ci-dessous)",
            list(entries),
            format_func=lambda i: entries[i].title,
            placeholder="Choisir des exercices",
            key="x-chosen",
            select_all=False,
        )
        if chosen:
            cols = st.columns(2)
            pack = read(export_pack, actor, chosen)
            if pack is not None:
                cols[0].download_button(
                    "Exporter en pack (.zip)",
                    pack,
                    file_name=PACK_NAME,
                    mime="application/zip",
                    icon=":material/folder_zip:",
                    on_click="ignore",
                    key="x-pack",
                )
            quizzes = [i for i in chosen if entries[i].kind == "quiz"]
            others = [entries[i].title for i in chosen if entries[i].kind != "quiz"]
            xml = read(export_quizzes, actor, quizzes) if quizzes else None
            if xml is not None:
                cols[1].download_button(
                    "Exporter en Moodle XML",
                    xml,
                    file_name=QUIZ_NAME,
                    mime="application/xml",
                    icon=":material/quiz:",
                    on_click="ignore",
                    key="x-moodle",
                )
            if others:
                cols[1].caption(
                    plain(
                        f"Seuls les quiz s’exportent en Moodle XML\u00a0; ne sont pas des quiz\u00a0: {_names(others)}. "
                        "Exportez-les en pack."
                    )
                )
        st.markdown("**Importer**")
        name = form_key("exchange-exercises")
        upload = st.file_uploader(
            "Un pack de contenu (.zip) ou des questions Moodle (.xml, format «\u00a0Moodle XML\u00a0»)",
            type=["zip", "xml"],
            max_upload_size=MAX_PACK_BYTES // 1024**2,
            key=f"{name}#file",
        )
        if upload is None:
            return
        is_moodle = upload.name.lower().endswith(".xml")
        fw = framework()
        if is_moodle:
            st.caption("Chaque catégorie de questions devient un quiz. Choisissez ce qu’ils entraînent.")
            cols = st.columns(2)
            competences = cols[0].multiselect(
                "Compétences des quiz",
                list(fw.names),
                format_func=fw.names.__getitem__,
                placeholder="Choisir au moins une compétence",
                key=f"{name}#competences",
                select_all=False,
            )
            mission_names = {m.id: m.name for m in fw.missions}
            missions = cols[1].multiselect(
                "Missions des quiz",
                list(mission_names),
                format_func=mission_names.__getitem__,
                placeholder="Choisir au moins une mission",
                key=f"{name}#missions",
                select_all=False,
            )
        sharing = sharing_choice("private", key=f"{name}#sharing", help=IMPORT_HELP)
        if not st.button("Importer", type="primary", icon=":material/upload:", key=f"{name}#import"):
            return
        data = upload.getvalue()
        if is_moodle:
            if not competences or not missions:
                st.error("Choisissez au moins une compétence et une mission pour les quiz importés.")
                return
            found = attempt(
                import_quizzes, actor, data, competences=competences, missions=missions, sharing=sharing
            )
            if found is not None:
                quizzes, report = found
                what = f"{quantity(len(quizzes), 'quiz', 'quiz')}, {SHARING_LABELS[sharing].lower()}\u00a0: "
                form_done(
                    "exchange-exercises",
                    _report(report.summary(what + _names([e.exercise.title for e in quizzes])).split("\n")),
                )
        else:
            done = attempt(import_pack, actor, data, sharing=sharing)
            if done is not None:
                form_done(
                    "exchange-exercises",
                    _report([f"{done.summary} Partage\u00a0: {SHARING_LABELS[sharing].lower()}."]),
                )


def items_exchange(actor: Actor) -> None:
    """Export the items of chosen competences to Moodle XML; import a Moodle file as the trainer's items."""
    show_done("exchange-items")
    fw = framework()
    with st.expander("Exporter, importer (Moodle XML)", icon=":material/swap_horiz:"):
        competences = st.multiselect(
            "Compétences à exporter",
            list(fw.names),
            format_func=fw.names.__getitem__,
            placeholder="Toutes",
            key="x-item-comps",
            select_all=False,
        )
        st.caption(
            "Les mises en situation fournies avec l’atelier et celles des formateurs que vous voyez, une "
            "catégorie Moodle par compétence."
        )
        xml = read(export_library_items, actor, competences)
        if xml is not None:
            st.download_button(
                "Exporter en Moodle XML",
                xml,
                file_name=ITEMS_NAME,
                mime="application/xml",
                icon=":material/quiz:",
                on_click="ignore",
                key="x-items-moodle",
            )
        st.markdown("**Importer depuis Moodle**")
        name = form_key("exchange-items")
        upload = st.file_uploader(
            "Questions Moodle (.xml)\u00a0: à choix unique, quatre réponses notées",
            type=["xml"],
            max_upload_size=MAX_MOODLE_BYTES // 1024**2,
            key=f"{name}#file",
        )
        if upload is None:
            return
        competence = st.selectbox(
            "Compétence, si la catégorie Moodle n’en nomme pas une",
            list(fw.names),
            index=None,
            format_func=fw.names.__getitem__,
            placeholder="Celle de la catégorie",
            key=f"{name}#competence",
        )
        sharing = sharing_choice("private", key=f"{name}#sharing", help=IMPORT_HELP)
        if st.button("Importer", type="primary", icon=":material/upload:", key=f"{name}#import"):
            found = attempt(import_items, actor, upload.getvalue(), competence=competence, sharing=sharing)
            if found is not None:
                items, report = found
                what = (
                    f"{quantity(len(items), 'mise en situation', 'mises en situation')} à vous, "
                    f"{SHARING_LABELS[sharing].lower()}"
                )
                form_done("exchange-items", _report(report.summary(what).split("\n")))
