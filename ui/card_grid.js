// The wall's cards, drawn in the browser from the data the page gives (ui/card_grid.py).
// Outside text reaches the page only as text (textContent); pictures and links only from the
// addresses the server already checked, and checked again here; a click is sent as an action
// queued until the server acknowledges it, so none is lost and none is applied twice.

const WEB = /^https?:\/\/[^\s"'<>\\]+$/i;
const PICTURE = /^(https?:\/\/[^\s"'<>\\]+|app\/static\/demo\/[\w.-]+\.svg)$/i;

// One tab's clicks: a token of its own and a sequence number per click; the server handles each
// number once and sends back the last it handled (``ack``), the rest is sent again.
const tab = { token: Math.random().toString(36).slice(2), seq: 0, pending: [] };
// The cards drawn, by entry, with the data they were drawn from: a run that changes one card
// (« Lu ») redraws that one; the others keep their elements, their pictures already loaded.
const drawn = new Map();

function node(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text) el.textContent = text;
  return el;
}

function button(label, action, entry, hint, icon) {
  const el = node("button", "atl-btn");
  el.type = "button";
  el.dataset.do = action;
  el.dataset.entry = String(entry);
  if (hint) el.title = hint;
  if (icon) {
    const glyph = node("span", "atl-icon", icon);
    glyph.setAttribute("aria-hidden", "true");
    el.append(glyph);
  }
  el.append(document.createTextNode(label));
  return el;
}

function link(name, url) {
  if (!WEB.test(url || "")) return node("span", "", name);
  const a = node("a", "", name);
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

function drawCard(card, help) {
  const box = node("article", "atl-card");
  if (card.img && PICTURE.test(card.img)) {
    const img = node("img", "atl-picture");
    img.src = card.img;
    img.alt = "";
    img.loading = "lazy";
    box.append(img);
  } else if (card.noimg) {
    box.append(node("p", "atl-meta", "Image indisponible"));
  }
  if (card.demo || card.highlight) {
    const badges = node("p", "atl-badges");
    if (card.demo) {
      const demo = node("span", "atl-badge atl-gray", help.mark);
      demo.title = help.text;
      badges.append(demo);
      const why = node("span", "atl-help", "?");
      why.title = help.text;
      why.tabIndex = 0;
      why.setAttribute("aria-label", help.text);
      badges.append(why);
    }
    if (card.highlight) badges.append(node("span", "atl-badge atl-orange", card.highlight));
    box.append(badges);
  }
  box.append(node("p", "atl-meta", card.meta));
  box.append(node("h3", "atl-title", card.title));
  if (card.snippet) box.append(node("p", "atl-snippet", card.snippet));
  if (card.sources && card.sources.length) {
    const details = node("details", "atl-sources");
    details.append(node("summary", "", "Toutes les sources"));
    const list = node("ul");
    for (const src of card.sources) {
      const item = node("li");
      item.append(link(src.name, src.url));
      list.append(item);
    }
    details.append(list);
    box.append(details);
  }
  if (card.tr) {
    const tr = node("div", "atl-translation");
    if (card.tr.title) tr.append(node("p", "atl-title", card.tr.title));
    if (card.tr.summary) tr.append(node("p", "atl-snippet", card.tr.summary));
    if (card.tr.note) tr.append(node("p", "atl-meta", card.tr.note));
    box.append(tr);
  }
  if (card.failure) box.append(node("p", "atl-failure", card.failure));
  const actions = node("div", "atl-actions");
  if (card.translate) actions.append(button("Traduire", "translate", card.id, "", "translate"));
  actions.append(button("Lire", "open", card.id, "", "chrome_reader_mode"));
  actions.append(
    card.read
      ? button("Non lu", "unread", card.id, "Marquer comme non lu", "mark_email_unread")
      : button("Lu", "read", card.id, "Marquer comme lu", "done"),
  );
  actions.append(
    card.saved
      ? button("Retirer", "unsave", card.id, "Ne plus garder", "bookmark_remove")
      : button("Garder", "save", card.id, "Enregistrer pour plus tard", "bookmark_add"),
  );
  actions.append(button("Épingler", "pin", card.id, "Dans mon tableau par défaut", "push_pin"));
  actions.append(
    button(
      "Choisir le tableau",
      "choose",
      card.id,
      "Épingler dans le tableau et la section de votre choix, avec une note",
      "dashboard_customize",
    ),
  );
  box.append(actions);
  return box;
}

export default function ({ data, parentElement, setTriggerValue }) {
  const send = () => setTriggerValue("action", { token: tab.token, actions: [...tab.pending] });
  if (data.token === tab.token) tab.pending = tab.pending.filter((a) => a.seq > data.ack);
  let wall = parentElement.querySelector(".atl-wall");
  if (!wall) {
    wall = node("div", "atl-wall");
    parentElement.append(wall);
  }
  const columns = [];
  for (let i = 0; i < data.columns; i++) columns.push(node("div", "atl-column"));
  const kept = new Map();
  data.cards.forEach((card, i) => {
    const json = JSON.stringify(card);
    const before = drawn.get(card.id);
    const box = before && before.json === json ? before.box : drawCard(card, data.help);
    kept.set(card.id, { json, box });
    columns[i % columns.length].append(box);
  });
  drawn.clear();
  kept.forEach((value, id) => drawn.set(id, value));
  wall.replaceChildren(...columns);
  wall.onclick = (event) => {
    const pressed = event.target.closest("button[data-do]");
    if (!pressed) return;
    tab.seq += 1;
    tab.pending.push({ seq: tab.seq, entry: Number(pressed.dataset.entry), do: pressed.dataset.do });
    send();
  };
  if (tab.pending.length) send(); // sent while the server was busy and merged away: sent again
}
