// Trunk post-build hook (Trunk.toml, run after scripts/build-relaxed-worker.sh):
// writes into the built sw.js the list of files the service worker precaches,
// each with its SHA-256, and the build's version.
//
// Why at build time, from the folder itself: the list is exactly what this
// build ships (index.html, the page's content-hashed js/wasm/css, both Worker
// builds, whatever Trunk adds later), never a hand-kept list that forgets a
// file; the digests let the service worker refuse a file of another version
// (the Worker files keep their names from build to build); and the version —
// a hash of the digests and of sw.js itself — changes with any file, so a new
// deploy changes sw.js and the browser installs it.
//
// It also pins what each Worker loads to the version: in the Worker loaders
// (nnlab-worker_loader.js from Trunk's loader shim, nnlab-worker-relaxed_loader.js
// from build-relaxed-worker.sh), "./nnlab-worker.js" becomes
// "./nnlab-worker.js?v=<version>", and so for the wasm. Why: the helper
// Workers are started by the training Worker, and Chromium gives requests from
// such nested Workers no client id, so the service worker could not tell which
// version they belong to; the URL tells it. Hosts ignore the query; without a
// service worker it only keeps HTTP caches from pairing a new loader with an
// old Worker wasm of the same name.
//
// Trunk sets TRUNK_STAGING_DIR. By hand, e.g. on a copy of dist/:
//   TRUNK_STAGING_DIR=/tmp/dist-copy node scripts/sw-precache.mjs
// (rerunning it on its own output gives the same result).
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
const SW = "sw.js";
/** The line of www/sw.js this script writes. */
const BUILD_LINE = /^const BUILD = .*$/m;
const UNBUILT = 'const BUILD = { version: "unbuilt", files: {} }; // written by scripts/sw-precache.mjs';
/** Files the app cannot start without: if one is missing the hooks ran out of order. */
const REQUIRED = [
  "index.html",
  "nnlab-worker.js",
  "nnlab-worker_bg.wasm",
  "nnlab-worker_loader.js",
  "nnlab-worker-relaxed.js",
  "nnlab-worker-relaxed_bg.wasm",
  "nnlab-worker-relaxed_loader.js",
];

function fail(message) {
  console.error(`\x1b[1;31m[service worker]\x1b[0m ${message}`);
  process.exit(1);
}

if (!staging) fail("TRUNK_STAGING_DIR is not set (trunk build sets it; by hand, name the built folder)");

/** Every file under `dir`, as paths relative to `staging` with "/" separators. */
function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield relative(staging, path).split(sep).join("/");
  }
}

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
/** A Worker's entry point. */
const isLoader = (f) => /(^|\/)[^/]*_loader\.js$/.test(f);
/** "./x.js" or "./x_bg.wasm" in a loader, with the ?v= an earlier run may have added. */
const LOADED = /(["'])(\.\/[^"'?]+\.(?:js|wasm))(?:\?v=[0-9a-f]*)?\1/g;
const pin = (text, version) => text.replace(LOADED, (_, q, path) => `${q}${path}${version ? `?v=${version}` : ""}${q}`);

// Not sw.js itself (the browser fetches it on its own), not data/ (the
// CIFAR-10 archive, if someone built into a folder holding it: the training
// Worker fetches and keeps it itself).
const files = [...walk(staging)].filter((f) => f !== SW && f !== "data" && !f.startsWith("data/")).sort();
const missing = REQUIRED.filter((f) => !files.includes(f));
if (missing.length) fail(`missing in ${staging}: ${missing.join(", ")}`);

let template;
try {
  template = readFileSync(join(staging, SW), "utf8");
} catch {
  fail(`${SW} is not in ${staging} (www/index.html copies it: <link data-trunk rel="copy-file" href="sw.js">)`);
}
if (!BUILD_LINE.test(template)) fail(`${SW} has no line starting with "const BUILD = "`);
// The version covers sw.js's own code (as in www/, whatever an earlier run wrote) and every file.
const source = template.replace(BUILD_LINE, UNBUILT);
// Loaders are hashed as they were before pinning, so the version does not depend on itself.
const read = (f) => (isLoader(f) ? pin(readFileSync(join(staging, f), "utf8"), null) : readFileSync(join(staging, f)));
const version = sha256(source + JSON.stringify(files.map((f) => [f, sha256(read(f))]))).slice(0, 16);
const loaders = files.filter(isLoader);
for (const f of loaders) {
  const text = read(f);
  if (!text.match(LOADED)) fail(`${f} loads no ./….js or ./….wasm: is it still a Worker loader?`);
  writeFileSync(join(staging, f), pin(text, version));
}
const digests = Object.fromEntries(files.map((f) => [f, sha256(readFileSync(join(staging, f)))]));
const line = `const BUILD = ${JSON.stringify({ version, files: digests })}; // written by scripts/sw-precache.mjs`;
writeFileSync(join(staging, SW), source.replace(BUILD_LINE, () => line));
console.error(`\x1b[1;34m[service worker]\x1b[0m version ${version}: ${files.length} files to precache, ${loaders.length} Worker loaders pinned`);
