"""A labelled news-like corpus for duplicate-story grouping (French and English), reproducible by seed.

Each story is a set of facts (organisation, platform, action, object, figures, a person quoted, a
city, a day) written as a lead sentence plus body sentences. Outlets carry it with the hard cases
seen in real feeds: their own link, a reworded title (« EXCLUSIF : », « | Le Média »), 5–20 % of
the words changed, their own boilerplate, or only the lead. Hard negatives: « sibling » stories on
the same topic, with the same organisation, platform and a near-identical title, but other facts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

ORGS = [
    "Meta",
    "TikTok",
    "LinkedIn",
    "YouTube",
    "Snapchat",
    "Pinterest",
    "Bluesky",
    "Twitch",
    "Discord",
    "Reddit",
    "WhatsApp",
    "Spotify",
    "Canva",
    "Hootsuite",
    "Buffer",
    "Mastodon",
    "BeReal",
    "Telegram",
    "Google",
    "Microsoft",
    "OpenAI",
    "Amazon",
    "Netflix",
    "Decathlon",
    "Danone",
    "SNCF",
    "Orange",
    "Carrefour",
    "Renault",
    "Ubisoft",
    "Deezer",
    "Qonto",
    "Doctolib",
    "Leboncoin",
    "Vinted",
    "BlaBlaCar",
    "Free",
    "Sephora",
    "Fnac",
    "Ikea",
    "Lidl",
    "Nike",
    "Adidas",
    "Airbnb",
    "Uber",
    "Duolingo",
    "Shopify",
    "Mailchimp",
    "Notion",
    "Figma",
    "Slack",
    "Zoom",
    "Arte",
    "Radio-France",
]
PLATFORMS = [
    "Instagram",
    "Threads",
    "Facebook",
    "X",
    "TikTok",
    "YouTube",
    "LinkedIn",
    "Snapchat",
    "Pinterest",
    "Twitch",
    "Bluesky",
]
FIRST = [
    "Camille",
    "Léa",
    "Chloé",
    "Manon",
    "Inès",
    "Sarah",
    "Julie",
    "Emma",
    "Nora",
    "Lucie",
    "Hugo",
    "Louis",
    "Nathan",
    "Karim",
    "Yanis",
    "Théo",
    "Paul",
    "Marc",
    "Olivier",
    "Thomas",
    "Sophie",
    "Claire",
    "Anne",
    "Elodie",
    "Amina",
    "Fatou",
    "Jean",
    "Pierre",
    "Michel",
    "Laura",
    "Priya",
    "James",
    "Emily",
    "Daniel",
    "Olivia",
    "Noah",
    "Grace",
    "Samuel",
    "Hannah",
    "Lucas",
    "Mia",
]
LAST = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guerin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clement",
    "Gauthier",
    "Smith",
    "Johnson",
    "Brown",
    "Taylor",
    "Wilson",
    "Evans",
    "Walker",
    "Wright",
    "Green",
    "Hall",
    "Clarke",
    "Patel",
]
CITIES = [
    "Paris",
    "Lyon",
    "Marseille",
    "Lille",
    "Nantes",
    "Bordeaux",
    "Toulouse",
    "Rennes",
    "Strasbourg",
    "Montpellier",
    "Nice",
    "Grenoble",
    "Dijon",
    "Bruxelles",
    "Genève",
    "Montréal",
    "Londres",
    "Dublin",
    "Berlin",
    "Madrid",
    "Lisbonne",
    "Amsterdam",
    "Milan",
    "Barcelone",
]

FR = {
    "actions": [
        "lance",
        "teste",
        "supprime",
        "modifie",
        "étend",
        "suspend",
        "restreint",
        "dévoile",
        "généralise",
        "interdit",
        "rend payante",
        "remplace",
        "déploie",
        "abandonne",
        "repense",
    ],
    "objects": [
        "la programmation des publications",
        "les statistiques des comptes professionnels",
        "la rémunération des créateurs",
        "les messages privés des marques",
        "les publicités ciblées",
        "la modération automatique des commentaires",
        "les vidéos courtes",
        "les abonnements payants",
        "les badges de vérification",
        "les lives shopping",
        "les outils d’analyse d’audience",
        "les filtres de réalité augmentée",
        "les sondages en story",
        "les collaborations avec les influenceurs",
        "le fil chronologique",
        "les groupes communautaires",
        "les résumés générés par l’IA",
        "les publications sponsorisées",
        "les partenariats rémunérés",
        "les notifications",
    ],
    "topics": {
        "algorithme": "algorithme portée visibilité recommandations fil classement audience engagement",
        "publicite": "annonceurs campagnes budget ciblage enchères coût conversions marques",
        "moderation": "modération signalements comptes suppression haine harcèlement règles sanctions",
        "createurs": "créateurs influenceurs revenus partenariats audience abonnés contenus collaborations",
        "donnees": "données confidentialité consentement régulateur amende RGPD cookies vie-privée",
        "ia": "intelligence artificielle génération images textes outils assistants automatisation",
        "video": "vidéo format courte verticale live diffusion montage sous-titres",
        "emploi": "recrutement postes salaires agences freelances formation compétences métier",
    },
    "lead": [
        "{org} {action} {object} sur {platform} en {country}, a annoncé l’entreprise {day} dans un communiqué.",
        "L’entreprise {org} {action} {object} sur {platform} en {country} à partir de {day}, selon ses équipes.",
        "{day}, {org} a confirmé qu’elle {action} {object} sur {platform} pour ses utilisateurs en {country}.",
    ],
    "roles": [
        "directrice produit",
        "responsable des partenariats",
        "vice-président",
        "directeur France",
        "cheffe de projet",
        "responsable de la communication",
    ],
    "days": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre"],
    "prefixes": ["EXCLUSIF :", "INFO :", "VIDÉO.", "[ANALYSE]", "DÉCRYPTAGE -", "Révélation :"],
    "boiler_pre": [
        "Par la rédaction de {outlet}.",
        "Publié par {outlet} — temps de lecture : {n} min.",
        "{outlet} | Actualité du numérique.",
    ],
    "boiler_post": [
        "Abonnez-vous à la newsletter de {outlet} pour ne rien manquer de l’actualité des réseaux sociaux.",
        "Retrouvez toutes nos analyses sur le site de {outlet} et suivez-nous sur nos réseaux.",
        "Cet article vous a plu ? Partagez-le et soutenez le journalisme indépendant de {outlet}.",
    ],
    "synonyms": {
        "annoncé": "indiqué",
        "entreprise": "société",
        "communiqué": "message",
        "utilisateurs": "internautes",
        "hausse": "progression",
        "agences": "sociétés",
        "estiment": "pensent",
        "changer": "évoluer",
        "précise": "indique",
        "concernés": "touchés",
        "étude": "enquête",
        "publiée": "diffusée",
        "marques": "annonceurs",
        "utilisent": "exploitent",
        "juge": "trouve",
        "prévoit": "envisage",
        "progressif": "graduel",
        "pourront": "auront la possibilité de",
        "désactiver": "couper",
        "recul": "baisse",
        "souhaité": "voulu",
        "montant": "coût",
        "lors": "au cours",
        "organisée": "tenue",
        "professionnels": "spécialistes",
        "confirmé": "assuré",
        "équipes": "salariés",
        "demande": "attente",
        "forte": "importante",
        "premiers": "tout premiers",
        "déjà": "aujourd’hui",
    },
    "filler": [
        "notamment",
        "également",
        "ainsi",
        "désormais",
        "toutefois",
        "cependant",
        "d’ailleurs",
        "encore",
        "vraiment",
        "aussi",
    ],
}
EN = {
    "actions": [
        "launches",
        "tests",
        "removes",
        "changes",
        "expands",
        "pauses",
        "restricts",
        "unveils",
        "rolls out",
        "bans",
        "starts charging for",
        "replaces",
        "deploys",
        "drops",
        "rethinks",
    ],
    "objects": [
        "post scheduling",
        "business account insights",
        "creator payouts",
        "brand direct messages",
        "targeted ads",
        "automated comment moderation",
        "short videos",
        "paid subscriptions",
        "verification badges",
        "live shopping",
        "audience analytics tools",
        "augmented reality filters",
        "story polls",
        "influencer collaborations",
        "the chronological feed",
        "community groups",
        "AI-generated summaries",
        "sponsored posts",
        "paid partnerships",
        "notifications",
    ],
    "topics": {
        "algorithm": "algorithm reach visibility recommendations feed ranking audience engagement",
        "ads": "advertisers campaigns budget targeting auctions cost conversions brands",
        "moderation": "moderation reports accounts removal hate harassment rules penalties",
        "creators": "creators influencers income partnerships audience followers content collaborations",
        "data": "data privacy consent regulator fine GDPR cookies tracking",
        "ai": "artificial intelligence generation images text tools assistants automation",
        "video": "video format short vertical live streaming editing captions",
        "jobs": "hiring roles salaries agencies freelancers training skills careers",
    },
    "lead": [
        "{org} {action} {object} on {platform} in {country}, the company said on {day} in a statement.",
        "{org} is set to {action_base} {object} on {platform} in {country} from {day}, according to its team.",
        "On {day}, {org} confirmed it {action} {object} on {platform} for its users in {country}.",
    ],
    "roles": [
        "head of product",
        "partnerships lead",
        "vice president",
        "country manager",
        "project lead",
        "communications director",
    ],
    "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "months": ["January", "February", "March", "April", "May", "June", "July", "September", "October"],
    "prefixes": ["EXCLUSIVE:", "BREAKING:", "WATCH:", "[ANALYSIS]", "Report:", "Scoop:"],
    "boiler_pre": [
        "By the {outlet} newsroom.",
        "{outlet} — {n} min read.",
        "{outlet} | Tech and social media.",
    ],
    "boiler_post": [
        "Sign up for the {outlet} newsletter to get the latest social media news in your inbox.",
        "Read all our analysis on the {outlet} website and follow us on social networks.",
        "Enjoyed this article? Share it and support independent journalism at {outlet}.",
    ],
    "synonyms": {
        "said": "stated",
        "company": "firm",
        "statement": "release",
        "users": "members",
        "rise": "increase",
        "agencies": "firms",
        "expect": "believe",
        "change": "shift",
        "says": "states",
        "affected": "impacted",
        "study": "survey",
        "published": "released",
        "brands": "advertisers",
        "already": "currently",
        "called": "described",
        "includes": "plans",
        "gradual": "progressive",
        "switch": "turn",
        "drop": "decline",
        "declined": "refused",
        "size": "amount",
        "held": "organised",
        "professionals": "specialists",
        "confirmed": "announced",
        "strong": "clear",
        "early": "initial",
    },
    "filler": ["notably", "also", "now", "however", "still", "indeed", "really", "further", "meanwhile"],
}
FR["parts"] = {
    "opener": [
        "Selon {person},",
        "D’après {agency},",
        "À {city},",
        "Depuis {month},",
        "En {country},",
        "",
        "Pour {person2},",
        "Dans un entretien, {person} rappelle que",
        "",
        "Fait notable,",
        "Comme en {country},",
        "Au dernier trimestre,",
        "Lors d’un salon à {city},",
    ],
    "subject": [
        "les équipes de {org}",
        "{n} comptes professionnels",
        "les annonceurs de {country}",
        "la filiale de {org} en {country}",
        "les créateurs en {language}",
        "les petites entreprises",
        "les agences de {city}",
        "{n} marques",
        "les modérateurs",
        "les utilisateurs de {platform}",
        "les community managers",
        "les médias en {language}",
        "les clients payant en {currency}",
    ],
    "verb": [
        "observent",
        "ont constaté",
        "pourront tester",
        "devront adapter",
        "réclament",
        "anticipent",
        "redoutent",
        "ont obtenu",
        "signalent",
        "mesurent",
        "ont perdu",
        "négocient",
        "contestent",
    ],
    "complement": [
        "une hausse de {p} % de leur {topic}",
        "un tableau de bord dédié au {topic}",
        "des frais de {n} {currency}",
        "un recul de {p} % sur le {topic}",
        "des règles plus strictes pour le {topic}",
        "une enveloppe de {n} millions en {currency}",
        "un accès anticipé pour {n} comptes en {country}",
        "la traduction automatique en {language}",
        "une baisse de {p} % des signalements en {country}",
        "un partenariat avec {agency}",
        "des contenus sous-titrés en {language}",
        "un délai de {n} jours pour le {topic}",
    ],
}
EN["parts"] = {
    "opener": [
        "According to {person},",
        "{agency} says",
        "In {city},",
        "Since {month},",
        "In {country},",
        "",
        "For {person2},",
        "In an interview, {person} noted that",
        "",
        "Notably,",
        "As in {country},",
        "Last quarter,",
        "At a trade show in {city},",
    ],
    "subject": [
        "teams at {org}",
        "{n} business accounts",
        "advertisers in {country}",
        "{org}'s unit in {country}",
        "creators writing in {language}",
        "small businesses",
        "agencies in {city}",
        "{n} brands",
        "moderators",
        "{platform} users",
        "community managers",
        "outlets publishing in {language}",
        "customers paying in {currency}",
    ],
    "verb": [
        "report",
        "have seen",
        "will be able to test",
        "will have to adapt",
        "are asking for",
        "expect",
        "fear",
        "have secured",
        "point to",
        "measure",
        "have lost",
        "are negotiating",
        "dispute",
    ],
    "complement": [
        "a {p} % rise in {topic}",
        "a dashboard dedicated to {topic}",
        "fees of {n} {currency}",
        "a {p} % drop in {topic}",
        "stricter rules for {topic}",
        "a budget of {n} million {currency}",
        "early access for {n} accounts in {country}",
        "automatic translation into {language}",
        "a {p} % fall in reports in {country}",
        "a partnership with {agency}",
        "videos captioned in {language}",
        "a {n}-day deadline for {topic}",
    ],
}


def _pools(locale: str) -> dict[str, list[str]]:
    from babel import Locale

    loc = Locale(locale)
    clean = lambda values: [v for v in values if "(" not in v and len(v) < 30]  # noqa: E731
    return {
        "country": clean(loc.territories.values()),
        "language": clean(loc.languages.values()),
        "currency": clean(loc.currencies.values()),
    }


FR["pools"], EN["pools"] = _pools("fr"), _pools("en")
SLOGANS = [
    "L’info qui compte, chaque matin.",
    "Décrypter le web depuis 2009.",
    "Independent since day one.",
    "Votre dose quotidienne de social media.",
    "News for people who build communities.",
    "Le média des métiers du numérique.",
    "Tech, brands and culture.",
    "Chaque semaine, l’essentiel.",
    "Signal over noise.",
    "Toute l’actualité des plateformes.",
    "Made by marketers, for marketers.",
    "La veille sans le bruit.",
    "Growth stories that matter.",
    "Les coulisses des réseaux.",
    "Where creators read first.",
    "Des analyses, pas des rumeurs.",
    "Built for busy strategists.",
    "L’œil sur les tendances.",
    "The feed behind the feeds.",
    "Comprendre avant de publier.",
    "All the platforms, one newsletter.",
    "Une rédaction, zéro publicité.",
    "Clear takes on social media.",
    "Le rendez-vous des CM.",
]
AGENCIES = [
    "Médiamétrie",
    "Kantar",
    "Ipsos",
    "Hootsuite",
    "We Are Social",
    "Statista",
    "Ifop",
    "Pew Research",
]
OUTLETS_FR = [
    f"{a} {b}"
    for a in ("Le", "La")
    for b in (
        "Média",
        "Veille",
        "Blog du CM",
        "Lettre Sociale",
        "Journal du Web",
        "Gazette Numérique",
        "Fil Digital",
        "Revue Com",
        "Dépêche Tech",
        "Loupe",
        "Quotidien du Net",
        "Matinale",
    )
]
OUTLETS_EN = [
    f"The {b}"
    for b in (
        "Social Times",
        "Feed Report",
        "CM Weekly",
        "Digital Wire",
        "Platform Post",
        "Creator Desk",
        "Media Brief",
        "Web Ledger",
        "Growth Memo",
        "Brand Beat",
        "Network Daily",
        "Signal",
    )
]


@dataclass(frozen=True)
class Doc:
    entry_id: int
    feed_id: int
    story: int  # gold label
    at: datetime
    title: str
    text: str
    lang: str
    outlet: str = ""  # the feed's name


def _frame(rng: random.Random, bank: dict, base: dict | None = None) -> dict:
    """The facts of one story; a sibling keeps organisation, platform and topic but not the rest."""
    frame = {
        "org": rng.choice(ORGS),
        "platform": rng.choice(PLATFORMS),
        "topic": base["topic"] if base else rng.choice(list(bank["topics"])),
        "action_i": rng.randrange(len(bank["actions"])),
        "object": rng.choice(bank["objects"]),
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "person2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "role": rng.choice(bank["roles"]),
        "city": rng.choice(CITIES),
        "agency": rng.choice(AGENCIES),
        "day": rng.choice(bank["days"]),
        "month": rng.choice(bank["months"]),
    }
    if base:  # same organisation, platform and object, another action: a near-identical title
        for key in ("org", "platform", "object"):
            frame[key] = base[key]
        frame["action_i"] = rng.choice([i for i in range(len(bank["actions"])) if i != base["action_i"]])
    action = bank["actions"][frame["action_i"]]
    frame["action"] = action
    frame["action_base"] = {"launches": "launch", "tests": "test", "removes": "remove"}.get(action, action)
    frame["lead_i"] = rng.randrange(len(bank["lead"]))
    frame["country"] = rng.choice(bank["pools"]["country"])
    frame["body"] = [_sentence(rng, bank, frame) for _ in range(rng.randint(4, 7))]
    return frame


def _sentence(rng: random.Random, bank: dict, frame: dict) -> str:
    """One body sentence: stock parts, fresh facts (figures, places, people, languages)."""
    parts = bank["parts"]
    topic_words = bank["topics"][frame["topic"]].split()
    facts = {
        **frame,
        "n": rng.randint(2, 9000),
        "p": rng.randint(2, 90),
        "topic": rng.choice(topic_words),
        "country": rng.choice(bank["pools"]["country"]),
        "language": rng.choice(bank["pools"]["language"]),
        "currency": rng.choice(bank["pools"]["currency"]),
        "city": rng.choice(CITIES),
        "person": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "person2": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "agency": rng.choice(AGENCIES),
    }
    words = [rng.choice(parts[k]) for k in ("opener", "subject", "verb", "complement")]
    text = " ".join(w for w in words if w).format(**facts)
    if rng.random() < 0.3:
        text += ", " + rng.choice(parts["complement"]).format(**{**facts, "n": rng.randint(2, 900)})
    return text[0].upper() + text[1:] + "."


def _write(frame: dict, bank: dict) -> tuple[str, list[str]]:
    title = f"{frame['org']} {frame['action']} {frame['object']} sur {frame['platform']}"
    if bank is EN:
        title = f"{frame['org']} {frame['action']} {frame['object']} on {frame['platform']}"
    sentences = [bank["lead"][frame["lead_i"]].format(**frame), *frame["body"]]
    return title[0].upper() + title[1:], sentences


def _perturb(rng: random.Random, text: str, bank: dict, rate: float) -> str:
    words = text.split()
    out = []
    for word in words:
        r = rng.random()
        bare = word.strip(".,;:!?«»“”")
        if r < rate * 0.55 and bare in bank["synonyms"]:
            out.append(word.replace(bare, bank["synonyms"][bare]))
        elif r < rate * 0.75:
            continue  # dropped
        elif r < rate:
            out.extend([word, rng.choice(bank["filler"])])  # inserted
        else:
            out.append(word)
    return " ".join(out)


def generate(n_docs: int, seed: int = 1, days: int = 60, sibling_rate: float = 0.35) -> list[Doc]:
    """About ``n_docs`` labelled documents over ``days`` days, sorted by time."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    docs: list[Doc] = []
    story = 0
    frames: list[tuple[dict, dict, datetime]] = []
    while len(docs) < n_docs:
        bank = FR if rng.random() < 0.6 else EN
        sibling = frames and rng.random() < sibling_rate
        if sibling:
            base, base_bank, base_at = rng.choice(frames[-50:])
            bank = base_bank
            frame = _frame(rng, bank, base)
            at = base_at + timedelta(hours=rng.uniform(-30, 30))
        else:
            frame = _frame(rng, bank)
            at = start + timedelta(seconds=rng.uniform(0, days * 86400))
        frames.append((frame, bank, at))
        story += 1
        title, sentences = _write(frame, bank)
        outlets = OUTLETS_FR if bank is FR else OUTLETS_EN
        copies = rng.choices([1, 2, 3, 4, 5, 6], weights=[45, 22, 14, 9, 6, 4])[0]
        for k, outlet_i in enumerate(rng.sample(range(len(outlets)), copies)):
            outlet = outlets[outlet_i]
            feed_id = outlet_i + (0 if bank is FR else 100)
            body = list(sentences)
            t = title
            if k > 0:
                rate = rng.uniform(0.05, 0.20)
                if rng.random() < 0.25:
                    body = body[: rng.randint(1, 2)]  # lead only
                elif rng.random() < 0.4:
                    tail = body[1:]
                    rng.shuffle(tail)
                    body = body[:1] + tail
                body = [_perturb(rng, s, bank, rate) for s in body]
                t = _perturb(rng, t, bank, rate)
                if rng.random() < 0.35:
                    t = f"{rng.choice(bank['prefixes'])} {t}"
            if rng.random() < 0.5:
                t = f"{t} | {outlet}"
            if rng.random() < 0.7:  # every outlet has its own boilerplate
                pre = bank["boiler_pre"][outlet_i % 3].format(outlet=outlet, n=rng.randint(2, 9))
                post = bank["boiler_post"][outlet_i // 8].format(outlet=outlet) + " " + SLOGANS[outlet_i]
                body = [pre, *body, post] if outlet_i % 2 else [*body, post]
            docs.append(
                Doc(
                    entry_id=len(docs) + 1,
                    feed_id=feed_id,
                    story=story,
                    at=at + timedelta(hours=rng.uniform(0, 30) if k else 0),
                    title=t,
                    text=" ".join(body),
                    lang="fr" if bank is FR else "en",
                    outlet=outlet,
                )
            )
    docs.sort(key=lambda d: (d.at, d.entry_id))
    return docs
