"""Content packs: export a chosen set of exercises, import it on another install, all or nothing."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
import yaml
from sqlalchemy import func, select

from training_modules.exchange import pack as pack_module
from training_modules.exchange.pack import PackError, export_pack, import_pack, pack_bytes, read_pack
from training_modules.exercises.loader import (
    CONTENT_DIR,
    ContentError,
    dataset_bytes,
    get_exercise,
    parse_exercise,
)
from training_modules.exercises.models import TrainerExercise
from training_modules.library import editable_data, save_exercise
from workbench.db import session_scope
from workbench.errors import AccessDenied

CHOSEN = ["quiz-indicateurs", "kpi-fournil-mars", "crisis-fournil-rumeur"]


def zipped(files: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return out.getvalue()


def files_of(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def good_pack() -> dict[str, bytes]:
    return files_of(pack_bytes([get_exercise(i) for i in CHOSEN]))


def count_trainer_exercises() -> int:
    with session_scope() as s:
        return s.scalar(select(func.count()).select_from(TrainerExercise))


def test_a_pack_holds_the_files_schema_and_the_datasets_used():
    files = good_pack()
    assert sorted(files) == [
        "datasets/fournil_messages.csv",
        "datasets/fournil_posts.csv",
        *(f"exercises/{i}.yaml" for i in sorted(CHOSEN)),
        "pack.yaml",
    ]
    assert (
        files["datasets/fournil_posts.csv"] == (CONTENT_DIR / "datasets" / "fournil_posts.csv").read_bytes()
    )
    for i in CHOSEN:  # each file loads exactly as a bundled file does, to the same exercise
        assert parse_exercise(yaml.safe_load(files[f"exercises/{i}.yaml"]), name=i) == get_exercise(i)
    pack = read_pack(pack_bytes([get_exercise(i) for i in CHOSEN]))
    assert pack.exercises["quiz-indicateurs"] == editable_data(get_exercise("quiz-indicateurs"))


def test_trainer_imports_a_pack_as_their_own_private_exercises(people):
    data = pack_bytes([get_exercise(i) for i in CHOSEN])
    with session_scope() as s:
        report = import_pack(s, people.other_trainer, data)
        assert [e.origin for e in report.entries] == ["trainer"] * 3
        assert {e.author_id for e in report.entries} == {people.other_trainer.id}
        assert {e.sharing for e in report.entries} == {"private"}
        for entry, original in zip(report.entries, CHOSEN, strict=True):
            assert editable_data(entry.exercise) == editable_data(get_exercise(original))
        kpi = report.entries[1].exercise
        assert (
            dataset_bytes(kpi, "fournil_posts.csv")
            == (CONTENT_DIR / "datasets" / "fournil_posts.csv").read_bytes()
        )
        assert report.summary.startswith(
            "3\u00a0exercices importés\u00a0: «\u00a0Le vocabulaire des indicateurs\u00a0»"
        )


def test_trainer_made_exercise_with_an_uploaded_dataset_travels_between_trainers(people):
    kpi = editable_data(get_exercise("kpi-fournil-mars"))
    posts = (CONTENT_DIR / "datasets" / "fournil_posts.csv").read_bytes()
    messages = (CONTENT_DIR / "datasets" / "fournil_messages.csv").read_bytes()
    uploaded = {
        **kpi,
        "title": "KPI de la boutique",
        "posts_csv": "boutique_posts.csv",
        "messages_csv": "boutique_messages.csv",
    }
    with session_scope() as s:
        mine = save_exercise(
            s,
            people.trainer,
            uploaded,
            sharing="private",
            datasets={"boutique_posts.csv": posts, "boutique_messages.csv": messages},
        )
        data = export_pack(s, people.trainer, [mine.exercise.id])
        with pytest.raises(AccessDenied):  # private: another trainer may not export it
            export_pack(s, people.other_trainer, [mine.exercise.id])
        with pytest.raises(AccessDenied):
            export_pack(s, people.alice, ["quiz-indicateurs"])
    assert sorted(files_of(data)) == [
        "datasets/boutique_messages.csv",
        "datasets/boutique_posts.csv",
        f"exercises/{mine.exercise.id}.yaml",
        "pack.yaml",
    ]
    with session_scope() as s:
        [theirs] = import_pack(s, people.other_trainer, data, sharing="trainers").entries
        assert theirs.exercise.id != mine.exercise.id and theirs.sharing == "trainers"
        assert dataset_bytes(theirs.exercise, "boutique_posts.csv") == posts


def test_one_wrong_file_refuses_the_whole_pack_naming_the_file_and_field(people):
    files = good_pack()
    quiz = yaml.safe_load(files["exercises/quiz-indicateurs.yaml"])
    quiz["questions"][0]["type"] = "sometimes"
    files["exercises/quiz-indicateurs.yaml"] = yaml.safe_dump(quiz, allow_unicode=True)
    with session_scope() as s, pytest.raises(ContentError) as refused:
        import_pack(s, people.trainer, zipped(files))
    assert "exercises/quiz-indicateurs.yaml, champ «\u00a0questions.0.type\u00a0»" in str(refused.value)
    assert "Rien n’a été importé" in str(refused.value)
    assert count_trainer_exercises() == 0


def test_a_kpi_exercise_whose_dataset_is_missing_or_broken_is_refused():
    files = good_pack()
    del files["datasets/fournil_posts.csv"]
    files["exercises/kpi-fournil-mars.yaml"] = files["exercises/kpi-fournil-mars.yaml"].replace(
        b"fournil_posts.csv", b"absent_posts.csv"
    )
    with pytest.raises(ContentError, match=r"exercises/kpi-fournil-mars.yaml, champ «\u00a0posts_csv\u00a0»"):
        read_pack(zipped(files))
    files = good_pack()
    files["datasets/fournil_posts.csv"] = b"nothing,useful\n1,2\n"
    with pytest.raises(
        ContentError, match=r"exercises/kpi-fournil-mars.yaml — Le fichier «\u00a0fournil_posts.csv"
    ):
        read_pack(zipped(files))


def test_a_failure_while_saving_saves_nothing(people, monkeypatch):
    calls = []
    real = pack_module.save_exercise

    def second_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ContentError("panne simulée")
        return real(*args, **kwargs)

    monkeypatch.setattr(pack_module, "save_exercise", second_fails)
    with pytest.raises(ContentError, match="panne simulée"), session_scope() as s:
        import_pack(s, people.trainer, pack_bytes([get_exercise(i) for i in CHOSEN]))
    assert count_trainer_exercises() == 0


@pytest.mark.parametrize(
    "name",
    [
        "../evil.yaml",
        "/etc/cron.d/evil",
        "exercises/../../evil.yaml",
        "exercises\\..\\evil.yaml",
        "datasets/sub/evil.csv",
        "datasets/../../evil.csv",
        "exercises/Evil Name.yaml",
        "run.sh",
    ],
)
def test_entries_outside_the_two_folders_are_refused(name: str):
    files = {**good_pack(), name: b"x: 1"}
    with pytest.raises(
        PackError, match=f"«\u00a0{name}\u00a0» n’a pas sa place dans un pack".replace("\\", "\\\\")
    ):
        read_pack(zipped(files))


def test_a_zip_bomb_stops_at_the_limit():
    bomb = {**good_pack(), "exercises/bombe.yaml": b"a" * (pack_module.MAX_YAML_BYTES + 1)}
    data = zipped(bomb)
    assert len(data) < 30_000  # a few kilobytes that would unpack to far more
    with pytest.raises(PackError, match=r"«\u00a0exercises/bombe.yaml\u00a0» est trop volumineux"):
        read_pack(data)
    big_csv = {**good_pack(), "datasets/fournil_posts.csv": b"0" * (2 * 1024 * 1024)}
    with pytest.raises(PackError, match="trop volumineux"):
        read_pack(zipped(big_csv))


def test_a_zip_whose_headers_lie_about_sizes_is_stopped_while_reading(monkeypatch):
    data = bytearray(zipped({**good_pack(), "exercises/menteur.yaml": b"a" * 300_000}))
    # the archive says the file holds 10 bytes: reading stops there and the checksum gives it away
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.rfind(signature)
        while (
            data[at + (30 if signature == b"PK\x03\x04" else 46) :].startswith(b"exercises/menteur.yaml")
            is False
        ):
            at = data.rfind(signature, 0, at)
        data[at + offset : at + offset + 4] = struct.pack("<I", 10)
    with pytest.raises(PackError, match=r"«\u00a0exercises/menteur.yaml\u00a0» est abîmé"):
        read_pack(bytes(data))
    monkeypatch.setattr(pack_module, "MAX_TOTAL_BYTES", 5_000)  # each file is small, all of them are not
    with pytest.raises(PackError, match="trop volumineux une fois décompressé"):
        read_pack(zipped(good_pack()))


def test_yaml_aliases_are_refused():
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b]\n"
    with pytest.raises(PackError, match="ancres et alias YAML"):
        read_pack(zipped({**good_pack(), "exercises/alias.yaml": laughs}))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 broken", "archive zip illisible"),
        (b"just text", "archive zip illisible"),
        (zipped({"exercises/x-quiz.yaml": "kind: quiz"}), "pack.yaml absent"),
        (zipped({"pack.yaml": "format: atelier-cm-pack\nversion: 1\n"}), "aucun exercice"),
        (zipped({"pack.yaml": "format: atelier-cm-pack\nversion: 99\n"}), "autre version"),
        (zipped({f"datasets/d{i}.csv": b"x" for i in range(501)}), "plus de 500 fichiers"),
        (b"x" * (21 * 1024 * 1024), "plus de 20\u00a0Mo"),
    ],
    ids=["broken-zip", "not-zip", "no-manifest", "empty", "future-version", "too-many", "too-big"],
)
def test_what_is_not_a_usable_pack_is_refused_in_french(data: bytes, message: str):
    with pytest.raises(PackError, match=message) as refused:
        read_pack(data)
    assert "rien n’a été importé" in str(refused.value)
