"""``python -m curation.parse_worker``: parses feeds for a refresh in a second process.

A large refresh (``curation.refresh``) is bound by one core: parsing, storing and the post-store
plugins all need the interpreter. This process takes the parsing, the detection of the languages
documents do not declare and the text half of each entry's story fingerprint
(``curation.story_text``), so that they run on another core while the refresh stores.
It is started by the refresh with ``-m`` (so it never re-runs the caller's script, as
``multiprocessing`` would) and speaks through its standard streams: length-prefixed pickled
frames, ``(data, url, content_type)`` in, a ``ParsedFeed``, a ``ParseError`` or a ``WorkerError``
out. It stops at the end of its input (the refresh also ends it while no feed comes).
"""

from __future__ import annotations

import os
import pickle
import select
import sys
from typing import IO, Any

from curation.language import detect_languages
from curation.parse import ParsedFeed, ParseError, parse_feed
from curation.story_text import entry_text, story_text
from workbench.memory import return_large_blocks, trim

_HEADER = 8


class WorkerError(Exception):
    """A parse that failed in an unexpected way (the refresh records its generic French error)."""


def write_frame(stream: IO[bytes], value: Any) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(data).to_bytes(_HEADER, "big") + data)
    stream.flush()


def read_frame(stream: IO[bytes]) -> Any:
    """The next value, or raise ``EOFError`` when the stream ends."""
    header = stream.read(_HEADER)
    if len(header) < _HEADER:
        raise EOFError
    size = int.from_bytes(header, "big")
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # frames come from the refresh that started this process


def detect_undeclared_languages(parsed: ParsedFeed) -> None:
    """Detect here the languages the document does not declare: the refresh's process then never
    loads the detector's models (about 15 MB) nor spends its time on them. Unlike detection at store
    time, this covers every entry of the document, new or not (this process has the spare core)."""
    if parsed.language:
        return
    todo = [entry for entry in parsed.entries if not entry.language]
    for entry, language in zip(todo, detect_languages([e.text_for_language() for e in todo]), strict=True):
        entry.detected_language = language


def add_story_texts(parsed: ParsedFeed) -> None:
    """The text half of each entry's story fingerprint, as grouping would compute it from the stored
    entry. It depends on the feed's name, which storing sets to the document's title: without one,
    the name is the feed's own and grouping computes it."""
    if not parsed.title:
        return
    source = parsed.title[:500]
    for entry in parsed.entries:
        entry.story = story_text(entry.title, entry_text(entry.summary, entry.content), source)


def _idle(requests: IO[bytes]) -> bool:
    """No request waiting to be read (a frame already in the reader's buffer is not seen: then
    this process trims once more than needed)."""
    try:
        return not select.select([requests], [], [], 0)[0]
    except (OSError, ValueError):  # not a pipe (an in-memory stream): it never waits
        return False


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    return_large_blocks()  # a large document or reply is not kept in the heap once freed
    while True:
        if _idle(requests):  # waiting for the next feed: the pages freed since are given back
            trim()
        try:
            data, url, content_type = read_frame(requests)
        except EOFError:
            return
        try:
            result: Any = parse_feed(data, url=url, content_type=content_type)
            detect_undeclared_languages(result)
            add_story_texts(result)
        except ParseError as exc:
            result = exc
        except Exception as exc:
            result = WorkerError(f"{type(exc).__name__}: {exc}")
        write_frame(replies, result)


def main() -> None:
    replies = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing a library prints may corrupt the replies
    serve(sys.stdin.buffer, replies)


if __name__ == "__main__":
    # Run the importable module, not this ``__main__`` copy: its WorkerError is what the refresh unpickles.
    from curation import parse_worker

    parse_worker.main()
