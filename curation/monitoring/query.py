"""The rule language: words, « exact phrases », /regex/, fields and boolean operators.

Examples a person writes::

    orange SAUF (fruit OU jus)
    titre:"service client" AND (panne OR bug) -promo
    auteur:dupont langue:fr dossier:Marques
    contenu:/\\b0[67]\\d{8}\\b/

Words and phrases are matched the search engine's way (``curation.textnorm``): accents folded,
elisions dropped, plurals conflated — « réseaux » finds « reseau », « l’engagement » finds
« engagement ». Operators are written in capitals (ET/OU/SAUF, AND/OR/NOT), ``-mot`` excludes a
word, juxtaposition means ET. A regular expression is compiled at save time (a broken one gets a
French message) and always runs with a time limit, so a catastrophic pattern never stalls a refresh.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from re import _constants as sre_constants  # the standard parser: reads a pattern into a tree
from re import _parser as sre_parse
from typing import Protocol

import regex

from curation.textnorm import PHRASE_QUOTES, normalise_for_search, tokens
from workbench.errors import UserError

REGEX_TIMEOUT_S = 0.05  # per search of one field of one entry
MAX_REGEX_LENGTH = 300
MAX_QUERY_LENGTH = 2000

FIELD_ALIASES = {
    "titre": "title",
    "title": "title",
    "contenu": "content",
    "content": "content",
    "texte": "content",
    "text": "content",
    "auteur": "author",
    "author": "author",
    "source": "source",
    "flux": "source",
    "feed": "source",
    "dossier": "folder",
    "folder": "folder",
    "langue": "language",
    "lang": "language",
    "language": "language",
}
FIELD_LABELS = {
    "title": "titre",
    "content": "contenu",
    "author": "auteur",
    "source": "source",
    "folder": "dossier",
    "language": "langue",
}
TEXT_FIELDS = ("title", "content", "author", "source", "folder")
PREFILTER_FIELDS = ("title", "content", "author", "source")  # the same for every owner of a rule
DEFAULT_FIELDS = ("title", "content")  # a word without a field: in the title or the text
LANGUAGE_NAMES = {"francais": "fr", "french": "fr", "anglais": "en", "english": "en"}
AND_WORDS = {"ET", "AND", "&&"}
OR_WORDS = {"OU", "OR", "||", "|"}
NOT_WORDS = {"SAUF", "NOT"}
_SPECIAL = {"(", ")", *PHRASE_QUOTES, *PHRASE_QUOTES.values()}


class Document(Protocol):
    """What a rule is evaluated against (one entry, seen by one person or cohort)."""

    def joined(self, field: str) -> str:
        """The field's normalised tokens, space-separated, with a space at both ends."""

    def token_set(self, field: str) -> AbstractSet[str]: ...

    def raw(self, field: str) -> str:
        """The field's plain text (for regular expressions)."""

    def folded(self, field: str) -> str:
        """The field's plain text, case-folded (where a regex's required literal is looked for)."""

    @property
    def language(self) -> str: ...


@dataclass
class Evaluation:
    """Side notes of evaluating rules: how many regex searches hit their time limit."""

    regex_timeouts: int = 0


class Postings(Protocol):
    """Entries matched together (see ``documents.EntryBatch``)."""

    def positions(self, field: str, token: str) -> set[int]:
        """Positions of the entries whose ``field`` holds ``token``."""

    def containing(self, field: str, literal: str) -> set[int]:
        """Positions of the entries whose case-folded ``field`` contains ``literal``."""

    def document(self, position: int, scope: Mapping[int, Sequence[str]]) -> Document:
        """The entry at ``position`` as an owner with these folders per feed sees it."""


@dataclass
class Selection:
    """One rule evaluated over a batch for one owner: the postings, the owner's folders per feed."""

    batch: Postings
    scope: Mapping[int, Sequence[str]]
    ev: Evaluation

    def document(self, position: int) -> Document:
        return self.batch.document(position, self.scope)

    def check(self, node: Node, within: Iterable[int]) -> set[int]:
        """The positions whose entries ``node`` matches, each evaluated on its own."""
        return {i for i in sorted(within) if node.matches(self.document(i), self.ev)}


class Node:
    def matches(self, doc: Document, ev: Evaluation) -> bool:
        raise NotImplementedError

    def fields(self) -> set[str]:
        raise NotImplementedError

    def select(self, sel: Selection, within: set[int]) -> set[int]:
        """The positions among ``within`` whose entries match: what ``matches`` says of each.

        Set operations over the batch's postings wherever they give the exact answer, so that
        50 rules look at 10,000 entries without evaluating each pair.
        """
        return sel.check(self, within)

    def cost(self) -> int:
        """How dear ``select`` is (0: postings only): an ET narrows with its cheap parts first."""
        return 1

    def indexed_words(self) -> set[tuple[str, str]]:
        """The (field, token) pairs ``select`` will ask for: indexed once for a whole pass."""
        return set()


@dataclass
class Term(Node):
    fields_: tuple[str, ...]
    text: str  # as written, for messages
    words: tuple[str, ...] = ()  # normalised tokens (word or phrase)
    pattern: regex.Pattern[str] | None = None
    literal: str = ""  # case-folded text every match of ``pattern`` contains ("" if none is known)
    value: str = ""  # language code

    def matches(self, doc: Document, ev: Evaluation) -> bool:
        return any(self._match_field(doc, f, ev) for f in self.fields_)

    def _match_field(self, doc: Document, name: str, ev: Evaluation) -> bool:
        if name == "language":
            language = doc.language.lower()
            return language == self.value or language.startswith(self.value + "-")
        if self.pattern is not None:
            if self.literal and self.literal not in doc.folded(name):
                return False
            try:
                return self.pattern.search(doc.raw(name), timeout=REGEX_TIMEOUT_S) is not None
            except TimeoutError:
                ev.regex_timeouts += 1
                return False
        if len(self.words) == 1:
            return self.words[0] in doc.token_set(name)
        return f" {' '.join(self.words)} " in doc.joined(name)

    def fields(self) -> set[str]:
        return set(self.fields_)

    def _indexed(self) -> bool:
        return all(f in PREFILTER_FIELDS for f in self.fields_)

    def select(self, sel: Selection, within: set[int]) -> set[int]:
        if not within or not self._indexed() or not (self.words or self.literal):
            return sel.check(self, within)
        found: set[int] = set()
        for name in self.fields_:
            if self.literal:
                found |= sel.batch.containing(name, self.literal)
            else:
                found |= set.intersection(*(sel.batch.positions(name, word) for word in self.words))
        found &= within
        if len(self.words) == 1:  # the postings are the answer
            return found
        return sel.check(self, found)  # a phrase (its words in order) or a regular expression

    def cost(self) -> int:
        if self.pattern is not None:
            return 2 if self.literal and self._indexed() else 3
        return 0 if self._indexed() and len(self.words) == 1 else 1

    def indexed_words(self) -> set[tuple[str, str]]:
        if not self.words or not self._indexed():
            return set()
        return {(name, word) for name in self.fields_ for word in self.words}


@dataclass
class Not(Node):
    child: Node

    def matches(self, doc: Document, ev: Evaluation) -> bool:
        return not self.child.matches(doc, ev)

    def fields(self) -> set[str]:
        return self.child.fields()

    def select(self, sel: Selection, within: set[int]) -> set[int]:
        return within - self.child.select(sel, within)

    def cost(self) -> int:
        return self.child.cost()

    def indexed_words(self) -> set[tuple[str, str]]:
        return self.child.indexed_words()


@dataclass
class And(Node):
    children: list[Node] = field(default_factory=list)

    def matches(self, doc: Document, ev: Evaluation) -> bool:
        return all(c.matches(doc, ev) for c in self.children)

    def fields(self) -> set[str]:
        return set().union(*(c.fields() for c in self.children))

    def indexed_words(self) -> set[tuple[str, str]]:
        return set().union(*(c.indexed_words() for c in self.children))

    def select(self, sel: Selection, within: set[int]) -> set[int]:
        for child in sorted(self.children, key=Node.cost):  # the cheap parts narrow first
            if not within:
                break
            within = child.select(sel, within)
        return within

    def cost(self) -> int:
        return max(c.cost() for c in self.children)


@dataclass
class Or(Node):
    children: list[Node] = field(default_factory=list)

    def matches(self, doc: Document, ev: Evaluation) -> bool:
        return any(c.matches(doc, ev) for c in self.children)

    def fields(self) -> set[str]:
        return set().union(*(c.fields() for c in self.children))

    def indexed_words(self) -> set[tuple[str, str]]:
        return set().union(*(c.indexed_words() for c in self.children))

    def select(self, sel: Selection, within: set[int]) -> set[int]:
        found: set[int] = set()
        rest = within
        for child in sorted(self.children, key=Node.cost):  # the dear parts see what is left
            if not rest:
                break
            hit = child.select(sel, rest)
            found |= hit
            rest = rest - hit
        return found

    def cost(self) -> int:
        return max(c.cost() for c in self.children)


@dataclass(frozen=True)
class _Tok:
    kind: str  # word, phrase, regex, field, lparen, rparen, and, or, not, minus
    text: str
    pos: int


def _lex(query: str) -> list[_Tok]:
    out: list[_Tok] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        if ch.isspace():
            i += 1
        elif ch == "(":
            out.append(_Tok("lparen", ch, i))
            i += 1
        elif ch == ")":
            out.append(_Tok("rparen", ch, i))
            i += 1
        elif ch in PHRASE_QUOTES:
            close = query.find(PHRASE_QUOTES[ch], i + 1)
            if close < 0 and ch != '"':
                close = query.find('"', i + 1)
            if close < 0:
                raise UserError(
                    f"Guillemet ouvert sans guillemet fermant (position {i + 1})\u00a0: "
                    'fermez l’expression exacte, par exemple «\u00a0service client\u00a0» ou "service client".'
                )
            out.append(_Tok("phrase", query[i + 1 : close], i))
            i = close + 1
        elif ch == "/":
            j = i + 1
            while j < n and query[j] != "/":
                j += 2 if query[j] == "\\" else 1
            if j >= n:
                raise UserError(
                    "Expression régulière sans barre oblique fermante\u00a0: écrivez-la entre deux "
                    "barres, par exemple /t[ée]l[ée]phone/."
                )
            out.append(_Tok("regex", query[i + 1 : j], i))
            i = j + 1
        elif (
            ch == "-"
            and i + 1 < n
            and not query[i + 1].isspace()
            and (not out or query[i - 1].isspace() or query[i - 1] == "(")
        ):
            out.append(_Tok("minus", ch, i))
            i += 1
        else:
            j = i
            while j < n and not query[j].isspace() and query[j] not in _SPECIAL:
                j += 1
                if query[j - 1] == ":" and query[i : j - 1].lower() in FIELD_ALIASES:
                    break
            word = query[i:j]
            if word.endswith(":") and word[:-1].lower() in FIELD_ALIASES:
                out.append(_Tok("field", FIELD_ALIASES[word[:-1].lower()], i))
            elif word in AND_WORDS:
                out.append(_Tok("and", word, i))
            elif word in OR_WORDS:
                out.append(_Tok("or", word, i))
            elif word in NOT_WORDS:
                out.append(_Tok("not", word, i))
            else:
                out.append(_Tok("word", word, i))
            i = j
    return out


def compile_regex(pattern: str) -> regex.Pattern[str]:
    """A case-insensitive pattern, or a ``UserError`` saying what is wrong with it."""
    if not pattern:
        raise UserError("Expression régulière vide (//)\u00a0: écrivez un motif entre les barres.")
    if len(pattern) > MAX_REGEX_LENGTH:
        raise UserError(
            f"Expression régulière trop longue ({len(pattern)} caractères, {MAX_REGEX_LENGTH} au plus)\u00a0: "
            "simplifiez-la ou utilisez des mots et des «\u00a0expressions exactes\u00a0»."
        )
    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.UNICODE)
    except regex.error as exc:
        where = f" (position {exc.pos + 1})" if getattr(exc, "pos", None) is not None else ""
        raise UserError(
            f"L’expression régulière /{pattern}/ est invalide{where}\u00a0: {exc.msg}. "
            "Corrigez-la (pensez à échapper les caractères spéciaux avec \\) ou remplacez-la par des mots."
        ) from exc


_QUANTIFIER = re.compile(r"\{(\d*)(,\d*)?\}")


def required_literal(pattern: str) -> str:
    """The longest ASCII text every match of ``pattern`` contains, case-folded ("" if unsure).

    The regex pre-filter: an entry whose folded field lacks it is never searched. The pattern is
    read with the standard library's parser, so only patterns it reads the same way as ``regex``
    get one (none with ``regex``-only syntax such as fuzzy ``{e<=1}`` or ``\\p{L}``).
    """
    if "{" in _QUANTIFIER.sub("", pattern) or "[:" in pattern or "[[" in pattern:
        return ""  # fuzzy matching, \\p{…}, POSIX or nested sets: ``regex`` reads them otherwise
    try:
        parsed = sre_parse.parse(pattern, re.IGNORECASE)
    except (re.error, OverflowError, RecursionError):
        return ""
    best, run = "", []

    def walk(items: Iterable) -> None:
        nonlocal best, run
        for op, value in items:
            if op is sre_constants.LITERAL and value < 128:
                run.append(chr(value))
                continue
            if op is sre_constants.SUBPATTERN:  # a group is matched once, in sequence
                walk(value[3])
                continue
            if len(run) > len(best):
                best = "".join(run)
            run = []

    walk(parsed)
    if len(run) > len(best):
        best = "".join(run)
    return best.casefold()


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self) -> Node:
        node = self.or_expr(DEFAULT_FIELDS)
        tok = self.peek()
        if tok is not None:
            if tok.kind == "rparen":
                raise UserError(
                    f"Parenthèse fermante en trop (position {tok.pos + 1})\u00a0: retirez-la ou ouvrez-en une avant."
                )
            raise UserError(f"«\u00a0{tok.text}\u00a0» est mal placé (position {tok.pos + 1}).")
        return node

    def or_expr(self, fields: tuple[str, ...]) -> Node:
        children = [self.and_expr(fields)]
        while (tok := self.peek()) is not None and tok.kind == "or":
            self.take()
            children.append(self.and_expr(fields))
        return children[0] if len(children) == 1 else Or(children)

    def and_expr(self, fields: tuple[str, ...]) -> Node:
        children = [self.unary(fields)]
        while (tok := self.peek()) is not None and tok.kind not in ("or", "rparen"):
            if tok.kind == "and":
                self.take()
            children.append(self.unary(fields))
        return children[0] if len(children) == 1 else And(children)

    def unary(self, fields: tuple[str, ...]) -> Node:
        tok = self.peek()
        if tok is None:
            raise UserError(
                "La règle se termine trop tôt\u00a0: il manque un mot après le dernier opérateur."
            )
        if tok.kind in ("not", "minus"):
            self.take()
            return Not(self.unary(fields))
        return self.primary(fields)

    def primary(self, fields: tuple[str, ...]) -> Node:
        tok = self.take()
        if tok.kind == "field":
            if self.peek() is None:
                raise UserError(
                    f"Il manque ce qu’il faut chercher après «\u00a0{FIELD_LABELS[tok.text]}:\u00a0»."
                )
            return self.primary((tok.text,))
        if tok.kind == "lparen":
            node = self.or_expr(fields)
            close = self.peek()
            if close is None or close.kind != "rparen":
                raise UserError(
                    f"Parenthèse ouverte non fermée (position {tok.pos + 1})\u00a0: ajoutez «\u00a0)\u00a0»."
                )
            self.take()
            return node
        if tok.kind in ("and", "or", "rparen"):
            raise UserError(
                f"«\u00a0{tok.text}\u00a0» est mal placé (position {tok.pos + 1})\u00a0: un opérateur relie deux mots."
            )
        return _term(tok, fields)


def _term(tok: _Tok, fields: tuple[str, ...]) -> Term:
    if "language" in fields:
        if tok.kind == "regex":
            raise UserError(
                "Pas d’expression régulière pour «\u00a0langue:\u00a0»\u00a0: écrivez un code, par exemple langue:fr."
            )
        value = normalise_for_search(tok.text).replace(" ", "")
        return Term(fields, tok.text, value=LANGUAGE_NAMES.get(value, value[:8]))
    if tok.kind == "regex":
        return Term(
            fields, f"/{tok.text}/", pattern=compile_regex(tok.text), literal=required_literal(tok.text)
        )
    words = tuple(tokens(tok.text))
    if tok.kind == "phrase" and not tok.text.strip():
        raise UserError(
            f"Expression exacte vide (position {tok.pos + 1})\u00a0: écrivez des mots entre les guillemets, "
            "par exemple «\u00a0service client\u00a0»."
        )
    if not words:
        raise UserError(
            f"«\u00a0{tok.text}\u00a0» ne contient aucun mot cherchable (une lettre seule ou des signes)\u00a0: "
            "écrivez un mot d’au moins deux lettres."
        )
    return Term(fields, tok.text, words=words)


@dataclass
class CompiledQuery:
    text: str
    root: Node
    fields: frozenset[str]

    def matches(self, doc: Document, ev: Evaluation | None = None) -> bool:
        return self.root.matches(doc, ev or Evaluation())

    def select(
        self, batch: Postings, scope: Mapping[int, Sequence[str]], within: set[int], ev: Evaluation
    ) -> set[int]:
        """The positions among ``within`` whose entries match, for an owner with these folders."""
        return self.root.select(Selection(batch, scope, ev), within)

    def indexed_words(self) -> set[tuple[str, str]]:
        return self.root.indexed_words()


def _finds_something(node: Node) -> bool:
    """False for a rule made only of exclusions (it would match nearly everything)."""
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(_finds_something(c) for c in node.children)
    if isinstance(node, Or):
        return all(_finds_something(c) for c in node.children)
    return True


def compile_query(query: str) -> CompiledQuery:
    """Parse ``query`` into a matcher; a ``UserError`` in French says what to fix."""
    query = (query or "").strip()
    if not query:
        raise UserError(
            "La règle est vide\u00a0: écrivez au moins un mot, par exemple «\u00a0orange SAUF fruit\u00a0»."
        )
    if len(query) > MAX_QUERY_LENGTH:
        raise UserError(f"Règle trop longue ({len(query)} caractères, {MAX_QUERY_LENGTH} au plus).")
    root = _Parser(_lex(query)).parse()
    if not _finds_something(root):
        raise UserError("Une règle ne peut pas seulement exclure\u00a0: dites aussi ce qu’elle doit trouver.")
    return CompiledQuery(query, root, frozenset(root.fields()))
