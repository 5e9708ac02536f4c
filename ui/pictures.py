"""Outside pictures in the app: from an http(s) address or one of the app's bundled files, never a path."""

from __future__ import annotations

import logging

import streamlit as st

from curation.bundled_images import image_file

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
