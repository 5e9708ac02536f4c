"""Downloaded files keep French words whole: accents stay, only unsafe characters become « - »."""

from __future__ import annotations

from curation.board_export import export_filename
from curation.boards import create_board
from workbench.db import session_scope
from workbench.filenames import file_name


def test_file_name_keeps_accents_and_drops_unsafe_characters() -> None:
    assert file_name("tableau", "Réseaux sociaux", extension="md") == "tableau-réseaux-sociaux.md"
    assert file_name("résultats", 'Cohorte "A/B" : été', extension="csv") == "résultats-cohorte-a-b-été.csv"
    assert file_name("Cafe\u0301", extension="pdf") == "café.pdf"  # decomposed accents composed (NFC)
    assert file_name("", "  ", extension="csv") == "export.csv"


def test_board_export_name_keeps_accents(people) -> None:
    with session_scope() as s:
        board = create_board(s, people.alice, "Réseaux & communautés")
    assert export_filename(board, "md") == "tableau-réseaux-communautés.md"
