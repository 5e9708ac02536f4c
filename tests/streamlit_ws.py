"""A Streamlit browser tab at the protocol level: BackMsg/ForwardMsg protobufs over the real websocket.

Used by the load benchmark (``benchmarks/load_bench.py``) and the concurrent journey test: many
people at once against the real server (``streamlit run serve.py``), without a browser each.

What a tab keeps is what the page shows: the elements of the last run by their delta path (a run
replaces the elements it redraws; the ones it no longer draws are dropped when it finishes, as
the browser does), the pages of the menu, and every ForwardMsg's raw bytes received since the last
``take_seen()`` (to check what a person was shown). Widgets are found by their key or label and
set or clicked as the browser does: the rerun request carries the new widget values; widgets left
out keep the value the server already holds.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.common import user_key_from_element_id
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

FINISHED = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}


class ProtocolError(RuntimeError):
    """The server closed the tab, or a run did not finish in time, or a widget is missing."""


@dataclass
class Shown:
    """One element of the page: its kind (``button``, ``text_input``…), the element, its run."""

    kind: str
    proto: object
    run: int
    fragment: str

    @property
    def widget_id(self) -> str:
        return getattr(self.proto, "id", "")

    @property
    def label(self) -> str:
        return getattr(self.proto, "label", "")


@dataclass
class RunResult:
    seconds: float
    runs: int  # script runs the action took (2 when the page called st.rerun)
    errors: list[str] = field(default_factory=list)  # st.error / st.exception bodies shown


class Tab:
    """One person's browser tab: ``await tab.open()``, then ``click``, ``rerun``, ``goto``."""

    def __init__(self, base_url: str, *, timeout: float = 120.0) -> None:
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.ws_url = f"ws://{parts.netloc}{parts.path.rstrip('/')}/_stcore/stream"
        self.timeout = timeout
        self.elements: dict[tuple[int, ...], Shown] = {}
        self.pages: dict[str, str] = {}  # url path → page script hash
        self.page_hash = ""
        self.page_path = ""
        self._values: dict[str, WidgetState] = {}  # widget values this tab has set
        self._run = 0
        self._seen: list[bytes] = []
        self._ws: websockets.ClientConnection | None = None

    async def open(self, path: str = "") -> RunResult:
        self._ws = await websockets.connect(
            self.ws_url, subprotocols=["streamlit"], max_size=2**26, open_timeout=self.timeout
        )
        self.page_path = path
        return await self._request()

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()

    # -- reading the page ------------------------------------------------------------------
    def widgets(self, kind: str | None = None) -> list[Shown]:
        return [e for e in self.elements.values() if e.widget_id and (kind is None or e.kind == kind)]

    def widget(self, *, key: str | None = None, label: str | None = None, kind: str | None = None) -> Shown:
        """The widget with this key (exactly: « finish » is not « back-finish ») or label; the first
        one in page order."""
        for path in sorted(self.elements):
            shown = self.elements[path]
            if not shown.widget_id or (kind and shown.kind != kind):
                continue
            if key is not None and user_key_from_element_id(shown.widget_id) != key:
                continue
            if label is not None and shown.label != label:
                continue
            return shown
        raise ProtocolError(f"no widget key={key!r} label={label!r} kind={kind!r} on {self.page_path!r}")

    def has(self, *, key: str | None = None, label: str | None = None, kind: str | None = None) -> bool:
        try:
            self.widget(key=key, label=label, kind=kind)
        except ProtocolError:
            return False
        return True

    def texts(self) -> list[str]:
        """The Markdown, captions and alerts of the page, in page order."""
        out = []
        for path in sorted(self.elements):
            proto = self.elements[path].proto
            for name in ("body",):
                value = getattr(proto, name, None)
                if isinstance(value, str) and value:
                    out.append(value)
        return out

    def take_seen(self) -> bytes:
        """Every byte the server sent this tab since the last call (what the person was shown)."""
        seen, self._seen = b"".join(self._seen), []
        return seen

    # -- acting ------------------------------------------------------------------------------
    def set(self, shown: Shown, value: object) -> None:
        """Give a widget a value (sent with the next request), as typing or choosing does."""
        state = WidgetState(id=shown.widget_id)
        if isinstance(value, bool):
            state.bool_value = value
        elif isinstance(value, int):
            state.int_value = value
        elif isinstance(value, float):
            state.double_value = value
        elif isinstance(value, str):
            state.string_value = value
        else:
            raise TypeError(f"unsupported widget value {value!r}")
        self._values[shown.widget_id] = state

    def choose(self, shown: Shown, index: int) -> None:
        """Pick an option of a radio or select box by its position (sent as the option's label)."""
        self.set(shown, list(shown.proto.options)[index])

    async def click(self, shown: Shown) -> RunResult:
        trigger = WidgetState(id=shown.widget_id, trigger_value=True)
        return await self._request(extra=[trigger], fragment=shown.fragment)

    async def trigger(self, shown: Shown, event: str, value: object) -> RunResult:
        """Send a component's (``st.components.v2``) trigger value, as its ``setTriggerValue`` does."""
        payload = json.dumps([{"event": event, "value": value}])
        state = WidgetState(
            id=f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{shown.widget_id}__events", json_trigger_value=payload
        )
        return await self._request(extra=[state], fragment=shown.fragment)

    async def rerun(self) -> RunResult:
        return await self._request()

    async def goto(self, url_path: str) -> RunResult:
        """Open another page of the menu, as clicking its link does."""
        if url_path not in self.pages:
            raise ProtocolError(f"no page {url_path!r} in the menu ({sorted(self.pages)})")
        self.page_path, self.page_hash = url_path, self.pages[url_path]
        self._values.clear()  # the widgets of the previous page are gone
        return await self._request()

    # -- the protocol ------------------------------------------------------------------------
    async def _request(self, extra: list[WidgetState] | None = None, fragment: str = "") -> RunResult:
        if self._ws is None:
            raise ProtocolError("tab not open")
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_script_hash = self.page_hash
        state.page_name = self.page_path
        state.fragment_id = fragment
        state.context_info.url = f"{self.base_url}/{self.page_path}"
        state.context_info.timezone = "Europe/Paris"
        state.context_info.locale = "fr-FR"
        live = {e.widget_id for e in self.elements.values() if e.widget_id}
        by_id = {k: v for k, v in self._values.items() if k in live or not self.elements}
        for trig in extra or []:
            by_id[trig.id] = trig
        state.widget_states.widgets.extend(by_id.values())
        start = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        runs, errors = 0, []
        while True:
            try:
                raw = await asyncio.wait_for(self._ws.recv(), self.timeout)
            except (TimeoutError, websockets.ConnectionClosed) as exc:
                raise ProtocolError(f"no answer from the server on {self.page_path!r}: {exc!r}") from exc
            self._seen.append(raw)
            fwd = ForwardMsg()
            fwd.ParseFromString(raw)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self._run += 1
                runs += 1
            elif kind == "delta":
                self._delta(fwd, errors)
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "script_finished":
                status = fwd.script_finished
                if status in FINISHED:
                    self._drop_stale(status == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY, fragment)
                    return RunResult(time.perf_counter() - start, runs, errors)

    def _delta(self, fwd: ForwardMsg, errors: list[str]) -> None:
        path = tuple(fwd.metadata.delta_path)
        delta = fwd.delta
        which = delta.WhichOneof("type")
        if which == "new_element":
            element = delta.new_element
            kind = element.WhichOneof("type") or ""
            proto = getattr(element, kind) if kind else element
            if kind in ("alert", "exception"):
                body = getattr(proto, "body", "") or getattr(proto, "message", "")
                if kind == "exception" or proto.format == proto.ERROR:
                    errors.append(body)
        elif which == "add_block":
            kind, proto = "block", delta.add_block
        else:
            return
        for old in [p for p in self.elements if p[: len(path)] == path and p != path]:
            if self.elements[old].run < self._run:
                del self.elements[old]
        self.elements[path] = Shown(kind, proto, self._run, delta.fragment_id)

    def _drop_stale(self, fragment_run: bool, fragment: str) -> None:
        for path in list(self.elements):
            shown = self.elements[path]
            if shown.run < self._run and (not fragment_run or shown.fragment == fragment):
                del self.elements[path]
