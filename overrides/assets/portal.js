// The portal's own script, loaded in <head> before Material's bundle. Three small jobs:

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
