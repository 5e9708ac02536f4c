"""Outside pictures in the app: from an http(s) address or one of the app's bundled files, never a path."""

from __future__ import annotations

import logging

import streamlit as st

from curation.bundled_images import image_file, image_src
from curation.sanitize import markdown_image

log = logging.getLogger(__name__)
UNAVAILABLE = ":material/hide_image: Image indisponible"


def picture(url: str | None) -> None:
    """Show a stored image address; a placeholder when it is not a web address or cannot be shown,
    so one bad entry never stops a page (``st.image`` would open any other string as a server file)."""
    if not (url or "").strip():
        return
    source = image_file(url)
    if source:
        try:
            st.image(source, width="stretch")
            return
        except Exception as exc:  # a bad picture is the card's problem, never the page's
            log.warning("picture not shown: %r", exc)
    st.caption(UNAVAILABLE)


def picture_markdown(url: str | None) -> str:
    """A stored image address as a Markdown image line, for a text element that holds more (a wall
    card draws its picture, badges and text as one element): the http(s) address, or a bundled
    picture by its static URL (the browser fetches it; the server reads no file); a placeholder
    line for any other address, ``""`` without one."""
    if not (url or "").strip():
        return ""
    src = image_src(url)
    return markdown_image(src) if src else f":small[:gray[{UNAVAILABLE}]]"
