"""A form drawn from a pydantic model: one builder for the ten exercise kinds, not ten forms.

``draw(model, initial, key=...)`` walks the model's fields and draws a fitting widget for each
(text, French number, choice, several choices, time, yes/no, nested blocks, lists of blocks with
« Ajouter », « Retirer » and order, the kinds of a discriminated union). It returns the raw dict
(what an exercise file holds), which the schema validates on save; ``SchemaForm.show_errors``
puts each French message under the field it names. Widget keys come from ``key`` and the field
path (list items keep their own number when moved), so what is typed survives every rerun.
"""

from __future__ import annotations

import math
import re
import types
from dataclasses import dataclass, field
from datetime import time
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
import streamlit as st
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from curation.networks import get_network
from training_modules.competences import framework
from training_modules.exercises.kpi import DATASET_COLUMNS, METRIC_LABELS, check_dataset
from training_modules.exercises.loader import field_errors
from training_modules.exercises.schema import (
    ACTION_LABELS,
    DAYS,
    QUESTION_FIELDS,
    CompetenceId,
    MissionId,
    NetworkId,
)
from training_modules.library import MAX_DATASET_BYTES
from ui.forms import number_field
from ui.text import plain
from workbench.errors import UserError
from workbench.numbers import decimals

ROOT = "(racine)"  # the path of an error about the whole form (loader.field_errors)

# French labels by field name; « Model.field » where one name means different things.
LABELS = {
    "title": "Titre",
    "brief": "Consigne (Markdown)",
    "competences": "Compétences travaillées",
    "missions": "Missions du métier",
    "duration_minutes": "Durée (minutes)",
    "review": "Correction par le formateur",
    "rubric": "Grille d’évaluation",
    "pass_mark": "Seuil de réussite (%)",
    "feedback": "Retour au stagiaire",
    "points": "Points",
    "description": "Ce que le formateur voit dans la réponse",
    "label": "Libellé",
    "RubricCriterion.label": "Critère",
    "levels": "Niveaux, du plus faible au plus fort",
    "success": "Message en cas de réussite",
    "failure": "Message sinon\u00a0: ce qu’il faut travailler",
    "id": "Identifiant",
    "text": "Texte",
    "prompt": "Question",
    "type": "Type de contenu (identifiant)",
    "Question.type": "Type de question",
    "options": "Options",
    "answer": "Bonne(s) réponse(s)\u00a0: identifiants des options, un par ligne",
    "explanation": "Explication montrée après la correction",
    "questions": "Questions",
    # Short-answer and numerical questions (exchange21's quiz schema).
    "Option.feedback": "Retour quand cette option est cochée",
    "accepted": "Réponses acceptées, dans l’ordre",
    "TypedAnswer.text": "Réponse acceptée (* pour n’importe quels caractères)",
    "case_sensitive": "Respecter les majuscules",
    "numbers": "Valeurs acceptées, dans l’ordre",
    "value": "Valeur",
    "tolerance": "Tolérance (plus ou moins)",
    "credit": "Part du point (%)",
    "TypedAnswer.feedback": "Retour quand cette réponse est donnée",
    "NumberAnswer.feedback": "Retour quand cette valeur est donnée",
    "action": "Action attendue",
    "reason": "Justification (en citant la charte)",
    "also_accepted": "Autres actions acceptées",
    "author": "Auteur",
    "ModeratedComment.text": "Commentaire",
    "context": "Contexte",
    "weight": "Poids (1 à 3\u00a0: 2 ou 3 pour un commentaire à ne pas manquer)",
    "key": "Corrigé",
    "ScriptEvent.key": "Moment clé (mérite sa propre publication)",
    "network": "Réseau",
    "post": "Publication de la marque",
    "charter": "Charte de modération",
    "comments": "Commentaires",
    "min_length": "Longueur minimale (caractères)",
    "max_length": "Longueur maximale (caractères)",
    "greeting": "Salutation attendue",
    "name": "Prénom du commentateur, attendu dans la réponse",
    "thanks": "Remerciement attendu",
    "apology": "Excuses attendues",
    "empathy": "Empathie attendue",
    "jargon": "Jargon à éviter (un mot par ligne)",
    "no_blame": "Ne pas rejeter la faute sur le client",
    "private_message": "Proposer de passer en message privé",
    "private": "Message reçu en privé (la réponse aussi)",
    "comment": "Message reçu",
    "rules": "Règles",
    "model_answer": "Réponse modèle",
    "required_hashtags": "Hashtags obligatoires (sans #, un par ligne)",
    "min_hashtags": "Nombre minimal de hashtags",
    "max_hashtags": "Nombre maximal de hashtags",
    "mention": "Compte à mentionner (sans @)",
    "link": "Lien ou domaine attendu",
    "call_to_action": "Appel à l’action attendu",
    "forbidden": "Mots interdits (un par ligne)",
    "followers_start": "Abonnés au début de la période",
    "followers_end": "Abonnés en fin de période",
    "brand_mentions": "Mentions de la marque",
    "competitor_mentions": "Mentions des concurrents",
    "posts_csv": "Publications (fichier CSV)",
    "messages_csv": "Messages reçus (fichier CSV)",
    "engagement_denominator": "Dénominateur du taux d’engagement",
    "metrics": "Indicateurs demandés",
    "tolerance_points": "Tolérance sur les pourcentages (points)",
    "tolerance_minutes": "Tolérance sur les durées (minutes)",
    "variation": "Écart entre les jeux de données des stagiaires (0 à 0,5)",
    "rule": "Type de contrainte",
    "min": "Minimum",
    "max": "Maximum",
    "max_share": "Part maximale (de 0 à 1, par exemple 0,4)",
    "day": "Jour",
    "ThemeDayRule.label": "Libellé (par exemple «\u00a0#MercrediAstuce\u00a0»)",
    "start": "Début",
    "CrisisExercise.start": "Première étape (identifiant)",
    "end": "Fin",
    "days": "Jours",
    "time": "Heure",
    "topic": "Sujet",
    "networks": "Réseaux",
    "content_types": "Types de contenu",
    "CalendarExercise.rules": "Contraintes",
    "model_plan": "Planning modèle",
    "CrisisChoice.text": "Décision proposée",
    "consequence": "Conséquence",
    "next": "Étape suivante (identifiant\u00a0; vide\u00a0: fin du scénario)",
    "at": "Moment (par exemple «\u00a0Mardi 9 h 12\u00a0»)",
    "ScriptEvent.at": "Moment (secondes depuis le début)",
    "channel": "Canal",
    "event": "Événement",
    "choices": "Choix",
    "brand": "Marque",
    "steps": "Étapes",
    "debrief": "Débrief\u00a0: ce qu’aurait fait un community manager expérimenté",
    "ScriptEvent.text": "Ce qui se passe",
    "min_posts": "Nombre minimal de publications",
    "max_gap_seconds": "Écart maximal entre deux publications (secondes)",
    "react_within_seconds": "Délai pour réagir à un moment clé (secondes)",
    "event_name": "Nom de l’événement",
    "hashtag": "Hashtag (sans #)",
    "speakers": "Intervenants (nom et compte sans @)",
    "duration_seconds": "Durée du direct (secondes)",
    "script": "Déroulé",
    "url": "Adresse de l’article",
    "source": "Source",
    "published": "Date de publication",
    "Article.text": "Texte de l’article",
    "Article.title": "Titre de l’article",
    "article": "Article",
    "allow_wall": "Le stagiaire peut choisir un article du mur de veille",
    "WatchSummaryRules.network": "Réseau de publication",
    "keyword": "Mot-clé principal",
    "model_title": "Titre modèle",
    "model_meta": "Méta-description modèle",
    "title_min": "Titre\u00a0: longueur minimale",
    "title_max": "Titre\u00a0: longueur maximale",
    "meta_min": "Méta-description\u00a0: longueur minimale",
    "meta_max": "Méta-description\u00a0: longueur maximale",
    "min_h2": "Nombre minimal d’intertitres H2",
    "min_words": "Nombre minimal de mots",
    # situational items of the self-assessment
    "scenario": "Situation",
    "question": "Question posée au stagiaire",
    "SituationalItem.options": "Réponses proposées (exactement 4, montrées au stagiaire dans un ordre tiré au hasard)",
    "SituationalItem.explanation": "Explication : le raisonnement d’un community manager expérimenté",
    "score": "Points (0 à 3 ; 3 pour la meilleure réponse)",
}
# What one item of a list (or entry of a dict) is called: « Ajouter : Question ».
ITEMS = {
    "rubric": "Critère",
    "levels": "Niveau",
    "questions": "Question",
    "options": "Option",
    "accepted": "Réponse",
    "numbers": "Valeur",
    "comments": "Commentaire",
    "competitor_mentions": "Concurrent",
    "content_types": "Type de contenu",
    "rules": "Contrainte",
    "model_plan": "Publication",
    "steps": "Étape",
    "choices": "Choix",
    "speakers": "Intervenant",
    "script": "Moment",
}
# Entries of a dict: the label of the name and of the value.
PAIRS = {
    "competitor_mentions": ("Concurrent", "Mentions"),
    "speakers": ("Nom", "Compte (sans @)"),
}
# French names of the values a field may take (networks: curation.networks; days are French).
VALUES: dict[str, str] = {
    "none": "Aucune\u00a0: correction automatique",
    "optional": "Facultative",
    "required": "Obligatoire",
    "single": "Une seule bonne réponse",
    "multiple": "Plusieurs bonnes réponses",
    "short": "Réponse courte à écrire",
    "numerical": "Nombre à écrire",
    "reach": "Portée",
    "impressions": "Impressions",
    "followers": "Abonnés",
    "frequency": "Nombre de publications par réseau",
    "mix_max_share": "Part maximale d’un type de contenu",
    "mix_min_count": "Nombre minimal d’un type de contenu",
    "theme_day": "Rendez-vous thématique",
    "time_window": "Plage horaire",
    "max_per_day": "Maximum par jour",
    "no_post_days": "Jours sans publication",
    **ACTION_LABELS,
    **METRIC_LABELS,
    **{d: d for d in DAYS},
    **{n: get_network(n).name for n in get_args(NetworkId)},
}
# Text fields long enough for a text area.
LONG = {
    "brief",
    "description",
    "success",
    "failure",
    "prompt",
    "explanation",
    "scenario",
    "reason",
    "text",
    "context",
    "post",
    "charter",
    "comment",
    "model_answer",
    "event",
    "consequence",
    "debrief",
    "model_meta",
}
# Texts that stay short although their name is long elsewhere (an option, a decision).
SHORT_TEXT = {"Option.text", "TypedAnswer.text"}
# New list items get an identifier of their own: « q3 », « etape4 ».
ID_PREFIX = {
    "questions": "q",
    "options": "o",
    "comments": "c",
    "content_types": "type",
    "steps": "etape",
    "choices": "choix",
}
# Fields asked for only by some values of another field (a quiz question's type): the model's name,
# that field, and the fields each value asks for; the others are not drawn and keep their default.
BY_TYPE = {"Question": ("type", QUESTION_FIELDS)}
# A KPI file uploaded in the form is stored under a plain name of its own.
UPLOADED_NAMES = {"posts_csv": "publications.csv", "messages_csv": "messages.csv"}


def label(model: type[BaseModel], name: str) -> str:
    """The French label of a field (KeyError for a field without one: a test checks them all)."""
    return LABELS.get(f"{model.__name__}.{name}") or LABELS[name]


def value_label(value: object) -> str:
    return "—" if value is None else VALUES.get(str(value), str(value))


@dataclass
class SchemaForm:
    """What ``draw`` produced: the raw ``data``, the uploaded ``files`` by name, a place under each field."""

    data: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    slots: dict[str, Any] = field(default_factory=dict)
    refused: set[str] = field(default_factory=set)  # fields already showing why (unreadable number, bad CSV)

    def validated(self, model: type[BaseModel]) -> BaseModel | None:
        """The data as ``model`` when the schema accepts it; otherwise None, each French message
        shown beside its field (a refused number or file counts too: it was not taken)."""
        try:
            valid = model.model_validate(self.data)
        except ValidationError as exc:
            self.show_errors(field_errors(exc))
            return None
        return None if self.refused else valid

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message under the field it names (or its closest enclosing block)."""
        for path, message in errors.items():
            if path in self.refused:
                continue
            parts = [] if path == ROOT else path.split(".")
            while parts and ".".join(parts) not in self.slots:
                parts.pop()
            self.slots[".".join(parts) or ROOT].error(plain(_QUOTED_FIELD.sub(_form_name, message)))


_QUOTED_FIELD = re.compile(r"«\u00a0([a-z_]+)\u00a0»")


def _form_name(found: re.Match[str]) -> str:
    """A field or a value named as a file writes it (« numbers », « optional »), named as the form
    shows it."""
    name = found.group(1)
    shown = LABELS.get(name) or VALUES.get(name)
    return f"«\u00a0{shown}\u00a0»" if shown else found.group(0)


def draw(model: type[BaseModel], initial: dict[str, Any], *, key: str) -> SchemaForm:
    """Draw the form of ``model`` filled with ``initial`` (read the first time only: later runs keep
    what was typed) and return what it holds now."""
    form = SchemaForm(data={})
    form.data = _Builder(form).model(model, (), key, initial)
    form.slots[ROOT] = st.empty()  # what is about the whole: at the end, by the save button
    return form


def empty(model: type[BaseModel]) -> dict[str, Any]:
    """A new record of ``model``: defaults, and lists holding as many empty items as they need."""
    return {name: _empty(info.annotation, info) for name, info in model.model_fields.items()}


def _optional(tp: Any) -> tuple[Any, bool]:
    if get_origin(tp) in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return args[0], True
    return tp, False


def _union(tp: Any) -> tuple[str, dict[str, type[BaseModel]]] | None:
    """A discriminated union: its tag field and its models by tag."""
    if get_origin(tp) is not Annotated:
        return None
    inner, *meta = get_args(tp)
    tag = next((m.discriminator for m in meta if isinstance(m, FieldInfo) and m.discriminator), None)
    if tag is None:
        return None
    return tag, {get_args(m.model_fields[tag].annotation)[0]: m for m in get_args(inner)}


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _min_len(info: FieldInfo | None) -> int:
    return next(
        (m.min_length for m in (info.metadata if info else []) if isinstance(m, annotated_types.MinLen)), 0
    )


def _long(model: type[BaseModel], name: str) -> bool:
    """A text written in a text area."""
    return name in LONG and f"{model.__name__}.{name}" not in SHORT_TEXT


def _short(model: type[BaseModel], tp: Any, name: str) -> bool:
    """A field drawn in a narrow column: a number, a choice, a time, a yes/no, a short text."""
    tp = _optional(tp)[0]
    if get_origin(tp) is Literal:
        return len(get_args(tp)) > 1
    return tp in (int, float, bool, time) or (
        tp is str and not _long(model, name) and name not in DATASET_COLUMNS
    )


def _empty(tp: Any, info: FieldInfo | None = None) -> Any:
    if info is not None and not info.is_required():
        value = info.get_default(call_default_factory=True)
        return value.model_dump() if isinstance(value, BaseModel) else value
    tp, optional = _optional(tp)
    if optional:
        return None
    if union := _union(tp):
        return empty(next(iter(union[1].values())))
    if _is_model(tp):
        return empty(tp)
    origin = get_origin(tp)
    if origin is Literal:
        return get_args(tp)[0]
    if origin is list:
        (inner,) = get_args(tp)
        structured = _is_model(inner) or _union(inner) is not None
        return [_empty(inner) for _ in range(_min_len(info))] if structured else []
    if origin is dict:
        return {}
    return {str: "", bool: False, time: time(9, 0)}.get(tp)


class _Builder:
    def __init__(self, form: SchemaForm) -> None:
        self.form = form

    def model(
        self, model: type[BaseModel], path: tuple[Any, ...], wkey: str, initial: dict[str, Any]
    ) -> dict[str, Any]:
        """The fields of ``model``, short ones side by side (up to three a row), the others full width."""
        data: dict[str, Any] = {}
        row: list[tuple[str, FieldInfo]] = []

        tag, asked = BY_TYPE.get(model.__name__, ("", {}))
        depending = {f for fields in asked.values() for f in fields}

        def draw_field(name: str, info: FieldInfo) -> None:
            if name in depending and name not in asked.get(data.get(tag), ()):
                data[name] = _empty(info.annotation, info)  # not asked for this type: its default
                return
            value = initial[name] if name in initial else _empty(info.annotation, info)
            data[name] = self.value(info.annotation, model, name, (*path, name), f"{wkey}.{name}", value)

        def flush() -> None:
            for column, (name, info) in zip(
                st.columns(len(row)) if len(row) > 1 else [st.container()], row, strict=True
            ):
                with column:
                    draw_field(name, info)
            row.clear()

        for name, info in model.model_fields.items():
            if model.__name__.endswith(("Exercise", "SituationalItem")) and name == "id":
                if name in initial:
                    data[name] = initial[name]  # set by the library, never typed
                continue
            if _short(model, info.annotation, name):
                row.append((name, info))
                if len(row) == 3:
                    flush()
                continue
            if row:
                flush()
            draw_field(name, info)
        if row:
            flush()
        return data

    def slot(self, path: tuple[Any, ...]) -> None:
        self.form.slots[".".join(map(str, path))] = st.empty()

    def value(
        self,
        tp: Any,
        model: type[BaseModel],
        name: str,
        path: tuple[Any, ...],
        wkey: str,
        initial: Any,
    ) -> Any:
        if get_origin(tp) is Literal and len(get_args(tp)) == 1:
            return get_args(tp)[0]  # the kind, a rule's type: fixed by the form's choice
        text = label(model, name)
        tp, optional = _optional(tp)
        origin = get_origin(tp)
        if union := _union(tp):
            return self.variant(union, path, wkey, initial)
        if _is_model(tp):
            with st.container(border=True):
                st.markdown(f"**{text}**")  # markdown: the form's own label
                self.slot(path)
                return self.model(tp, path, wkey, initial or {})
        if origin is list:
            value = self.many(get_args(tp)[0], model, name, text, path, wkey, initial)
        elif origin is dict:
            value = self.pairs(get_args(tp)[1], name, text, path, wkey, initial)
        elif origin is Literal:
            options = [None, *get_args(tp)] if optional else list(get_args(tp))
            index = options.index(initial) if initial in options else 0
            value = st.selectbox(
                text, options, index=index, format_func=value_label, key=wkey, placeholder="Choisir"
            )  # markdown: the form's own label
        elif tp is bool:
            value = st.checkbox(text, value=bool(initial), key=wkey)  # markdown: the form's own label
        elif tp in (int, float):
            return self.number(tp, text, path, wkey, initial)  # with its own place for errors
        elif tp is time:
            given = time.fromisoformat(initial) if isinstance(initial, str) else initial
            value = st.time_input(text, value=given, step=60, key=wkey)
        elif name in DATASET_COLUMNS:
            value = self.dataset(name, text, path, wkey, initial)
        else:
            widget = st.text_area if _long(model, name) else st.text_input
            value = widget(text, value=initial or "", key=wkey)
            value = None if optional and not value.strip() else value
        self.slot(path)
        return value

    def variant(
        self, union: tuple[str, dict[str, type[BaseModel]]], path: tuple[Any, ...], wkey: str, initial: Any
    ) -> dict[str, Any]:
        """One member of a discriminated union: its type chosen first, then its own fields."""
        tag_field, models = union
        tags = list(models)
        current = initial.get(tag_field) if isinstance(initial, dict) else None
        tag = st.selectbox(  # markdown: the form's own label
            label(models[tags[0]], tag_field),
            tags,
            index=tags.index(current) if current in tags else 0,
            format_func=value_label,
            key=f"{wkey}#{tag_field}",
            placeholder="Choisir",
        )
        data = initial if current == tag else empty(models[tag])
        return self.model(models[tag], (*path, tag), f"{wkey}.{tag}", data)

    def number(self, tp: type, text: str, path: tuple[Any, ...], wkey: str, initial: Any) -> Any:
        digits = 0 if tp is int or not isinstance(initial, int | float) else decimals(initial)
        typed = number_field(text, initial, key=wkey, digits=digits, whole=tp is int)
        self.form.slots[".".join(map(str, path))] = typed.beside  # the field's refusals, once, under it
        if typed.error:
            self.form.refused.add(".".join(map(str, path)))
            return typed.text
        if typed.value is None:
            return None
        return int(typed.value) if tp is int else typed.value

    def dataset(self, name: str, text: str, path: tuple[Any, ...], wkey: str, initial: str) -> str:
        if initial:
            st.caption(f"{text}\u00a0: {plain(initial)}")  # markdown: the form's own label
        upload = st.file_uploader(
            f"{text} — remplacer" if initial else text,
            type=["csv"],
            key=wkey,
            max_upload_size=math.ceil(MAX_DATASET_BYTES / 1024**2),
            help="Colonnes attendues\u00a0: " + ", ".join(DATASET_COLUMNS[name]),
        )
        if upload is None:
            return initial
        raw = upload.getvalue()
        try:
            check_dataset(name, upload.name, raw)
        except UserError as exc:
            st.error(plain(str(exc)))
            self.form.refused.add(".".join(map(str, path)))
            return initial
        self.form.files[UPLOADED_NAMES[name]] = raw
        return UPLOADED_NAMES[name]

    def many(
        self,
        inner: Any,
        model: type[BaseModel],
        name: str,
        text: str,
        path: tuple[Any, ...],
        wkey: str,
        initial: list[Any],
    ) -> list[Any]:
        choices: list[Any] | None = None
        if get_origin(inner) is Literal:
            choices = list(get_args(inner))
        elif inner == CompetenceId:
            choices = [c.id for c in framework().competences]
        elif inner == MissionId:
            choices = [m.id for m in framework().missions]
        if choices is not None:
            names = {
                **{c.id: c.name for c in framework().competences},
                **{m.id: m.name for m in framework().missions},
            }
            return st.multiselect(  # markdown: the form's own label
                text,
                choices,
                default=[v for v in initial if v in choices],
                format_func=lambda v: names.get(v) or value_label(v),
                key=wkey,
                placeholder="Choisir",
                select_all=False,
            )
        if inner is str:
            lines = st.text_area(text, value="\n".join(initial), key=wkey)  # markdown: the form's own label
            return [line.strip() for line in lines.splitlines() if line.strip()]

        def item(i: int, iid: str, data: Any) -> Any:
            if union := _union(inner):
                return self.variant(union, (*path, i), f"{wkey}.{iid}", data)
            return self.model(inner, (*path, i), f"{wkey}.{iid}", data)

        def new(n: int, present: list[Any]) -> Any:
            data = _empty(inner)
            if not (_is_model(inner) and "id" in inner.model_fields):
                return data
            kept = inner.model_fields["id"].annotation
            letters = get_args(kept) if get_origin(kept) is Literal else ()
            if letters:  # ids from a fixed set (an item's options a to d): the first one not taken
                taken = {p.get("id") for p in present}
                data["id"] = next((x for x in letters if x not in taken), letters[0])
            elif name in ID_PREFIX:
                data["id"] = f"{ID_PREFIX[name]}{n + 1}"
            return data

        return self.items(name, text, path, wkey, initial, item, new)

    def pairs(
        self, value_type: Any, name: str, text: str, path: tuple[Any, ...], wkey: str, initial: dict[str, Any]
    ) -> dict[str, Any]:
        key_label, value_label_ = PAIRS[name]

        def item(i: int, iid: str, pair: tuple[str, Any]) -> tuple[str, Any]:
            cols = st.columns(2)
            with cols[0]:
                entry = st.text_input(key_label, value=pair[0], key=f"{wkey}.{iid}#name")
            with cols[1]:
                if value_type is int:
                    got = self.number(int, value_label_, (*path, i), f"{wkey}.{iid}#value", pair[1])
                else:
                    got = st.text_input(value_label_, value=pair[1] or "", key=f"{wkey}.{iid}#value")
            return entry.strip(), got

        rows = self.items(name, text, path, wkey, list(initial.items()), item, lambda n, present: ("", None))
        return {entry: got for entry, got in rows if entry}

    def items(
        self, name: str, text: str, path: tuple[Any, ...], wkey: str, initial: list[Any], item: Any, new: Any
    ) -> list[Any]:
        """A list of blocks with « Ajouter », « Retirer » and order: each block keeps its own number
        (its widgets' keys) wherever it moves, so nothing typed follows the wrong block."""
        state_key = f"{wkey}#items"
        if state_key not in st.session_state:
            st.session_state[state_key] = {
                "order": list(range(len(initial))),
                "data": dict(enumerate(initial)),
            }
        state = st.session_state[state_key]
        noun = ITEMS.get(name, "Élément")
        st.markdown(f"**{text}**")  # markdown: the form's own label
        values = []
        for i, iid in enumerate(list(state["order"])):
            with st.container(border=True):
                cols = st.columns([6, 1, 1, 2], vertical_alignment="center")
                cols[0].caption(f"{noun} {i + 1}")
                cols[1].button(
                    ":material/arrow_upward:",
                    key=f"{wkey}.{iid}#up",
                    help="Monter",
                    disabled=i == 0,
                    on_click=_move,
                    args=(state, iid, -1),
                )
                cols[2].button(
                    ":material/arrow_downward:",
                    key=f"{wkey}.{iid}#down",
                    help="Descendre",
                    disabled=i == len(state["order"]) - 1,
                    on_click=_move,
                    args=(state, iid, 1),
                )
                cols[3].button(
                    "Retirer",
                    key=f"{wkey}.{iid}#remove",
                    icon=":material/delete:",
                    on_click=state["order"].remove,
                    args=(iid,),
                )
                self.slot((*path, i))
                values.append(item(i, str(iid), state["data"][iid]))
        st.button(
            f"Ajouter\u00a0: {noun.lower()}",
            key=f"{wkey}#add",
            icon=":material/add:",
            on_click=_add,
            args=(state, new, values),  # what the blocks hold as drawn, for a free id
        )
        return values


def _move(state: dict[str, Any], iid: int, step: int) -> None:
    order = state["order"]
    i = order.index(iid)
    order[i], order[i + step] = order[i + step], order[i]


def _add(state: dict[str, Any], new: Any, present: list[Any]) -> None:
    iid = max(state["data"], default=-1) + 1
    state["data"][iid] = new(iid, present)
    state["order"].append(iid)
