"""A whole HTML document (an e-mail's preview) shown in a frame that cannot run script.

Streamlit's own frames (``st.iframe``, ``components.html``) allow scripts and same-origin access
together. Here the document goes, escaped, into the ``srcdoc`` of an inner frame sandboxed without
``allow-scripts``: even if something slipped past the sanitiser, no script of it could run. Its
links still open, in a new tab and outside the sandbox.
"""

from __future__ import annotations

import html

import streamlit as st

SANDBOX = "allow-popups allow-popups-to-escape-sandbox"
_FRAME_CSS = "html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}"


def inert_html(document: str, *, height: int, title: str) -> None:
    """Show ``document`` in a frame of ``height`` pixels; ``title`` names it for screen readers."""
    st.iframe(
        f"<style>{_FRAME_CSS}</style>"
        f'<iframe sandbox="{SANDBOX}" title="{html.escape(title)}" srcdoc="{html.escape(document, quote=True)}">'
        "</iframe>",
        height=height,
        alt=title,
    )
