"""The protocol-level tab of the load benchmark finds a widget by its exact key."""

from __future__ import annotations

from streamlit.proto.Button_pb2 import Button

from tests.streamlit_ws import Shown, Tab


def test_a_key_finds_that_widget_not_one_whose_key_ends_like_it() -> None:
    """« Terminer » (``finish``) was found as « Étape précédente » (``back-finish``), drawn
    before it: the benchmark went back a step and counted a completion never stored."""
    tab = Tab("http://127.0.0.1:1")
    back = Shown("button", Button(id="$$ID-0a1b-back-finish", label="Étape précédente"), 1, "")
    finish = Shown("button", Button(id="$$ID-2c3d-finish", label="Terminer"), 1, "")
    tab.elements = {(0, 1): back, (0, 2): finish}
    assert tab.widget(key="finish") is finish
    assert tab.widget(key="back-finish") is back
