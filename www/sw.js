// nnlab's service worker: after one online visit the whole app works offline,
// stays cross-origin isolated offline (shared memory for the data-parallel
// training Workers), and a new deploy replaces it cleanly.
//
// Built, not hand-edited: Trunk copies this file into dist/ (www/index.html)
// and its post-build hook scripts/sw-precache.mjs replaces the BUILD line below
// with every file of the build and its SHA-256, and a version (a hash of
// those and of this file). Any change to any file therefore changes sw.js, and
// the browser, which compares sw.js byte for byte on every visit, installs the
// new version. The page's side is www/sw-register.js.
//
// The choices, and why:
// - One cache per version ("nnlab-app-<version>"), filled at install with
//   exactly this build's files. Each download is checked against its SHA-256,
//   so neither the HTTP cache nor a deploy landing in the middle of an install
//   can slip another version's file in (the Worker files are not
//   content-hashed: nnlab-worker_bg.wasm has the same name in every build).
//   A file that does not match is fetched once more past the HTTP cache; if
//   it still does not match, the install fails and the browser tries again on
//   a later visit, with the files already checked kept in the cache.
// - Cache first, navigations included: on a slow classroom Wi-Fi the page
//   starts at once from disk, and offline it starts at all. Updates come from
//   the browser's own check of sw.js on each visit (registered with
//   updateViaCache "none", so that check never hits the HTTP cache).
// - A page and its Workers are answered from one version: the version the
//   page was loaded with, even after a newer version has taken over (another
//   tab's Reload button). Which version each page and each Worker it starts
//   belongs to is recorded in a small cache shared by all versions
//   ("nnlab-sw-clients"), since the browser may stop and restart this worker
//   at any time; what a Worker loads names its version in the URL (the build
//   hook pins the loaders). A version's cache is deleted only when no open
//   page uses it any more.
// - No clients.claim(): a page loaded from the network on the first visit
//   stays with the network for its lifetime, so it never mixes with what the
//   cache holds. The next page (a fresh tab, a reload) is controlled.
// - skipWaiting() only when a page asks (its "Reload" button): otherwise the
//   new version waits until no tab uses the old one, as browsers do.
// - Every response given here carries Cross-Origin-Opener-Policy and
//   Cross-Origin-Embedder-Policy (and Cross-Origin-Resource-Policy on
//   subresources), so crossOriginIsolated holds offline and, from the second
//   visit on, even on a static host that sends no such headers.
// - data/ (the CIFAR-10 archive and data/manifest.json) and other origins are
//   not intercepted: the training Worker streams the 163 MB archive itself and
//   keeps it in its own cache ("nnlab-data"), which is never touched here.

const BUILD = { version: "unbuilt", files: {} }; // written by scripts/sw-precache.mjs

/** Caches of app versions start with this; "nnlab-data" and "nnlab-sw-clients" do not. */
const APP = "nnlab-app-";
const OWN = APP + BUILD.version;
/** Which version each page and Worker was served from: shared by every version of this file. */
const CLIENTS = "nnlab-sw-clients";
/** The folder of sw.js: the app's root and the registration's scope (dist/ may live in any folder). */
const BASE = new URL("./", self.location.href);

/** Content types by extension: a host that sends a wrong one (wasm must be application/wasm) is corrected. */
const TYPES = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  wasm: "application/wasm",
  json: "application/json",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  txt: "text/plain; charset=utf-8",
};

// ---------- install: this version's files, checked ----------

self.addEventListener("install", (event) => event.waitUntil(precache()));

async function precache() {
  const files = Object.entries(BUILD.files);
  if (files.length === 0) throw new Error("sw.js was not built: scripts/sw-precache.mjs writes its file list");
  const cache = await caches.open(OWN);
  await Promise.all(
    files.map(async ([path, sha256]) => {
      const url = new URL(path, BASE).href;
      if (await cache.match(url)) return; // checked by an earlier, interrupted install
      // The HTTP cache first (on the first visit the page has just loaded most of these), then past it.
      const file = (await download(url, sha256, "default")) ?? (await download(url, sha256, "reload"));
      if (!file) throw new Error(`${path} on the server is not version ${BUILD.version}'s (a deploy under way?)`);
      await cache.put(url, new Response(file.bytes, { headers: { "Content-Type": file.type } }));
    }),
  );
}

/** The file at `url` if its SHA-256 is `sha256` (hex), else null. */
async function download(url, sha256, cacheMode) {
  const response = await fetch(url, { cache: cacheMode });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = await response.arrayBuffer();
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  if (hex !== sha256) return null;
  const ext = url.slice(url.lastIndexOf(".") + 1);
  return { bytes, type: TYPES[ext] ?? response.headers.get("Content-Type") ?? "application/octet-stream" };
}

// ---------- activate: old versions go ----------

self.addEventListener("activate", (event) => event.waitUntil(tidy()));

/**
 * Deletes the caches of versions no open page uses (and the records of pages
 * that are gone). Runs on activate and after each navigation, so a version
 * kept for a tab that was still open goes once that tab has closed.
 */
async function tidy() {
  const windows = new Set((await self.clients.matchAll({ type: "window", includeUncontrolled: true })).map((c) => c.id));
  const records = await caches.open(CLIENTS);
  const inUse = new Set([OWN]);
  for (const key of await records.keys()) {
    const record = await (await records.match(key))?.json().catch(() => null);
    // A page that is open, unless it is reloading into this version; or one this version has just
    // served, which the browser may not list yet. (An older version serves no new pages.)
    const open =
      record &&
      !leaving.has(record.window) &&
      (windows.has(record.window) || (record.version === BUILD.version && Date.now() - record.at < 60_000));
    if (open) inUse.add(APP + record.version);
    else {
      await records.delete(key);
      known.delete(idOf(key.url));
    }
  }
  for (const name of await caches.keys()) {
    if (name.startsWith(APP) && !inUse.has(name)) await caches.delete(name);
  }
}

// ---------- which version a page or Worker belongs to ----------

/** clientId → { version, window }: memory first, the CLIENTS cache after a restart of this worker. */
const known = new Map();
/** Pages that pressed "Reload" to get this version: their old version is not kept for them. */
const leaving = new Set();
const keyOf = (id) => new URL(`__nnlab-client/${encodeURIComponent(id)}`, BASE).href;
const idOf = (key) => decodeURIComponent(key.slice(key.lastIndexOf("/") + 1));

async function recordOf(id) {
  if (!id) return null;
  if (!known.has(id)) {
    const stored = await (await caches.open(CLIENTS)).match(keyOf(id));
    known.set(id, stored ? await stored.json().catch(() => null) : null);
  }
  return known.get(id);
}

async function remember(id, record) {
  if (!id) return;
  known.set(id, record);
  const stored = new Response(JSON.stringify({ ...record, at: Date.now() }));
  await (await caches.open(CLIENTS)).put(keyOf(id), stored);
}

// ---------- fetch: the app from its version's cache ----------

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  // Other origins and other folders of this host are not the app's.
  if (url.origin !== BASE.origin || !url.pathname.startsWith(BASE.pathname)) return;
  const path = decodeURIComponent(url.pathname.slice(BASE.pathname.length));
  // The training Worker's data (archive, manifest): its own business, and its own cache.
  if (path === "data" || path.startsWith("data/")) return;
  if (request.mode === "navigate") {
    // The folder or index.html, any query (?lang=zh, ?workers=1) and any #lesson: the one page.
    if (path === "" || path === "index.html") event.respondWith(serve(event, "index.html"));
    return;
  }
  if (Object.hasOwn(BUILD.files, path)) event.respondWith(serve(event, path));
});

async function serve(event, path) {
  const { request } = event;
  let version = BUILD.version;
  if (request.mode === "navigate") {
    // A new page always gets the newest version: this one.
    event.waitUntil(remember(event.resultingClientId, { version, window: event.resultingClientId }).then(tidy));
  } else {
    // A file for a page or Worker: the version that page was loaded with.
    const parent = (await recordOf(event.clientId)) ?? { version, window: event.clientId };
    version = parent.version;
    if (event.resultingClientId && /worker$/.test(request.destination)) {
      // A Worker being started: it and the Workers it starts belong to its parent's version.
      event.waitUntil(remember(event.resultingClientId, parent));
    }
    // What a Worker loader loads names its version ("./nnlab-worker.js?v=…", scripts/sw-precache.mjs):
    // Chromium sends the requests of Workers started by Workers (the helpers) with no client id.
    const pinned = new URL(request.url).searchParams.get("v");
    if (pinned && (await caches.has(APP + pinned))) version = pinned;
  }
  const url = new URL(path, BASE).href;
  let response = await caches.match(url, { cacheName: APP + version });
  if (!response && version !== BUILD.version) {
    // That version's cache is gone (cleared by the user): this version, rather than nothing.
    version = BUILD.version;
    response = await caches.match(url, { cacheName: OWN });
  }
  if (!response) {
    // Evicted under storage pressure: the network, isolated all the same.
    response = await fetch(request);
    if (response.redirected || response.type !== "basic") return response;
    version = "network";
  }
  return isolated(response, request.mode === "navigate", version);
}

/** `response` with the cross-origin isolation headers (and which version answered, for tests and curious readers). */
function isolated(response, document, version) {
  const headers = new Headers(response.headers);
  // The page gets its own browsing context group (no cross-origin window can reach it)…
  headers.set("Cross-Origin-Opener-Policy", "same-origin");
  // …and loads nothing cross-origin that has not opted in; together: crossOriginIsolated, SharedArrayBuffer.
  // The Workers need it on their scripts too: a Worker's policy comes from its own script's response.
  headers.set("Cross-Origin-Embedder-Policy", "require-corp");
  // Subresources say they may be loaded by same-origin pages only (what require-corp pages accept anyway).
  if (!document) headers.set("Cross-Origin-Resource-Policy", "same-origin");
  headers.set("X-Nnlab-Version", version);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

// ---------- messages from the page (www/sw-register.js) ----------

self.addEventListener("message", (event) => {
  const type = event.data?.type;
  if (type === "skip-waiting") {
    // The page's "Reload" button: take over now; the page reloads on controllerchange.
    if (event.source?.id) leaving.add(event.source.id);
    self.skipWaiting();
  } else if (type === "version") {
    event.ports[0]?.postMessage(BUILD.version);
  }
});
