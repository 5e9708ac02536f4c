"""The competence framework content: complete, well formed, French typography; invalid files refused."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from training_modules.catalog import competence_entries, mission_entries
from training_modules.competences import (
    COMPETENCE_IDS,
    CONTENT_DIR,
    MASTERY_IDS,
    MISSION_IDS,
    ContentError,
    framework,
    load_framework,
)

ROOT = Path(__file__).resolve().parents[1]
HAS_EXERCISES = importlib.util.find_spec("training_modules.exercises") is not None


def test_the_seven_competences_in_order_with_statements_and_situations():
    fw = framework()
    assert [c.id for c in fw.competences] == list(COMPETENCE_IDS)
    for c in fw.competences:
        assert len(c.statements) >= 6, c.id
        assert any(s.reverse for s in c.statements), c.id
        assert all(s.anchors.low and s.anchors.high for s in c.statements)
        assert len(c.situational) >= 6, c.id  # a five-day course (issue 21)
        for item in c.situational:
            assert len(item.options) == 4
            assert item.best.score == 3
            assert len(item.explanation) > 80
        assert c.resources and c.definition


def test_the_fourteen_missions_with_a_description_per_mastery_level():
    fw = framework()
    assert sorted(m.id for m in fw.missions) == sorted(MISSION_IDS)
    for m in fw.missions:
        assert set(m.levels) == set(MASTERY_IDS)
        assert set(m.competences) <= set(COMPETENCE_IDS)
    assert [s.value for s in fw.scales.rating] == [1, 2, 3, 4, 5]
    assert [m.id for m in fw.scales.mastery] == list(MASTERY_IDS)


def _texts(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key not in ("id", "url"):
                yield from _texts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value)
    elif isinstance(node, str):
        yield node


ASSESSMENT_FILES = sorted(
    [*CONTENT_DIR.glob("competences/*.yaml"), CONTENT_DIR / "missions.yaml", CONTENT_DIR / "scales.yaml"]
)


def typography_faults(text: str) -> list[str]:
    """What breaks French typography in ``text``: straight quotes, missing or breaking spaces."""
    faults = []
    if "'" in text:
        faults.append("straight apostrophe")
    if '"' in text:
        faults.append("straight double quote (« » in French)")
    if "..." in text:
        faults.append("three dots (…)")
    if re.search(r"(?<![\u00a0\u202f!?])[:;!?»]", text):
        faults.append("no non-breaking space before : ; ! ? »")
    if re.search(r"«(?!\u00a0)", text):
        faults.append("« without a non-breaking space after it")
    return faults


def test_typography_faults_are_found():
    assert typography_faults("Vous avez peur\u202f? «\u00a0Oui\u00a0»\u202f!!!") == []
    assert typography_faults("peur ?") == ["no non-breaking space before : ; ! ? »"]
    assert typography_faults("peur?") == ["no non-breaking space before : ; ! ? »"]
    assert typography_faults("« Oui\u00a0»") == ["« without a non-breaking space after it"]
    assert typography_faults('l\'offre "Basic"...') == [
        "straight apostrophe",
        "straight double quote (« » in French)",
        "three dots (…)",
    ]


@pytest.mark.parametrize("path", ASSESSMENT_FILES, ids=lambda p: p.name)
def test_content_uses_french_typography(path):
    for text in _texts(yaml.safe_load(path.read_text(encoding="utf-8"))):
        assert not typography_faults(text), f"{path.name}: {typography_faults(text)} in {text!r}"


def test_resource_urls_are_https_or_absent():
    for c in framework().competences:
        for r in c.resources:
            assert r.url is None or r.url.startswith("https://")


@pytest.fixture
def content_copy(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_a_copy_of_the_content_loads(content_copy):
    assert load_framework(content_copy) == framework()


def test_an_item_with_three_options_is_refused_naming_file_and_field(content_copy):
    _edit(content_copy / "competences" / "empathie.yaml", lambda d: d["situational"][1]["options"].pop())
    with pytest.raises(ContentError) as exc:
        load_framework(content_copy)
    assert "empathie.yaml" in str(exc.value)
    assert "situational.1.options" in str(exc.value)


def test_too_few_statements_are_refused(content_copy):
    _edit(
        content_copy / "competences" / "anglais.yaml",
        lambda d: d.__setitem__("statements", d["statements"][:5]),
    )
    with pytest.raises(ContentError, match=r"anglais\.yaml.*statements"):
        load_framework(content_copy)


def test_a_missing_anchor_is_refused(content_copy):
    _edit(
        content_copy / "competences" / "creativite.yaml", lambda d: d["statements"][2]["anchors"].pop("high")
    )
    with pytest.raises(ContentError, match=r"creativite\.yaml.*statements\.2\.anchors\.high"):
        load_framework(content_copy)


def test_a_mission_level_missing_is_refused(content_copy):
    _edit(content_copy / "missions.yaml", lambda d: d["missions"][3]["levels"].pop("referent"))
    with pytest.raises(ContentError, match=r"missions\.yaml.*missions\.3\.levels"):
        load_framework(content_copy)


def test_malformed_yaml_is_refused_with_its_line(content_copy):
    (content_copy / "scales.yaml").write_text("rating:\n  - value: 1\n   label: [oops\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"scales\.yaml.*ligne"):
        load_framework(content_copy)


def test_a_missing_competence_file_is_refused(content_copy):
    (content_copy / "competences" / "collaboration.yaml").unlink()
    with pytest.raises(ContentError, match="collaboration"):
        load_framework(content_copy)


def test_a_file_whose_id_does_not_match_its_name_is_refused(content_copy):
    src = content_copy / "competences" / "anglais.yaml"
    src.rename(content_copy / "competences" / "english.yaml")
    with pytest.raises(ContentError, match=r"english\.yaml.*id"):
        load_framework(content_copy)


def test_an_insecure_resource_url_is_refused(content_copy):
    _edit(
        content_copy / "competences" / "communication.yaml",
        lambda d: d["resources"][0].__setitem__("url", "http://example.org"),
    )
    with pytest.raises(ContentError, match=r"communication\.yaml.*resources\.0\.url"):
        load_framework(content_copy)


def test_catalog_entries_hold_statements_and_situations():
    comps = competence_entries()
    assert [c["id"] for c in comps] == list(COMPETENCE_IDS)
    assert all(len(c["statements"]) >= 6 and len(c["situational"]) >= 3 for c in comps)
    assert [m["id"] for m in mission_entries()] == [m.id for m in framework().missions]


@pytest.mark.skipif(
    not HAS_EXERCISES,
    reason="training_modules.exercises (issue 8, exercises branch) is not merged yet: the catalog CLI lists its exercises",
)
def test_catalog_cli_prints_the_whole_content_as_json():
    out = subprocess.run(
        [sys.executable, "-m", "training_modules", "catalog", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    data = json.loads(out)
    assert [c["id"] for c in data["competences"]] == list(COMPETENCE_IDS)
    assert all({"id", "name", "statements", "situational"} <= set(c) for c in data["competences"])
    assert len(data["missions"]) == 14 and all({"id", "name"} <= set(m) for m in data["missions"])
    for e in data["exercises"]:
        assert {"id", "kind", "competences", "missions"} <= set(e)
        assert set(e["competences"]) <= set(COMPETENCE_IDS), e["id"]
        assert set(e["missions"]) <= set(MISSION_IDS), e["id"]


def _situational_items():
    return [item for c in framework().competences for item in c.situational]


LETTER_REFERENCE = re.compile(
    r"\b(?:réponses?|options?|choix)\s+\(?[a-d]\)?(?![\w’])|\([a-d]\)", re.IGNORECASE
)


def test_explanations_name_options_by_their_text_never_by_a_letter():
    """The page shows options shuffled and without letters: « la réponse b » would mean nothing."""
    for item in _situational_items():
        for text in (item.explanation, item.question, *(o.text for o in item.options)):
            assert not LETTER_REFERENCE.search(text), f"{item.id}: {text!r}"


def test_neither_length_nor_position_gives_the_best_option_away():
    items = _situational_items()
    longest = 0
    ranks = []
    ratios = []
    positions = {"a": 0, "b": 0, "c": 0, "d": 0}
    for item in items:
        best = item.best
        others = [len(o.text) for o in item.options if o is not best]
        longest += len(best.text) > max(others)
        ranks.append(1 + sum(n < len(best.text) for n in others))  # 1 shortest … 4 longest
        ratios.append(len(best.text) / (sum(others) / len(others)))
        positions[best.id] += 1
    n = len(items)
    assert longest <= n / 3, f"the best option is the longest in {longest} of {n} items"
    assert 2.0 <= sum(ranks) / n <= 3.0, f"mean length rank of the best option: {sum(ranks) / n:.2f}"
    assert 0.8 <= sum(ratios) / n <= 1.25, f"best option length / others: {sum(ratios) / n:.2f}"
    assert all(count >= n / 8 for count in positions.values()), positions
    assert max(positions.values()) <= n * 0.4, positions


def test_options_are_shuffled_per_attempt_and_stable_within_one():
    item = framework().competence("empathie").situational[0]
    assert item.options_for(7) == item.options_for(7)
    assert sorted(o.id for o in item.options_for(7)) == ["a", "b", "c", "d"]
    positions = {[o.id for o in item.options_for(seed)].index(item.best.id) for seed in range(1, 41)}
    assert positions == {0, 1, 2, 3}
