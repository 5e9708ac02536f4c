"""The only way outside or user-written text reaches Streamlit's Markdown (``st.markdown``,
``st.write``, titles, captions, widget labels): escaped whole, link targets included; French
number formats; names quoted the French way."""

from __future__ import annotations

from curation.sanitize import markdown_code as verbatim
from curation.sanitize import markdown_link as link
from curation.sanitize import markdown_readable as readable
from curation.sanitize import markdown_text as plain
from workbench.numbers import fr_int
from workbench.wording import quoted

__all__ = ["fr_int", "link", "plain", "quoted", "readable", "verbatim"]
