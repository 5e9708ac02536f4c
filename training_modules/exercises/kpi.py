"""KPI exercises: each trainee's own dataset (seeded from the exercise and the user) and the formulas.

The base dataset is a CSV written by the trainer; every trainee gets it with each figure moved by
up to ± ``variation``, reproducibly: the same person always sees the same numbers, and two
trainees cannot copy each other's results. The notebook ``notebooks/kpi_exercise.ipynb`` uses
``dataset_for`` and recomputes ``expected_values`` with pandas.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from training_modules.exercises.loader import ContentError, dataset_bytes
from training_modules.exercises.schema import KpiExercise

POST_COUNTS = ["impressions", "reach", "reactions", "comments", "shares", "clicks", "conversions"]

METRIC_LABELS = {
    "engagement_rate": "Taux d’engagement (%)",
    "reach_rate": "Taux de portée (%)",
    "ctr": "Taux de clic – CTR (%)",
    "conversion_rate": "Taux de conversion (%)",
    "audience_growth": "Croissance de l’audience (%)",
    "share_of_voice": "Part de voix (%)",
    "response_rate": "Taux de réponse aux messages (%)",
    "avg_response_time": "Temps de réponse moyen (minutes)",
}
_DENOMINATORS = {
    "reach": "la somme des portées des publications",
    "impressions": "la somme des impressions des publications",
    "followers": "le nombre de publications × les abonnés en fin de période",
}


def metric_formula(metric: str, exercise: KpiExercise) -> str:
    """The definition the exercise states, in French (shown with the question)."""
    return {
        "engagement_rate": "(réactions + commentaires + partages) ÷ "
        f"{_DENOMINATORS[exercise.engagement_denominator]} × 100",
        "reach_rate": "portée moyenne par publication ÷ abonnés en fin de période × 100",
        "ctr": "clics ÷ impressions × 100 (totaux de la période)",
        "conversion_rate": "conversions ÷ clics × 100 (totaux de la période)",
        "audience_growth": "(abonnés en fin − abonnés au début) ÷ abonnés au début × 100",
        "share_of_voice": "mentions de la marque ÷ (mentions de la marque + mentions des concurrents) × 100",
        "response_rate": "messages ayant reçu une réponse ÷ messages reçus × 100",
        "avg_response_time": "moyenne des délais de réponse des messages répondus, en minutes",
    }[metric]


@dataclass(frozen=True)
class KpiDataset:
    posts: pd.DataFrame
    messages: pd.DataFrame
    followers_start: int
    followers_end: int
    brand_mentions: int
    competitor_mentions: dict[str, int]


def spreadsheet_csv(frame: pd.DataFrame) -> bytes:
    """A dataset as the trainee downloads it for a French spreadsheet: UTF-8 BOM (else « vidÃ©o »),
    semicolons and decimal commas, as the app's other exports."""
    return frame.to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


@lru_cache(maxsize=64)
def read_dataset(content: bytes) -> pd.DataFrame:
    """A dataset CSV as written here (commas) or saved by a French spreadsheet (semicolons and
    decimal commas, a BOM): the header line tells which."""
    header = content.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    french = header.count(b";") > header.count(b",")
    return pd.read_csv(
        io.BytesIO(content), encoding="utf-8-sig", **({"sep": ";", "decimal": ","} if french else {})
    )


def _base_csv(exercise: KpiExercise, name: str) -> pd.DataFrame:
    """A dataset of the exercise (bundled, or uploaded with its version), parsed once per content."""
    return read_dataset(dataset_bytes(exercise, name))


POSTS_COLUMNS = ("post_id", *POST_COUNTS)
COLUMN_LABELS = {
    "post_id": "Publication",
    "date": "Date",
    "network": "Réseau",
    "format": "Format",
    "impressions": "Impressions",
    "reach": "Portée",
    "reactions": "Réactions",
    "comments": "Commentaires",
    "shares": "Partages",
    "clicks": "Clics",
    "conversions": "Conversions",
    "message_id": "Message",
    "received_at": "Reçu le",
    "channel": "Canal",
    "answered": "Répondu (1 = oui)",
    "response_minutes": "Délai de réponse (min)",
}
_DATE_COLUMNS = {"date": "%d/%m/%Y", "received_at": "%d/%m/%Y %H:%M"}


def readable_dataset(frame: pd.DataFrame) -> pd.DataFrame:
    """A dataset as the page shows it: French headers (the CSV's own names stay in the download)
    and dates written 02/03/2026; a date the trainer wrote another way stays as written."""
    shown = frame.copy()
    for column, pattern in _DATE_COLUMNS.items():
        if column in shown.columns:
            moments = pd.to_datetime(shown[column], errors="coerce", format="ISO8601")
            shown[column] = [
                m.strftime(pattern) if not pd.isna(m) else v
                for m, v in zip(moments, shown[column], strict=True)
            ]
    return shown.rename(columns=COLUMN_LABELS)


MESSAGES_COLUMNS = ("answered", "response_minutes")


DATASET_COLUMNS = {"posts_csv": POSTS_COLUMNS, "messages_csv": MESSAGES_COLUMNS}


def check_dataset(field: str, name: str, content: bytes) -> None:
    """Refuse a dataset the computation cannot read, naming the field that gives it (checked on
    upload by the form, and again on save)."""
    columns = DATASET_COLUMNS[field]
    try:
        frame = read_dataset(content)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise ContentError(
            f"Le fichier «\u00a0{name}\u00a0» n’est pas un CSV lisible (UTF-8, séparateur virgule ou point-virgule)\u00a0: "
            "enregistrez-le en CSV puis envoyez-le de nouveau.",
            field=field,
        ) from exc
    missing = [c for c in columns if c not in frame.columns]
    numeric = [c for c in columns if c in frame.columns and c != "post_id"]
    if missing or not all(pd.api.types.is_numeric_dtype(frame[c]) for c in numeric) or frame.empty:
        raise ContentError(
            f"Le fichier «\u00a0{name}\u00a0» doit avoir au moins une ligne et les colonnes "
            f"{', '.join(columns)} (nombres)"
            + (f"\u00a0; il manque\u00a0: {', '.join(missing)}" if missing else "")
            + ". Corrigez-le puis envoyez-le de nouveau.",
            field=field,
        )


def check_datasets(exercise: KpiExercise) -> None:
    """Refuse datasets the computation cannot read, naming the field that gives them."""
    for field in DATASET_COLUMNS:
        name = getattr(exercise, field)
        check_dataset(field, name, dataset_bytes(exercise, name))


def _rng(exercise_id: str, user_id: int) -> random.Random:
    digest = hashlib.sha256(f"{exercise_id}:{user_id}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def dataset_for(exercise: KpiExercise, user_id: int) -> KpiDataset:
    """This trainee's dataset: deterministic from (exercise id, user id)."""
    rng = _rng(exercise.id, user_id)
    v = exercise.variation

    def jitter(x: float) -> int:
        return max(0, round(x * rng.uniform(1 - v, 1 + v)))

    posts = _base_csv(exercise, exercise.posts_csv).copy()
    for col in POST_COUNTS:
        posts[col] = [jitter(x) for x in posts[col]]
    # Keep the figures coherent: reach ≤ impressions, clicks ≤ impressions, conversions ≤ clicks.
    posts["reach"] = posts[["reach", "impressions"]].min(axis=1)
    posts["clicks"] = posts[["clicks", "impressions"]].min(axis=1)
    posts["conversions"] = posts[["conversions", "clicks"]].min(axis=1)

    messages = _base_csv(exercise, exercise.messages_csv).copy()
    keep = [rng.random() > v / 2 for _ in range(len(messages))]
    messages = messages[keep].reset_index(drop=True)
    messages["response_minutes"] = [
        round(m * rng.uniform(1 - v, 1 + v)) if a else pd.NA
        for m, a in zip(messages["response_minutes"], messages["answered"], strict=True)
    ]
    messages["response_minutes"] = messages["response_minutes"].astype("Int64")

    ctx = exercise.context
    start = jitter(ctx.followers_start)
    growth = ctx.followers_end / ctx.followers_start
    end = round(start * growth * rng.uniform(1 - v / 10, 1 + v / 10))
    return KpiDataset(
        posts=posts,
        messages=messages,
        followers_start=start,
        followers_end=end,
        brand_mentions=jitter(ctx.brand_mentions),
        competitor_mentions={k: jitter(n) for k, n in ctx.competitor_mentions.items()},
    )


def base_values(exercise: KpiExercise) -> dict[str, float]:
    """The metrics on the trainer's dataset as written, before each trainee's spread: what the
    trainer checks an uploaded file against."""
    as_written = exercise.model_copy(update={"variation": 0.0})
    return expected_values(as_written, dataset_for(as_written, 0))


def expected_values(exercise: KpiExercise, data: KpiDataset) -> dict[str, float]:
    """Every metric the exercise asks for, computed from the trainee's dataset."""
    p, m = data.posts, data.messages
    engagements = float((p["reactions"] + p["comments"] + p["shares"]).sum())
    denominators = {
        "reach": float(p["reach"].sum()),
        "impressions": float(p["impressions"].sum()),
        "followers": float(len(p) * data.followers_end),
    }
    answered = m[m["answered"] == 1]
    competitors = sum(data.competitor_mentions.values())
    values = {
        "engagement_rate": 100 * engagements / denominators[exercise.engagement_denominator],
        "reach_rate": 100 * float(p["reach"].mean()) / data.followers_end,
        "ctr": 100 * float(p["clicks"].sum()) / float(p["impressions"].sum()),
        "conversion_rate": 100 * float(p["conversions"].sum()) / max(1.0, float(p["clicks"].sum())),
        "audience_growth": 100 * (data.followers_end - data.followers_start) / data.followers_start,
        "share_of_voice": 100 * data.brand_mentions / max(1, data.brand_mentions + competitors),
        "response_rate": 100 * len(answered) / max(1, len(m)),
        "avg_response_time": float(answered["response_minutes"].astype(float).mean())
        if len(answered)
        else 0.0,
    }
    return {k: round(values[k], 2) for k in exercise.metrics}
