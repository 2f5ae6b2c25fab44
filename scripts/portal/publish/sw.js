// The portal's service worker: site/sw.js, written by scripts/portal/publish/offline.py, which puts
// the build's settings in CONFIG. No library and nothing off-site: every file comes from this site.
//
// - Pages: from the network when there is signal (and kept); without signal, or when the network
//   takes over 4 s, the kept copy, or the language's offline page (offline.html) if there is none.
// - CSS, scripts, images, search index: kept copy first. They cannot go stale: a new deploy is a
//   new CONFIG.version, so a new worker, which keeps only files whose content hash is unchanged,
//   fetches the changed ones again, and deletes the old caches.
// - Audio: a clip the reader plays is fetched whole once, kept, and later ranges are cut from it.
// - "Save this language": the page sends {type: "save", page, audio}; every file of the page's language
//   in offline-manifest.json is kept, audio only when asked.
const CONFIG = __PORTAL_CONFIG__;
const PREFIX = "portal-";
const CACHE = PREFIX + CONFIG.version;
const SCOPE = new URL(self.registration.scope);
const SAVED = "__portal/saved.json";  // which languages the reader saved, so an update keeps them whole

const address = (path) => new URL(path, SCOPE).href;

// The one key for a file: no query or fragment, and a folder's index.html is the folder.
function keyOf(href) {
  const url = new URL(href);
  url.search = "";
  url.hash = "";
  if (url.pathname.endsWith("/index.html")) url.pathname = url.pathname.slice(0, -"index.html".length);
  return url.href;
}

const pathOf = (href) => keyOf(href).slice(SCOPE.href.length);

function languageOf(href) {
  const first = pathOf(href).split("/", 1)[0];
  return CONFIG.languages.includes(first) ? first : CONFIG.default;
}

async function keep(cache, path) {
  const response = await fetch(address(path), { cache: "no-cache" });
  if (!response.ok || response.redirected) throw new Error(`${path}: ${response.status}`);
  await cache.put(address(path), response);
}

async function hashOf(response) {
  const digest = await crypto.subtle.digest("SHA-256", await response.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("").slice(0, CONFIG.hashLength);
}

async function manifest() {
  const response = await fetch(address(CONFIG.manifest), { cache: "no-store" });
  if (!response.ok) throw new Error(`${CONFIG.manifest}: ${response.status}`);
  const data = await response.json();
  if (data.version !== CONFIG.version) throw new Error("a newer deploy is on its way");
  return data;
}

async function readSaved(cache) {
  const response = await cache.match(address(SAVED));
  return response ? response.json() : {};
}

// Every file of a language, in a few parallel streams; files already kept are not fetched again.
async function saveLanguage(cache, paths, progress = () => {}) {
  const queue = [...new Set(paths)];
  const total = queue.length;
  let done = 0;
  const worker = async () => {
    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      if (!(await cache.match(address(path)))) await keep(cache, path);
      done += 1;
      progress(done, total);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
}

function filesOf(data, lang, audio) {
  const entry = data.languages[lang];
  return entry ? [...entry.pages, ...entry.assets, ...(audio ? entry.audio : [])] : [];
}

// A new version: keep what the reader had, minus files that are gone, with changed files fetched again.
async function carryOver(cache) {
  const old = (await caches.keys()).filter((name) => name.startsWith(PREFIX) && name !== CACHE);
  if (!old.length) return;
  const data = await manifest();
  let saved = {};
  for (const name of old) {
    const previous = await caches.open(name);
    saved = { ...saved, ...(await readSaved(previous)) };
    for (const request of await previous.keys()) {
      const path = pathOf(request.url);
      const file = data.files[path];
      if (!file || (await cache.match(request.url))) continue;
      const response = await previous.match(request);
      // Clips are named by their content: the same name is the same sound.
      const same = path.startsWith("audio/") || (await hashOf(response.clone())) === file[0];
      if (same) await cache.put(request.url, response);
      else await keep(cache, path);
    }
  }
  for (const [lang, choice] of Object.entries(saved)) {
    if (data.languages[lang]) await saveLanguage(cache, filesOf(data, lang, choice.audio));
  }
  await cache.put(address(SAVED), Response.json(saved));
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(CONFIG.shell.map(address));
    await carryOver(cache);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
    // The pages open now were loaded before this worker ran: keep them too.
    const cache = await caches.open(CACHE);
    for (const client of await self.clients.matchAll({ type: "window", includeUncontrolled: true })) {
      if (client.url.startsWith(SCOPE.href) && !(await cache.match(keyOf(client.url)))) {
        await keep(cache, pathOf(client.url)).catch(() => {});
      }
    }
  })());
});

// A weak signal: after this long, the kept copy of a page is shown while the network catches up.
const SLOW_NETWORK_MS = 4000;

async function page(event) {
  const request = event.request;
  const key = keyOf(request.url);
  const network = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected && response.type === "basic") {
      await (await caches.open(CACHE)).put(key, response.clone());
    }
    return response;
  });
  event.waitUntil(network.catch(() => {}));  // a late answer still refreshes the kept copy
  const cache = await caches.open(CACHE);
  const kept = await cache.match(key);
  if (!kept) return network.catch(() => offlinePage(cache, request.url));
  const slow = new Promise((resolve) => setTimeout(() => resolve(kept), SLOW_NETWORK_MS));
  return Promise.race([network.catch(() => kept), slow]);
}

// The language's offline page, with a <base> so that its links work at the address asked for.
async function offlinePage(cache, href) {
  const own = address(CONFIG.offline[languageOf(href)]);
  const kept = await cache.match(own);
  if (!kept) return Response.error();
  const html = (await kept.text()).replace("<head>", `<head><base href="${own}">`);
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8" } });
}

async function asset(request) {
  const cache = await caches.open(CACHE);
  const key = keyOf(request.url);
  const kept = await cache.match(key);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") await cache.put(key, response.clone());
  return response;
}

// A range of a kept clip (the player asks for ranges when it seeks): a 206 cut from the whole file.
async function partial(response, range) {
  const blob = await response.blob();
  const [, first, last] = /^bytes=(\d*)-(\d*)$/.exec(range.trim()) || [];
  if (first === undefined || (first === "" && last === "")) return new Response(blob, response);
  // bytes=10-19, bytes=10- (to the end) or bytes=-500 (the last 500)
  const start = first ? Number(first) : Math.max(0, blob.size - Number(last));
  const end = first && last ? Math.min(Number(last), blob.size - 1) : blob.size - 1;
  if (start >= blob.size || start > end) {
    return new Response(null, { status: 416, headers: { "Content-Range": `bytes */${blob.size}` } });
  }
  return new Response(blob.slice(start, end + 1), {
    status: 206,
    headers: {
      "Content-Type": response.headers.get("Content-Type") || "audio/mpeg",
      "Content-Range": `bytes ${start}-${end}/${blob.size}`,
      "Content-Length": String(end - start + 1),
      "Accept-Ranges": "bytes",
    },
  });
}

async function clip(request) {
  const cache = await caches.open(CACHE);
  const key = keyOf(request.url);
  const range = request.headers.get("Range");
  const kept = await cache.match(key);
  if (kept) return range ? partial(kept, range) : kept;
  if (range && !/^bytes=0-$/.test(range.trim())) return fetch(request);  // a seek before the clip is kept
  // The whole clip, once: it plays while it arrives and is kept for playing without signal.
  const response = await fetch(key);
  if (response.ok && response.type === "basic") await cache.put(key, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(SCOPE.href)) return;
  const path = new URL(request.url).pathname;
  if (request.mode === "navigate") event.respondWith(page(event));
  else if (path.endsWith(".mp3")) event.respondWith(clip(request));
  else if (/\.(css|js|json|svg|png|jpg|webp|woff2?)$/.test(path)) event.respondWith(asset(request));
});

self.addEventListener("message", (event) => {
  const { type, page: from, audio } = event.data || {};
  if (type !== "save" || typeof from !== "string" || !from.startsWith(SCOPE.href)) return;
  const lang = languageOf(from);  // the language of the page the reader is on
  const reply = (message) => event.source && event.source.postMessage({ lang, ...message });
  event.waitUntil((async () => {
    try {
      const data = await manifest();
      const cache = await caches.open(CACHE);
      await saveLanguage(cache, filesOf(data, lang, audio),
        (done, total) => reply({ type: "progress", done, total }));
      const saved = await readSaved(cache);
      saved[lang] = { audio: Boolean(audio || (saved[lang] && saved[lang].audio)) };
      await cache.put(address(SAVED), Response.json(saved));
      reply({ type: "saved" });
    } catch (error) {
      reply({ type: "failed", reason: String(error) });
    }
  })());
});
