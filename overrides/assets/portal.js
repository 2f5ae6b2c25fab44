// The portal's own script, loaded in <head>; Material's bundle waits for the reader (job 5).

// 1. Fetch the search index only when the reader starts a search. Material loads it on
//    every page view; on pay-as-you-go data that is the heaviest file most readers never use.
(() => {
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  const waiting = [];
  let wanted = new URLSearchParams(location.search).has("q");
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.portalSearchIndex = /\/search\/search_index\.json$/.test(String(url));
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (...args) {
    if (this.portalSearchIndex && !wanted) {
      waiting.push(() => send.apply(this, args));
      return undefined;
    }
    return send.apply(this, args);
  };
  const want = () => {
    wanted = true;
    waiting.splice(0).forEach((go) => go());
  };
  const inSearch = (target) => target instanceof Element && target.closest('.md-search, label[for="__search"]');
  document.addEventListener("focusin", (event) => inSearch(event.target) && want());
  document.addEventListener("click", (event) => inSearch(event.target) && want());
  document.addEventListener("keydown", (event) => ["/", "s", "f"].includes(event.key) && want());  // Material's shortcuts
})();

// 2. Share controls: the phone's share sheet where there is one, else copy the link; say which
//    it did in the page's status message. Without JavaScript the links still work and can be copied.
document.addEventListener("click", async (event) => {
  const link = event.target instanceof Element && event.target.closest("a[data-portal-share]");
  const status = document.getElementById("portal-share-status");
  if (!link || !status) return;
  const url = link.href;
  try {
    if (navigator.share) {
      event.preventDefault();
      await navigator.share({ title: document.title, url });
      status.textContent = status.dataset.opened;
    } else if (navigator.clipboard && window.isSecureContext) {
      event.preventDefault();
      await navigator.clipboard.writeText(url);
      status.textContent = status.dataset.copied;
    }
  } catch (error) {
    if (error.name !== "AbortError") status.textContent = status.dataset.failed;
  }
});

// 3. Audio speeds: each player's speed buttons (0.75x, 1x, 1.25x) are shown only once this script
//    runs (the class below; see portal.css), so a reader without JavaScript sees only the native
//    controls, which still play. A press sets that player's playbackRate and which button is
//    pressed; players added later (the finder's cards) work the same way.
document.documentElement.classList.add("portal-js");
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("button[data-portal-speed]");
  const player = button && button.closest("[data-portal-player]");
  const audio = player && player.querySelector("audio");
  if (!audio) return;
  const rate = Number(button.dataset.portalSpeed);
  audio.defaultPlaybackRate = rate;  // kept when the clip (re)loads
  audio.playbackRate = rate;
  player.querySelectorAll("button[data-portal-speed]").forEach((other) => {
    other.setAttribute("aria-pressed", String(other === button));
  });
});

// An entitlement's player carries only the word for "Speed" (data-portal-speed-label); its buttons are
// made here, the same as the page player's (overrides/partials/portal-speed.html), before the finder
// copies its cards and again for any player still without them.
const addSpeeds = (root) => root.querySelectorAll("[data-portal-speed-label]").forEach((player) => {
  if (player.querySelector(".portal-speed")) return;
  const label = player.dataset.portalSpeedLabel;
  const group = document.createElement("div");
  group.className = "portal-speed";
  group.setAttribute("role", "group");
  group.setAttribute("aria-label", label);
  const shown = document.createElement("span");
  shown.className = "portal-speed__label";
  shown.setAttribute("aria-hidden", "true");
  shown.textContent = `${label}:`;
  group.append(shown, " ");
  ["0.75", "1", "1.25"].forEach((speed) => {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "portal-speed__button";
    button.dataset.portalSpeed = speed;
    button.setAttribute("aria-pressed", String(speed === "1"));
    button.textContent = `${speed}×`;
    group.append(button);
  });
  player.append(group);
});
document.addEventListener("readystatechange", () => document.readyState === "interactive" && addSpeeds(document));
document.addEventListener("DOMContentLoaded", () => addSpeeds(document));

// The page's compact player ("▶ Listen · 3 min", a <details>): opening it starts the clip, closing it
// pauses it. Without this script the same press opens the native controls, which play.
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (!(details instanceof HTMLDetailsElement) || !details.hasAttribute("data-portal-listen")) return;
  const audio = details.querySelector("audio");
  if (!audio) return;
  if (details.open) audio.play().catch(() => {});
  else audio.pause();
}, true);

// 4. Offline use: register the portal's service worker (sw.js, made by scripts/portal/publish/offline.py)
//    after the page has loaded, and show "Save this language for offline use". Where offline use is
//    switched off, remove a worker an earlier visit installed. Without service workers nothing runs.
(() => {
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  const worker = new URL(script.dataset.worker, location.href).href;
  if (script.dataset.offline === "off") {
    navigator.serviceWorker.getRegistrations().then((registrations) => registrations
      .filter((registration) => [registration.active, registration.waiting, registration.installing]
        .some((one) => one && one.scriptURL === worker))
      .forEach((registration) => registration.unregister()));
    if (window.caches) caches.keys().then((names) => names.filter((name) => name.startsWith("portal-"))
      .forEach((name) => caches.delete(name)));
    return;
  }
  let refused = false;  // a browser that has service workers but may not use them (private windows)
  window.addEventListener("load", () => navigator.serviceWorker.register(worker).catch(() => {
    refused = true;
    const control = document.querySelector("[data-portal-offline]");
    if (control) control.hidden = true;
  }));
  document.addEventListener("DOMContentLoaded", () => {  // once: job 5 sends the event again for Material
    const control = document.querySelector("[data-portal-offline]");
    if (!control || refused) return;
    const button = control.querySelector("[data-portal-offline-save]");
    const audio = control.querySelector("[data-portal-offline-audio]");
    const status = control.querySelector("[data-portal-offline-status]");
    const audioChoice = control.querySelector("[data-audio-bytes]");
    if (Number(audioChoice.dataset.audioBytes) > 0) audioChoice.hidden = false;
    // The build put each size beside its sentence; <bdi> keeps "1.2 MB" whole in right-to-left text.
    control.querySelectorAll("[data-portal-offline-size]").forEach((sentence) => {
      const [before, after = ""] = sentence.dataset.text.split("{size}");
      const size = document.createElement("bdi");
      size.textContent = sentence.dataset.size;
      sentence.replaceChildren(before, size, after);
    });
    control.hidden = false;
    let shown = -1;
    navigator.serviceWorker.addEventListener("message", (event) => {
      const message = event.data || {};  // the worker answers only the page that asked
      if (message.type === "progress") {
        // A few steps, not every file: a screen reader reads each change aloud.
        const step = Math.floor((message.done / message.total) * 4);
        if (step === shown || message.done === message.total) return;
        shown = step;
        status.textContent = status.dataset.saving.replace("{done}", message.done).replace("{total}", message.total);
      } else if (message.type === "saved" || message.type === "failed") {
        status.textContent = status.dataset[message.type];
        button.disabled = false;
        shown = -1;
      }
    });
    button.addEventListener("click", async () => {
      button.disabled = true;
      status.textContent = status.dataset.saving.replace("{done}", "0").replace("{total}", "…");
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
      const registration = await navigator.serviceWorker.ready;
      registration.active.postMessage({ type: "save", page: location.href, audio: Boolean(audio && audio.checked) });
    });
  }, { once: true });
})();

// 5. Material's script (scripts/portal/publish/deferred_scripts.py took it out of the page). Pages read,
//    scroll and open their menus without it, as in a browser without scripts (.no-js); what needs it is
//    the search. So it loads when the reader starts a search (a tap or focus on the search box, or
//    Material's keys / s f), or at once for a search address (?q=). Material starts on DOMContentLoaded,
//    long past by then, so that event is sent again, and the search box is told about its text.
(() => {
  const script = document.currentScript;
  const bundle = script && script.dataset.bundle;
  if (!bundle) return;
  // portal.css shows the search box meanwhile: Material hides it from browsers without scripts (.no-js).
  document.documentElement.classList.add("portal-deferred");
  const inSearch = (target) => target instanceof Element && target.closest('.md-search, label[for="__search"]');
  const typing = (target) => target instanceof Element && target.closest("input, textarea, select, [contenteditable]");
  const wants = (event) => event.type === "keydown"
    ? ["/", "s", "f"].includes(event.key) && !typing(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey
    : inSearch(event.target);
  const triggers = ["keydown", "pointerdown", "focusin"];
  let requested = false;
  let shortcut = null;  // a key that asked for the search, handed to Material once it runs
  const load = () => {
    if (requested) return;
    requested = true;
    triggers.forEach((type) => window.removeEventListener(type, onEvent, true));
    const tag = document.createElement("script");
    tag.src = bundle;
    tag.addEventListener("load", () => {
      if (document.readyState === "loading") return;  // Material will see the real event
      document.dispatchEvent(new Event("DOMContentLoaded"));
      setTimeout(() => {
        if (shortcut) document.dispatchEvent(new KeyboardEvent("keydown", { key: shortcut, bubbles: true }));
        const field = document.activeElement;
        if (field instanceof HTMLInputElement && field.value) {
          ["focus", "input", "keyup"].forEach((type) => field.dispatchEvent(new Event(type, { bubbles: true })));
        }
      }, 50);
    });
    document.head.append(tag);
  };
  const onEvent = (event) => {
    if (!wants(event)) return;
    if (event.type === "keydown") shortcut = event.key;
    load();
  };
  triggers.forEach((type) => window.addEventListener(type, onEvent, { capture: true, passive: true }));
  if (new URLSearchParams(location.search).has("q")) load();
})();
