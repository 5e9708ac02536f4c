"""The wall's card grid script (``ui/card_grid.js``) run in Chromium on a hostile card, as Streamlit
runs it (its default export given the data, the element to draw in and ``setTriggerValue``): the
title with an ``<img onerror>`` is text, a ``javascript:`` picture and link are dropped, the other
link opens apart; a click is an action queued until the server acknowledges it."""

from __future__ import annotations

import base64

import pytest

from tests.browser.conftest import ROOT

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.pwned=1">Titre'
CARD = {
    "id": 7,
    "img": "javascript:window.pwned=2",  # the server drops it already; the script checks again
    "noimg": False,
    "demo": True,
    "highlight": "Mis en évidence par « <b onmouseover=alert(1)>règle</b> »",
    "meta": "Média · 07/12/2026 10:05 · en",
    "title": HOSTILE,
    "snippet": "<script>window.pwned=3</script>",
    "sources": [
        {"name": "<i>A</i>", "url": "javascript:window.pwned=4"},
        {"name": "B", "url": "https://b.example/a"},
    ],
    "tr": {"title": "<img src=y onerror=window.pwned=5>", "summary": "", "note": "Traduit"},
    "translate": False,
    "failure": "",
    "read": False,
    "saved": True,
}
RUN = """async ([url, data]) => {
  window.sent = [];
  const draw = (await import(url)).default;
  const host = document.getElementById('host');
  draw({data, parentElement: host, setTriggerValue: (event, value) => window.sent.push([event, value])});
  return new Promise((done) => setTimeout(done, 50));
}"""


def test_a_hostile_card_is_drawn_as_text_and_a_click_is_queued(browser) -> None:
    page = browser.new_page()
    script = (ROOT / "ui" / "card_grid.js").read_bytes()
    url = "data:text/javascript;base64," + base64.b64encode(script).decode()
    page.set_content('<div id="host"></div>')
    data = {"cards": [CARD], "columns": 3, "help": {"mark": "démo", "text": "Contenu de démonstration"}}
    page.evaluate(RUN, [url, {**data, "token": "", "ack": 0}])
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#host img, #host script, #host b, #host i").count() == 0  # no markup from the data
    assert page.locator("#host .atl-title").first.text_content() == HOSTILE
    assert page.locator("#host .atl-title").nth(1).text_content() == CARD["tr"]["title"]
    links = page.locator("#host a")
    assert links.count() == 1  # « <i>A</i> » with its javascript: address is text, not a link
    assert [links.get_attribute(a) for a in ("href", "target", "rel")] == [
        "https://b.example/a",
        "_blank",
        "noopener noreferrer",
    ]
    assert page.locator("#host .atl-column").count() == 3
    buttons = page.locator("#host button")
    assert [b.strip() for b in buttons.all_inner_texts()] == [
        "chrome_reader_modeLire",
        "doneLu",
        "bookmark_removeRetirer",
        "push_pinÉpingler",
        "dashboard_customizeChoisir le tableau",
    ]  # the icon (its font's ligature, hidden from screen readers) and the label
    page.get_by_role("button", name="Lu", exact=True).click()
    page.get_by_role("button", name="Retirer").click()
    sent = page.evaluate("() => window.sent")
    token = sent[0][1]["token"]
    assert sent == [
        ["action", {"token": token, "actions": [{"seq": 1, "entry": 7, "do": "read"}]}],
        [  # not acknowledged yet: sent again with the new one
            "action",
            {
                "token": token,
                "actions": [{"seq": 1, "entry": 7, "do": "read"}, {"seq": 2, "entry": 7, "do": "unsave"}],
            },
        ],
    ]
    page.evaluate(RUN, [url, {**data, "token": token, "ack": 2}])  # the server's next run: both done
    assert page.evaluate("() => window.sent") == []  # nothing left to send
    page.close()
