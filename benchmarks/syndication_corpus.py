"""A harder labelled corpus for duplicate-story grouping, written after how syndication really looks.

    from benchmarks.syndication_corpus import generate
    docs = generate(6000, seed=7)

Each story is a set of facts (organisation, product, audience, three figures, a city, a date, a
person). Outlets carry it as real feeds do (issue 20):

- every outlet has its own link and GUID and publishes 0–30 h after the first one; it changes
  5–20 % of the words (synonyms, adverbs added, fillers dropped, sentence-opening markers), swaps
  two adjacent sentences or drops one, and keeps names and figures;
- titles: one in five unchanged, the others get synonym swaps, a clause moved to the front
  (« Pour les associations, X lance Y »), a prefix (« EXCLUSIF : », « INFO XY : », « Breaking: »,
  « Analysis: ») or a suffix (« | Outlet », « – Outlet »);
- each outlet has its boilerplate, the same in every one of its articles: a dateline, a fixed
  footer, « Lire aussi : <another headline> »;
- each outlet has its summary style: the whole text, the lead sentence, two sentences, a truncated
  lead, the title only, or the lead followed by « Lire la suite »;
- decoys: another story of the same organisation and product on the same title template (titles
  often 0.7 alike, sometimes identical), same topic, with other figures, places and dates;
- French and English; some stories are also told by an outlet of the other language with the same
  names and figures (``Doc.cross``: measured apart); each English title also has the French
  translation the translation memory would hold (``Doc.translated_title``).

Not the generator the grouping was first tuned on (``benchmarks/story_corpus.py``): other
vocabulary, sentence templates shared by decoys, boilerplate inside the text.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ORGS = [
    "Meta",
    "Decathlon",
    "LinkedIn",
    "Doctolib",
    "Vinted",
    "Canva",
    "Spotify",
    "Ubisoft",
    "Deezer",
    "Qonto",
    "Leboncoin",
    "BlaBlaCar",
    "Sephora",
    "Fnac",
    "Ikea",
    "Lidl",
    "Airbnb",
    "Uber",
    "Duolingo",
    "Shopify",
    "Notion",
    "Figma",
    "Slack",
    "Zoom",
    "Arte",
    "Orange",
    "SNCF",
    "Carrefour",
    "Renault",
    "Danone",
    "Pinterest",
    "Snapchat",
    "Twitch",
    "Discord",
    "Reddit",
    "Bluesky",
    "Mastodon",
    "Telegram",
    "Backmarket",
    "Alan",
    "Swile",
    "Ledger",
    "Mirakl",
    "Contentsquare",
    "Payfit",
    "Malt",
    "Welcome",
    "Lydia",
    "Sorare",
]
PRODUCTS = [
    "Studio",
    "Pulse",
    "Spark",
    "Atlas",
    "Nova",
    "Echo",
    "Orbit",
    "Prism",
    "Relay",
    "Beacon",
    "Canvas",
    "Compass",
    "Harbor",
    "Lumen",
    "Vista",
    "Forge",
    "Signal",
    "Bloom",
    "Kite",
    "Ember",
    "Quartz",
    "Tandem",
    "Mosaic",
    "Aurora",
]
FIRST = [
    "Camille",
    "Léa",
    "Hugo",
    "Nadia",
    "Karim",
    "Sophie",
    "Thomas",
    "Inès",
    "Julien",
    "Chloé",
    "Mehdi",
    "Laura",
    "Antoine",
    "Sarah",
    "Yanis",
    "Emma",
    "Lucas",
    "Amina",
    "Pierre",
    "Manon",
    "Olivier",
    "Fatou",
    "Bastien",
    "Clara",
    "Rachid",
    "Elodie",
    "Victor",
    "Salomé",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Lefèvre",
    "Moreau",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Chevalier",
    "Roussel",
    "Perrin",
    "Morel",
    "Girard",
    "Bonnet",
    "Mercier",
    "Lambert",
    "Fontaine",
    "Leroy",
    "Benali",
    "Diallo",
    "Nguyen",
    "Marchand",
    "Caron",
    "Renaud",
    "Barbier",
]
CITIES = [
    "Lyon",
    "Marseille",
    "Toulouse",
    "Nantes",
    "Lille",
    "Bordeaux",
    "Rennes",
    "Strasbourg",
    "Montpellier",
    "Grenoble",
    "Nice",
    "Dijon",
    "Brest",
    "Angers",
    "Tours",
    "Rouen",
    "Metz",
    "Caen",
    "Limoges",
    "Bruxelles",
    "Genève",
    "Montréal",
    "Liège",
    "Lausanne",
]

FR = {
    "audiences": [
        ("les associations", "nonprofits"),
        ("les petites entreprises", "small businesses"),
        ("les créateurs", "creators"),
        ("les écoles", "schools"),
        ("les artisans", "craftspeople"),
        ("les collectivités", "local authorities"),
        ("les indépendants", "freelancers"),
        ("les médias locaux", "local newsrooms"),
    ],
    "verbs": [
        ("lance", "launches"),
        ("ouvre", "opens"),
        ("étend", "expands"),
        ("teste", "tests"),
        ("rend gratuit", "makes free"),
        ("déploie", "rolls out"),
    ],
    "months": [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ],
    "titles": [
        "{org} {verb} {product} pour {audience}",
        "{org} {verb} {product} pour {audience} dans {n1} pays",
        "{org} {verb} son outil {product} pour {audience}",
    ],
    "lead": (
        "{org} {verb} {product}, un service destiné à {audience}, à {city} le {day} {month}, "
        "a annoncé l’entreprise dans un communiqué."
    ),
    "body": [
        "Le programme concerne d’abord {n1} structures de {f1} et doit s’étendre à tout le pays d’ici la fin de l’année.",
        "Selon {person}, {role} chez {org}, « la demande en {f2} a fortement augmenté depuis le printemps ».",
        "L’entreprise affirme avoir investi {n2} millions d’euros dans {f1}, soit une hausse de {p} % par rapport à l’an dernier.",
        "Les premiers retours sur {f3} sont jugés encourageants par les équipes, qui prévoient des ajustements de {f2}.",
        "Une période d’essai gratuite de {n3} jours est prévue pour {f3}.",
        "Plusieurs concurrents proposent déjà {f2}, mais à des tarifs plus élevés.",
        "Le service de {f3} sera accessible depuis l’application mobile comme depuis le site, précise le communiqué.",
        "Les données de {f1} resteront hébergées en Europe, assure la direction.",
    ],
    "roles": ["directrice produit", "directeur général", "responsable des partenariats", "porte-parole"],
    "synonyms": {
        "lance": "dévoile",
        "ouvre": "inaugure",
        "annoncé": "indiqué",
        "entreprise": "société",
        "communiqué": "message",
        "destiné": "réservé",
        "concerne": "vise",
        "fortement": "nettement",
        "augmenté": "progressé",
        "affirme": "assure",
        "investi": "consacré",
        "hausse": "progression",
        "retours": "avis",
        "jugés": "estimés",
        "encourageants": "prometteurs",
        "prévoient": "envisagent",
        "gratuite": "offerte",
        "nouveaux": "premiers",
        "comparables": "similaires",
        "élevés": "hauts",
        "accessible": "disponible",
        "précise": "indique",
        "hébergées": "stockées",
        "assure": "affirme",
        "outil": "service",
        "étendre": "élargir",
        "projet": "chantier",
    },
    "adverbs": ["notamment", "également", "désormais", "aussi", "d’ailleurs", "déjà", "ainsi"],
    "fillers": ["déjà", "aussi", "ainsi", "également"],
    "markers": ["Par ailleurs,", "En outre,", "De plus,", "Toujours est-il que", "À noter :"],
    "prefixes": ["EXCLUSIF :", "INFO {initials} :", "VIDÉO.", "DÉCRYPTAGE :"],
    "front": "Pour {audience}, {org} {verb} {product}",
    "read_more": "Lire la suite",
    "see_also": "Lire aussi : {headline}",
    "datelines": [
        "{city_upper} ({outlet}) –",
        "{outlet}, le {day}/{month_n} –",
        "Par la rédaction de {outlet} —",
    ],
    "footers": [
        "Cet article vous a été utile ? Abonnez-vous à la lettre de {outlet}, chaque matin dans votre boîte.",
        "© {outlet} {year}. Tous droits réservés. Reproduction interdite sans autorisation.",
        "Suivez {outlet} sur les réseaux sociaux et recevez nos alertes en temps réel.",
    ],
    "outlets": [
        "Le Média",
        "La Veille",
        "Le Blog du CM",
        "La Lettre Sociale",
        "Le Journal du Web",
        "La Gazette Numérique",
        "Le Fil Digital",
        "La Revue Com",
        "La Dépêche Tech",
        "La Loupe",
        "Le Quotidien du Net",
        "La Matinale",
        "Ouest Numérique",
        "Le Petit Connecté",
    ],
}
EN = {
    "titles": [
        "{org} {verb} {product} for {audience}",
        "{org} {verb} {product} for {audience} in {n1} countries",
        "{org} {verb} its {product} tool for {audience}",
    ],
    "months": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "September",
        "October",
        "November",
        "December",
    ],
    "lead": (
        "{org} {verb} {product}, a service built for {audience}, in {city} on {month} {day}, "
        "the company said in a statement."
    ),
    "body": [
        "The programme first covers {n1} {f1} organisations and should reach the whole country by the end of the year.",
        "According to {person}, {role} at {org}, \u201cdemand for {f2} has grown sharply since the spring\u201d.",
        "The company says it invested {n2} million euros in {f1}, up {p} % on last year.",
        "Early feedback on {f3} is described as encouraging by the team, which plans adjustments to {f2}.",
        "A free trial of {n3} days is offered for {f3}.",
        "Several competitors already offer {f2}, but at higher prices.",
        "The {f3} service will be available from the mobile app as well as the website, the statement says.",
        "Data from {f1} will stay hosted in Europe, management says.",
    ],
    "roles": ["head of product", "chief executive", "partnerships lead", "spokesperson"],
    "synonyms": {
        "launches": "unveils",
        "opens": "unlocks",
        "said": "stated",
        "company": "firm",
        "statement": "release",
        "built": "designed",
        "covers": "targets",
        "sharply": "strongly",
        "grown": "risen",
        "says": "states",
        "invested": "spent",
        "feedback": "reactions",
        "encouraging": "promising",
        "plans": "expects",
        "free": "complimentary",
        "offered": "available",
        "similar": "comparable",
        "higher": "steeper",
        "available": "accessible",
        "hosted": "stored",
        "tool": "service",
        "reach": "cover",
        "project": "initiative",
    },
    "adverbs": ["notably", "also", "now", "already", "still", "further"],
    "fillers": ["also", "already", "now", "still"],
    "markers": ["Meanwhile,", "In addition,", "Moreover,", "Notably,", "Separately,"],
    "prefixes": ["Breaking:", "Analysis:", "EXCLUSIVE:", "Report:"],
    "front": "For {audience}, {org} {verb} {product}",
    "read_more": "Read more",
    "see_also": "Read also: {headline}",
    "datelines": ["{city_upper} ({outlet}) —", "{outlet}, {month_n}/{day} —", "By the {outlet} newsroom —"],
    "footers": [
        "Found this useful? Subscribe to the {outlet} newsletter, in your inbox every morning.",
        "© {outlet} {year}. All rights reserved. Do not reproduce without permission.",
        "Follow {outlet} on social media and get our real-time alerts.",
    ],
    "outlets": [
        "The Social Times",
        "The Feed Report",
        "CM Weekly",
        "The Digital Wire",
        "Platform Post",
        "Creator Desk",
        "The Media Brief",
        "Web Ledger",
        "Growth Memo",
        "Brand Beat",
        "Network Daily",
        "The Signal",
    ],
}
FEATURES = [
    ("la messagerie", "messaging"),
    ("la facturation", "invoicing"),
    ("la prise de rendez-vous", "booking"),
    ("les paiements", "payments"),
    ("la gestion des stocks", "inventory"),
    ("le recrutement", "hiring"),
    ("la traduction", "translation"),
    ("les sondages", "polls"),
    ("la modération", "moderation"),
    ("les newsletters", "newsletters"),
    ("la billetterie", "ticketing"),
    ("les dons en ligne", "online giving"),
    ("la comptabilité", "bookkeeping"),
    ("le sous-titrage", "captioning"),
    ("les avis clients", "customer reviews"),
    ("la cartographie", "mapping"),
    ("les visioconférences", "video calls"),
    ("la signature électronique", "e-signatures"),
    ("le covoiturage", "car sharing"),
    ("les petites annonces", "classifieds"),
    ("la livraison", "delivery"),
    ("les formations", "training"),
    ("la cybersécurité", "cybersecurity"),
    ("les podcasts", "podcasts"),
    ("la photographie", "photography"),
    ("le bénévolat", "volunteering"),
    ("les réservations", "reservations"),
    ("la météo", "weather alerts"),
    ("le service client", "customer support"),
    ("les archives", "archives"),
]
STYLES = ("full", "full", "full", "lead", "two", "truncated", "title", "read_more")


@dataclass(frozen=True)
class Doc:
    entry_id: int
    feed_id: int
    story: int  # gold label
    family: int  # stories of one family are decoys of each other
    at: datetime
    title: str
    text: str
    lang: str
    link: str
    guid: str
    outlet: str  # the feed's name
    cross: bool = False  # told in the other language than the story's first outlet
    # The French translation of an English title, as the translation memory would hold it once someone
    # translated the wall's titles: the story's French title, reworded like a machine would.
    translated_title: str = ""


@dataclass
class _Outlet:
    feed_id: int
    name: str
    lang: str
    style: str
    dateline: str
    footer: str
    see_also: str  # the headline of « Lire aussi », fixed for the outlet
    see_also_first: bool  # after the first paragraph (else before the footer)


def _facts(rng: random.Random, base: dict | None = None) -> dict:
    """A story's facts; a decoy keeps organisation, product, audience and verb, not the rest."""
    facts = {
        "org": rng.choice(ORGS),
        "product": rng.choice(PRODUCTS),
        "audience_i": rng.randrange(len(FR["audiences"])),
        "verb_i": rng.randrange(len(FR["verbs"])),
        "title_i": rng.randrange(len(FR["titles"])),
        "n1": rng.randint(12, 480),
        "n2": rng.randint(2, 95),
        "n3": rng.randint(7, 60),
        "p": rng.randint(3, 80),
        "city": rng.choice(CITIES),
        "day": rng.randint(1, 28),
        "month_i": rng.randrange(11),
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "role_i": rng.randrange(4),
        "body": rng.sample(range(len(FR["body"])), rng.randint(4, 7)),
        "features": rng.sample(range(len(FEATURES)), 3),
    }
    if base is not None:
        for key in ("org", "product", "audience_i", "verb_i"):
            facts[key] = base[key]
        if rng.random() < 0.4:
            facts["title_i"] = base["title_i"]
        if rng.random() < 0.25:  # the same press-release skeleton, other figures
            facts["body"], facts["features"] = list(base["body"]), list(base["features"])
    return facts


def _told(facts: dict, bank: dict) -> tuple[str, list[str]]:
    """Title and sentences of the story in one language."""
    en = bank is EN
    values = {
        **facts,
        "audience": FR["audiences"][facts["audience_i"]][en],
        "verb": FR["verbs"][facts["verb_i"]][en],
        "month": bank["months"][facts["month_i"]],
        "role": bank["roles"][facts["role_i"]],
        **{f"f{k + 1}": FEATURES[i][en] for k, i in enumerate(facts["features"])},
    }
    title = bank["titles"][facts["title_i"]].format(**values)
    sentences = [bank["lead"].format(**values)] + [bank["body"][i].format(**values) for i in facts["body"]]
    return title, [s.replace(" à les ", " aux ") for s in sentences]


def _reword(rng: random.Random, sentence: str, bank: dict, rate: float) -> str:
    """5–20 % of the words changed; capitalised words and figures kept."""
    out = []
    for word in sentence.split():
        bare = word.strip(".,;:!?«»“”")
        keep = not bare or bare[0].isupper() or any(c.isdigit() for c in bare)
        r = rng.random()
        if keep or r >= rate:
            out.append(word)
        elif bare in bank["synonyms"]:
            out.append(word.replace(bare, bank["synonyms"][bare]))
        elif bare in bank["fillers"] or r < rate * 0.3:
            continue  # a filler or a minor word dropped
        else:
            out.extend([word, rng.choice(bank["adverbs"])])
    text = " ".join(out)
    if rng.random() < rate:
        first = text.split()[0]
        text = text if first in ORGS else text[0].lower() + text[1:]
        text = f"{rng.choice(bank['markers'])} {text}"
    return text


def _retitle(rng: random.Random, title: str, facts: dict, bank: dict, outlet: _Outlet) -> str:
    r = rng.random()
    if r < 0.2:
        return title
    if r < 0.45:  # synonym swaps
        return " ".join(bank["synonyms"].get(w, w) if rng.random() < 0.7 else w for w in title.split())
    if r < 0.6:
        en = bank is EN
        fronted = bank["front"].format(
            audience=FR["audiences"][facts["audience_i"]][en],
            org=facts["org"],
            verb=FR["verbs"][facts["verb_i"]][en],
            product=facts["product"],
        )
        return fronted[0].upper() + fronted[1:]
    if r < 0.8:
        initials = "".join(w[0] for w in outlet.name.split() if w[0].isupper())
        return f"{rng.choice(bank['prefixes']).format(initials=initials)} {title}"
    return f"{title} {rng.choice(['|', '–'])} {outlet.name}"


def _summary(rng: random.Random, sentences: list[str], outlet: _Outlet, bank: dict) -> str:
    style = outlet.style
    if style == "title":
        return ""
    if style == "lead":
        return sentences[0]
    if style == "two":
        return " ".join(sentences[:2])
    if style == "truncated":
        words = sentences[0].split()
        return " ".join(words[: max(6, int(len(words) * rng.uniform(0.5, 0.8)))]) + "…"
    if style == "read_more":
        return f"{sentences[0]} {bank['read_more']}"
    body = list(sentences)
    if body[1:] and outlet.see_also_first:
        body.insert(1, outlet.see_also)
    else:
        body.append(outlet.see_also)
    return " ".join([outlet.dateline, *body, outlet.footer])


def _outlets(rng: random.Random, headlines: dict[str, list[str]]) -> dict[str, list[_Outlet]]:
    result: dict[str, list[_Outlet]] = {}
    for lang, bank, base in (("fr", FR, 0), ("en", EN, 100)):
        result[lang] = []
        for i, name in enumerate(bank["outlets"]):
            dateline = rng.choice(bank["datelines"]).replace("{city_upper}", rng.choice(CITIES).upper())
            result[lang].append(
                _Outlet(
                    feed_id=base + i,
                    name=name,
                    lang=lang,
                    style=rng.choice(STYLES),
                    dateline=dateline,
                    footer=rng.choice(bank["footers"]).format(outlet=name, year=2026),
                    see_also=bank["see_also"].format(headline=rng.choice(headlines[lang])),
                    see_also_first=rng.random() < 0.5,
                )
            )
    return result


_MANY_PLACES = re.compile(r"\b(?:dans|in) (\d+) (?:pays|countries)\b")
_TOOL = re.compile(r"\b(?:son (?:outil|service)|its \w+ (?:tool|service))\b")
_FRONTED = re.compile(r"^(?:Pour|For) ")


def title_template(title: str) -> tuple[str, ...] | None:
    """The title template a cleaned title (outlet decorations removed) shows, read from its words as
    any reader could: « dans 120 pays » with its figure, « son outil » / « its … tool » (or their
    synonym « service »), or neither. None for a title whose clause was moved to the front
    (« Pour les associations, X lance Y »): every template then reads alike."""
    if _FRONTED.match(title):
        return None
    if places := _MANY_PLACES.search(title):
        return ("places", places.group(1))
    return ("tool",) if _TOOL.search(title) else ("plain",)


def _dateline(outlet: _Outlet, at: datetime) -> str:
    """The outlet's dateline; some carry the day of publication."""
    return outlet.dateline.format(outlet=outlet.name, day=at.day, month_n=f"{at.month:02d}")


def generate(
    n_docs: int, seed: int = 7, days: int = 60, decoy_rate: float = 0.25, cross_rate: float = 0.1
) -> list[Doc]:
    """About ``n_docs`` labelled documents over ``days`` days, sorted by time."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 1, tzinfo=UTC)
    headlines = {
        "fr": [_told(_facts(rng), FR)[0] for _ in range(40)],
        "en": [_told(_facts(rng), EN)[0] for _ in range(40)],
    }
    outlets = _outlets(rng, headlines)
    docs: list[Doc] = []
    families: list[tuple[dict, str, datetime, int]] = []  # stories that are not decoys themselves
    story = 0
    while len(docs) < n_docs:
        story += 1
        if families and rng.random() < decoy_rate:
            base, lang, base_at, family = rng.choice(families[-40:])
            facts = _facts(rng, base)
            at = base_at + timedelta(hours=rng.uniform(-48, 48))
        else:
            lang = "fr" if rng.random() < 0.6 else "en"
            facts, family = _facts(rng), story
            at = start + timedelta(seconds=rng.uniform(0, days * 86400))
            families.append((facts, lang, at, family))
        copies = rng.choices([1, 2, 3, 4, 5, 6], weights=[35, 25, 16, 11, 8, 5])[0]
        cross = copies > 1 and rng.random() < cross_rate
        for k in range(copies):
            told_in = ("en" if lang == "fr" else "fr") if cross and k == copies - 1 else lang
            bank = FR if told_in == "fr" else EN
            outlet = rng.choice(outlets[told_in])
            while any(d.feed_id == outlet.feed_id and d.story == story for d in docs[-6:]):
                outlet = rng.choice(outlets[told_in])
            title, sentences = _told(facts, bank)
            published = at + timedelta(hours=rng.uniform(0, 30) if k else 0)
            if k:
                rate = rng.uniform(0.05, 0.20)
                if len(sentences) > 3:
                    i = rng.randrange(1, len(sentences) - 1)
                    if rng.random() < 0.5:
                        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
                    else:
                        del sentences[i]
                sentences = [_reword(rng, s, bank, rate) for s in sentences]
            title = _retitle(rng, title, facts, bank, outlet)
            outlet_now = _Outlet(**{**outlet.__dict__, "dateline": _dateline(outlet, published)})
            entry_id = len(docs) + 1
            translated = ""
            if told_in == "en":  # its own generator: the corpus is the same with or without it
                translator = random.Random(f"{seed}:{entry_id}")
                translated = _reword(translator, _told(facts, FR)[0], FR, translator.uniform(0.05, 0.2))
            docs.append(
                Doc(
                    entry_id=entry_id,
                    feed_id=outlet.feed_id,
                    story=story,
                    family=family,
                    at=published,
                    title=title,
                    text=_summary(rng, sentences, outlet_now, bank),
                    lang=told_in,
                    link=f"https://outlet{outlet.feed_id}.example/{published:%Y/%m/%d}/{entry_id}",
                    guid=f"outlet{outlet.feed_id}:{entry_id}",
                    outlet=outlet.name,
                    cross=told_in != lang,
                    translated_title=translated,
                )
            )
    docs.sort(key=lambda d: (d.at, d.entry_id))
    return docs
