// The finder's questions, loaded only on the finder page. The page works without this script:
// it lists everything, grouped by who it is for. This script shows the questions, and shows the
// cards that fit the answers, exactly as the portal's Python does (content/finder.py:
// Answers.matches, Answers.unsure, Entitlement.fits). The answers stay in the address so that an
// adviser can share them; nothing is stored and nothing is sent.
// It is written short as well as plain: the finder is the site's heaviest first load
// (scripts/budget.py), and the copy a phone downloads is only stripped of comments and spaces.
(() => {
  const $ = (name) => document.getElementById(`portal-finder-${name}`);
  const [form, source, all, results, count, template] = ["form", "data", "all", "results", "count", "words"].map($);
  if (!(form && source && all && results && count && template)) return;
  const share = $("share");
  const data = JSON.parse(source.textContent);
  const words = template.content;
  const helping = form.querySelector('[data-question="helping"]');
  const age = form.elements.age;
  const NOT_SURE = "not-sure";
  // The page's published address: a shared result opens on the real site, whatever served this copy.
  const published = share?.getAttribute("href") || location.href.split(/[?#]/)[0];

  const chosen = (name) => form.querySelector(`[name="${name}"]:checked`)?.value || NOT_SURE;
  const answers = () => ({
    who: chosen("who"),
    helping: chosen("who") === data.professional ? chosen("helping") : NOT_SURE,
    age: age && age.value !== "" ? Number(age.value) : null,
    work: chosen("work"),
    nrpf: chosen("nrpf"),
  });
  // Answers.audience: whom the answers are about, or null for "not sure".
  const audienceOf = (given) => {
    const who = given.who === data.professional ? given.helping : given.who;
    return data.audiences.includes(who) ? who : null;
  };

  // Entitlement.fits with `lacks`: "not sure" rules nothing out.
  const fits = (entitlement, given) => {
    const audience = audienceOf(given), years = given.age, ages = entitlement.ages, conditions = entitlement.conditions;
    const lacks = new Set([...(data.work[given.work] || []), ...(data.nrpf[given.nrpf] || [])]);
    return (audience === null || entitlement.audience.includes(audience))
      && (years === null || !ages || (ages[0] <= years && years <= ages[1]))
      && !(lacks.size && conditions.length && conditions.every((c) => lacks.has(c)));
  };

  // Answers.unsure: the "Not sure" answers that could have ruled a shown card out.
  const unsure = (entitlement, given) => {
    const conditions = entitlement.conditions;
    const has = new Set(Object.entries(data.has).flatMap(([q, answers]) => answers[given[q]] || []));
    return [
      audienceOf(given) === null && !data.audiences.every((a) => entitlement.audience.includes(a)) && "who",
      given.age === null && entitlement.ages && "age",
      conditions.length && !conditions.some((c) => has.has(c))
        && Object.entries(data.asks).some(([q, asks]) => given[q] === NOT_SURE && conditions.some((c) => asks.includes(c)))
        && "conditions",
    ].filter(Boolean);
  };

  // The page's words (render/finder.py, result_words): the share link, and the sentence for each
  // reason, found by the facts it names.
  const copyOf = (selector) => words.querySelector(selector).cloneNode(true);
  const reason = (name, entitlement) => {
    const key = {who: entitlement.audience.join(" "), age: entitlement.ages?.join("-"),
                 conditions: entitlement.conditions.join(" ")}[name];
    return copyOf(`[data-unsure="${name}"][data-key="${key}"]`);
  };

  // A card from the full list, its heading one level up, as the results are one level up; then why it
  // is shown while an answer is "Not sure", before its player, and last a link to share it.
  const card = (entitlement, given) => {
    const copy = all.querySelector(`[data-entitlement="${entitlement.id}"]`).cloneNode(true);
    const heading = copy.querySelector(".portal-card__title");
    const raised = document.createElement("h3");
    for (const {name, value} of heading.attributes) raised.setAttribute(name, value);
    raised.append(...heading.childNodes);
    heading.replaceWith(raised);
    const player = copy.querySelector("[data-portal-player]");
    for (const name of unsure(entitlement, given)) copy.insertBefore(reason(name, entitlement), player);
    const link = copyOf(".portal-share");
    link.querySelector("a").href = raised.querySelector("a").getAttribute("href");
    copy.append(link);
    return copy;
  };

  const show = () => {
    const given = answers();
    helping.hidden = given.who !== data.professional;
    const shown = data.entitlements.filter((entitlement) => fits(entitlement, given));
    results.querySelector("ul").replaceChildren(...shown.map((entitlement) => card(entitlement, given)));
    count.textContent = shown.length
      ? count.dataset.count.replace("{count}", shown.length).replace("{total}", data.entitlements.length)
      : count.dataset.none;
    // Answers.query: what is "not sure" is left out.
    const search = new URLSearchParams(Object.entries(given).filter(([, v]) => v !== null && v !== NOT_SURE)).toString();
    const query = search ? `?${search}` : "";
    history.replaceState(null, "", location.pathname + query + location.hash);
    if (share) share.href = published + query;
  };

  // The address's answers, where they are ones the form offers; anything else is "not sure".
  const params = new URLSearchParams(location.search);
  // A link to one group of the full list (#for-care-leavers) answers "who" for the reader.
  const group = /^#for-([a-z-]+)$/.exec(location.hash);
  if (group && !params.has("who") && data.audiences.includes(group[1])) params.set("who", group[1]);
  for (const name of ["who", "helping", "work", "nrpf"]) {
    const input = form.querySelector(`[name="${name}"][value="${CSS.escape(params.get(name) || "")}"]`);
    if (input) input.checked = true;
  }
  const years = params.get("age") || "";
  if (age && /^[0-9]{1,3}$/.test(years)) {
    // The choices run from "under N" to "M or older": an age outside them gives the same results as the end one.
    const values = [...age.options].map((o) => o.value).filter((v) => v !== "").map(Number);
    age.value = String(Math.min(Math.max(Number(years), values[0]), values[values.length - 1]));
  }

  form.hidden = results.hidden = false;
  all.hidden = true;
  form.addEventListener("change", show);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", () => setTimeout(show));
  show();
})();
