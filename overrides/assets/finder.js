// The finder's questions, loaded only on the finder page. The page works without this script:
// it lists everything, grouped by who it is for. This script shows the questions, and shows the
// cards that fit the answers, exactly as the portal's Python does (content/finder.py:
// Answers.matches, Entitlement.fits). The answers stay in the address so that an adviser can
// share them; nothing is stored and nothing is sent.
(() => {
  const form = document.getElementById("portal-finder-form");
  const source = document.getElementById("portal-finder-data");
  const all = document.getElementById("portal-finder-all");
  const results = document.getElementById("portal-finder-results");
  const count = document.getElementById("portal-finder-count");
  const share = document.getElementById("portal-finder-share");
  if (!form || !source || !all || !results || !count) return;
  const data = JSON.parse(source.textContent);
  const list = results.querySelector("ul");
  const helping = form.querySelector('[data-question="helping"]');
  const age = form.elements.namedItem("age");
  const NOT_SURE = "not-sure";
  // The page's published address: a shared result opens on the real site, whatever served this copy.
  const published = share && share.getAttribute("href") ? share.getAttribute("href") : location.href.split(/[?#]/)[0];

  const chosen = (name) => {
    const checked = form.querySelector(`input[name="${name}"]:checked`);
    return checked ? checked.value : NOT_SURE;
  };

  const answers = () => ({
    who: chosen("who"),
    helping: chosen("who") === data.professional ? chosen("helping") : NOT_SURE,
    age: age && age.value !== "" ? Number(age.value) : null,
    work: chosen("work"),
    nrpf: chosen("nrpf"),
  });

  // Entitlement.fits with `lacks`: None ("not sure") rules nothing out.
  const fits = (entitlement, audience, years, lacks) => {
    if (audience !== null && !entitlement.audience.includes(audience)) return false;
    if (years !== null && entitlement.ages && !(entitlement.ages[0] <= years && years <= entitlement.ages[1])) return false;
    if (lacks.size && entitlement.conditions.length && entitlement.conditions.every((c) => lacks.has(c))) return false;
    return true;
  };

  const audienceOf = (given) => {
    const who = given.who === data.professional ? given.helping : given.who;
    return data.audiences.includes(who) ? who : null;
  };

  const matches = (given) => {
    const lacks = new Set([...(data.work[given.work] || []), ...(data.nrpf[given.nrpf] || [])]);
    return data.entitlements.filter((e) => fits(e, audienceOf(given), given.age, lacks)).map((e) => e.id);
  };

  // Answers.unsure: the "Not sure" answers that could have ruled a shown card out.
  const unsure = (entitlement, given) => {
    const found = [];
    if (audienceOf(given) === null && !data.audiences.every((a) => entitlement.audience.includes(a))) found.push("who");
    if (given.age === null && entitlement.ages) found.push("age");
    const has = new Set(Object.entries(data.has).flatMap(([q, answers]) => answers[given[q]] || []));
    const conditions = entitlement.conditions;
    if (conditions.length && !conditions.some((c) => has.has(c))
        && Object.entries(data.asks).some(([q, asks]) => given[q] === NOT_SURE && conditions.some((c) => asks.includes(c)))) {
      found.push("conditions");
    }
    return found;
  };
  const byId = new Map(data.entitlements.map((e) => [e.id, e]));

  const query = (given) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(given)) {
      if (value !== null && value !== NOT_SURE) params.append(key, String(value));
    }
    return params.toString();
  };

  // A card from the full list, its heading one level up, as the results are one level up.
  const card = (id, given) => {
    const original = all.querySelector(`li[data-entitlement="${CSS.escape(id)}"]`);
    const copy = original.cloneNode(true);
    const heading = copy.querySelector(".portal-card__title");
    const raised = document.createElement("h3");
    for (const attribute of heading.attributes) raised.setAttribute(attribute.name, attribute.value);
    raised.append(...heading.childNodes);
    heading.replaceWith(raised);
    const reasons = unsure(byId.get(id), given);
    for (const line of copy.querySelectorAll("[data-unsure]")) line.hidden = !reasons.includes(line.dataset.unsure);
    return copy;
  };

  const show = () => {
    const given = answers();
    helping.hidden = given.who !== data.professional;
    const ids = matches(given);
    list.replaceChildren(...ids.map((id) => card(id, given)));
    const total = data.entitlements.length;
    count.textContent = ids.length
      ? count.dataset.count.replace("{count}", ids.length).replace("{total}", total)
      : count.dataset.none;
    const search = query(given);
    const address = location.pathname + (search ? `?${search}` : "") + location.hash;
    history.replaceState(null, "", address);
    if (share) share.href = published + (search ? `?${search}` : "");
  };

  // The address's answers, where they are ones the form offers; anything else is "not sure".
  const params = new URLSearchParams(location.search);
  // A link to one group of the full list (#for-care-leavers) answers "who" for the reader.
  const group = /^#for-([a-z-]+)$/.exec(location.hash);
  if (group && !params.has("who") && data.audiences.includes(group[1])) params.set("who", group[1]);
  for (const name of ["who", "helping", "work", "nrpf"]) {
    const input = form.querySelector(`input[name="${name}"][value="${CSS.escape(params.get(name) || "")}"]`);
    if (input) input.checked = true;
  }
  const years = params.get("age") || "";
  if (age && /^[0-9]{1,3}$/.test(years)) {
    // The choices run from "under N" to "M or older": an age outside them gives the same results as the end one.
    const values = [...age.options].map((o) => o.value).filter((v) => v !== "").map(Number);
    age.value = String(Math.min(Math.max(Number(years), values[0]), values[values.length - 1]));
  }

  form.hidden = false;
  results.hidden = false;
  all.hidden = true;
  form.addEventListener("change", show);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(show));
  show();
})();
