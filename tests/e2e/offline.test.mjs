// End-to-end: the service worker (www/sw.js, www/sw-register.js).
// - After one online visit, with the server stopped, fresh tabs of the same
//   browser load the app: at the folder's URL (then every lesson of the menu in
//   turn: all lessons are one page, the fragment only picks one), at
//   index.html?lang=zh&simd=plain#live-training and at index.html#descent-2d.
//   Every file comes from the service worker, the page is cross-origin
//   isolated, and the live-training lesson starts its Workers (one per core,
//   either build) from the cache.
// - A new deploy: the next visit finds it, the open pages say "a new version
//   is ready" (in English and in Chinese; screenshots in tests/artifacts/),
//   Reload brings the new version with every file of it, while a tab still
//   on the old version keeps getting the old version's Worker files; the old
//   version's cache goes once no tab uses it.
// - A host that sends no COOP/COEP: the first visit is not isolated and works
//   (one Worker); once the service worker controls the page it is isolated.
//
// Run: DIST=dist node --test tests/e2e/offline.test.mjs (DIST defaults to dist/).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { ARTIFACTS, DIST, ROOT, launchBrowser, newContext, openPage, serve, startSite } from "./lib/site.mjs";
/** Web Workers the live-training lesson starts when isolated: one per core, up to four. */
const CORES = Math.min(4, Math.max(1, os.availableParallelism()));

// The browser comes from the harness; each test serves dist/ itself, to stop
// it or deploy another build at its address. Each test's fresh context has its
// own service workers and caches.
let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

/** The BUILD line sw-precache.mjs wrote into `dir`/sw.js: { version, files }. */
function builtSw(dir) {
  const line = readFileSync(join(dir, "sw.js"), "utf8").match(/^const BUILD = (.*); \/\/ written by/m);
  assert.ok(line, `${dir}/sw.js has its build line`);
  return JSON.parse(line[1]);
}

/**
 * A tab in `context` at `url`: its console errors, uncaught exceptions, the
 * Workers it starts, and every response it and its Workers get ({ url,
 * version, fromSw }, version being what the service worker says served it).
 */
async function tab(context, url) {
  const responses = [];
  const record = (page) =>
    page.on("response", (response) => {
      responses.push({
        url: response.url(),
        version: response.headers()["x-nnlab-version"] ?? null,
        fromSw: response.fromServiceWorker(),
        response,
      });
    });
  const { page, errors, workers } = await openPage(site, url, { context, setup: record });
  return { page, errors, workers, responses };
}

/** The file name of a URL ("" for the folder). */
const fileOf = (url) => new URL(url).pathname.split("/").pop();

/** Waits (up to 10 s) until `list` has `n` entries (that `keep`). */
async function waitForCount(page, list, n, keep = () => true) {
  const deadline = Date.now() + 30_000; // a wait, not a timing: a busy 2-core machine can take a while
  while (list.filter(keep).length < n && Date.now() < deadline) await page.waitForTimeout(50);
}

/** Responses for a Worker's files: loader, js and wasm, for the training Worker and each helper. */
const isWorkerFile = (r) => fileOf(r.url).startsWith("nnlab-worker");

/** Waits until `lesson` is the one shown: its menu entry is current, its title and content are there. */
async function lessonShown(page, lesson) {
  const title = await page.locator(`.nav-link[data-lesson="${lesson}"] .nav-title`).innerText();
  await page.waitForFunction(
    ([lesson, title]) =>
      document.querySelector(`.nav-link[data-lesson="${lesson}"]`)?.getAttribute("aria-current") === "page" &&
      document.querySelector("#lesson .lesson-title")?.innerText === title,
    [lesson, title],
  );
  assert.ok((await page.locator("#lesson > *").count()) > 1, `${lesson}: more than a title`);
  assert.equal(await page.locator("#error-banner").isHidden(), true, `${lesson}: no error banner`);
}

/**
 * The live-training lesson's Workers have started: the training Worker (`build`: the relaxed-SIMD
 * build in Chromium unless ?simd=plain) answers the page (there is no data offline) and, the page being
 * isolated, starts one helper per further core.
 */
async function workersStarted({ page, workers, responses }, build = "nnlab-worker-relaxed") {
  await page.waitForFunction(() => /not loaded yet|还没有加载/.test(document.getElementById("live-data-status")?.innerText ?? ""));
  await waitForCount(page, workers, CORES);
  assert.deepEqual(workers.map(fileOf), Array(CORES).fill(`${build}_loader.js`));
  await waitForCount(page, responses, 3 * CORES, isWorkerFile);
  const files = responses.filter(isWorkerFile).map((r) => fileOf(r.url)).sort();
  const each = [`${build}.js`, `${build}_bg.wasm`, `${build}_loader.js`];
  assert.deepEqual(files, each.flatMap((f) => Array(CORES).fill(f)), "each Worker loaded its three files");
}

/** Stops a server: new connections are refused at once (a kept-alive socket may linger a moment). */
function stop(server) {
  return Promise.race([server.close(), new Promise((ok) => setTimeout(ok, 500))]);
}

test("after one online visit, every lesson loads offline in a fresh tab, isolated, with its Workers", async () => {
  const server = await serve(DIST);
  const { version, files } = builtSw(DIST);
  const context = await newContext(site);
  try {
    // Both Worker builds and the page's own files are in the precache list.
    for (const f of ["index.html", "nnlab-worker_loader.js", "nnlab-worker_bg.wasm", "nnlab-worker-relaxed_loader.js", "nnlab-worker-relaxed_bg.wasm"]) {
      assert.ok(files[f], `${f} is precached`);
    }
    assert.ok(Object.keys(files).some((f) => /^nnlab-web-[0-9a-f]+_bg\.wasm$/.test(f)), "the page's wasm is precached");

    const online = await tab(context, `${server.url}index.html#descent-2d`);
    assert.deepEqual(await online.page.evaluate(() => window.nnlabOffline), { version });
    // The whole build is in this version's cache, nothing else is.
    const cached = await online.page.evaluate(async (v) => {
      const keys = await (await caches.open(`nnlab-app-${v}`)).keys();
      return keys.map((r) => decodeURIComponent(new URL(r.url).pathname.slice(1))).sort();
    }, version);
    assert.deepEqual(cached, Object.keys(files).sort());
    const lessons = await online.page.$$eval(".nav-link", (links) => links.map((a) => a.dataset.lesson));
    assert.equal(lessons.length, 21);
    assert.equal(online.errors.length, 0, JSON.stringify(online.errors));
    await online.page.close();

    await stop(server);
    // Fresh tabs, the network gone: the folder's URL, then every lesson from the menu; a link with a
    // query and a fragment; a lesson's own link. (All lessons are one page: the fragment picks one.)
    await assert.rejects(fetch(`${server.url}index.html`), "the server is stopped");
    const seen = [];
    const folder = await tab(context, server.url);
    for (const lesson of lessons) {
      await folder.page.click(`.nav-link[data-lesson="${lesson}"]`);
      await lessonShown(folder.page, lesson);
      seen.push(lesson);
      if (lesson === "live-training") await workersStarted(folder);
    }
    assert.deepEqual(seen, lessons);
    const zh = await tab(context, `${server.url}index.html?lang=zh&simd=plain#live-training`);
    await lessonShown(zh.page, "live-training");
    assert.equal(await zh.page.evaluate(() => document.documentElement.lang), "zh-CN");
    await workersStarted(zh, "nnlab-worker"); // the other Worker build, from the cache too
    const linked = await tab(context, `${server.url}index.html#descent-2d`);
    await lessonShown(linked.page, "descent-2d");

    for (const t of [folder, zh, linked]) {
      assert.equal(await t.page.evaluate(() => crossOriginIsolated), true, "cross-origin isolated offline");
      // Every file came from the service worker, of this version; no errors.
      assert.ok(t.responses.length >= 4, "page, js, wasm, css");
      assert.deepEqual(t.responses.filter((r) => r.version !== version || !r.fromSw).map((r) => r.url), []);
      assert.deepEqual(t.errors, []);
    }
  } finally {
    await context.close();
    await stop(server);
  }
});

test("a new deploy: the notice, Reload brings the whole new version, an old tab keeps its own", async () => {
  // Build B: build A with both Worker loaders changed (files whose names stay the same from build to
  // build) and sw.js rewritten by the build hook, as a real deploy would have it.
  const b = mkdtempSync(join(os.tmpdir(), "nnlab-deploy-b-"));
  cpSync(DIST, b, { recursive: true, filter: (src) => !src.startsWith(join(DIST, "data")) });
  for (const f of ["nnlab-worker_loader.js", "nnlab-worker-relaxed_loader.js"]) appendFileSync(join(b, f), "\n// deploy B\n");
  execFileSync(process.execPath, [join(ROOT, "scripts", "sw-precache.mjs")], { env: { ...process.env, TRUNK_STAGING_DIR: b }, stdio: "pipe" });
  const a = builtSw(DIST).version;
  const vb = builtSw(b).version;
  assert.notEqual(vb, a, "the changed build has a new version");

  let server = await serve(DIST);
  const base = server.url;
  const context = await newContext(site, { width: 1280, height: 800 });
  try {
    const first = await tab(context, `${base}index.html`);
    assert.deepEqual(await first.page.evaluate(() => window.nnlabOffline), { version: a });
    await first.page.close();
    // Two tabs on version A, one of them in Chinese.
    const oldTab = await tab(context, `${base}index.html#descent-2d`);
    const zhTab = await tab(context, `${base}index.html?lang=zh#gradient`);
    assert.equal(oldTab.responses[0].version, a);

    // Deploy B at the same address.
    await stop(server);
    server = await serve(b, { port: new URL(base).port });
    // The next visit: still version A (cache first), and the browser finds B and installs it.
    const visit = await tab(context, `${base}index.html#live-training`);
    assert.equal(visit.responses[0].version, a);
    for (const { page } of [visit, oldTab, zhTab]) await page.waitForSelector("#update-notice", { timeout: 20_000 });
    assert.match(await visit.page.locator("#update-notice").innerText(), /A new version of nnlab is ready\.\s*Reload\s*Later/);
    assert.match(await zhTab.page.locator("#update-notice").innerText(), /nnlab 的新版本已准备好。\s*重新加载\s*稍后/);
    await visit.page.locator("#update-notice").screenshot({ path: join(ARTIFACTS, "update-notice-en.png") });
    await zhTab.page.locator("#update-notice").screenshot({ path: join(ARTIFACTS, "update-notice-zh.png") });
    await visit.page.screenshot({ path: join(ARTIFACTS, "update-notice-page.png") });
    // The language switch rewrites it.
    await zhTab.page.click(".lang-switch");
    await zhTab.page.waitForFunction(() => /A new version/.test(document.getElementById("update-notice").innerText));
    // "Later" only hides it.
    await zhTab.page.click("#update-notice .btn:not(.primary)");
    assert.equal(await zhTab.page.locator("#update-notice").count(), 0);

    // Reload: version B, every file of it (the page, its wasm, both Worker builds' files it loads).
    visit.responses.length = 0;
    visit.workers.length = 0;
    await Promise.all([visit.page.waitForEvent("load"), visit.page.click("#update-reload")]);
    await visit.page.waitForSelector(".nav-link");
    assert.deepEqual(await visit.page.evaluate(() => window.nnlabOffline), { version: vb });
    await workersStarted(visit);
    const appB = visit.responses.filter((r) => !new URL(r.url).pathname.startsWith("/data/"));
    const filesB = builtSw(b).files;
    // All of B but the plain-SIMD Worker, which Chromium does not start (it has relaxed SIMD).
    for (const f of Object.keys(filesB).filter((f) => !/^nnlab-worker[._]/.test(f))) {
      assert.ok(appB.some((r) => (fileOf(r.url) || "index.html") === f), `${f} was loaded after the reload`);
    }
    assert.deepEqual(appB.filter((r) => r.version !== vb || !r.fromSw).map((r) => `${fileOf(r.url)}: ${r.version}`), [], "all from version B");
    const loader = appB.find((r) => fileOf(r.url) === "nnlab-worker-relaxed_loader.js");
    assert.ok(loader, "the Worker's loader was served");
    assert.match(await loader.response.text(), /deploy B/);
    assert.equal(await visit.page.locator("#update-notice").count(), 0, "no notice on the new version");

    // The old tab still runs version A's page: when it starts the Worker now, it gets A's Worker files.
    assert.equal(await oldTab.page.locator("#update-notice").count(), 1, "the old tab still offers to reload");
    oldTab.responses.length = 0;
    await oldTab.page.click('.nav-link[data-lesson="live-training"]');
    await workersStarted(oldTab);
    const workerA = oldTab.responses.filter(isWorkerFile);
    assert.deepEqual(workerA.filter((r) => r.version !== a).map((r) => `${fileOf(r.url)}: ${r.version}`), [], "all from version A");
    const loaderA = workerA.find((r) => fileOf(r.url) === "nnlab-worker-relaxed_loader.js");
    assert.doesNotMatch(await loaderA.response.text(), /deploy B/);
    const names = () => visit.page.evaluate(async () => (await caches.keys()).filter((n) => n.startsWith("nnlab-app-")).sort());
    assert.deepEqual(await names(), [`nnlab-app-${a}`, `nnlab-app-${vb}`].sort(), "A is kept while a tab uses it");

    // Once no tab uses A, the next visit deletes A's cache.
    await oldTab.page.close();
    await zhTab.page.close();
    const later = await tab(context, `${base}index.html#momentum`);
    assert.equal(later.responses[0].version, vb);
    const deadline = Date.now() + 5000;
    while ((await names()).length > 1 && Date.now() < deadline) await later.page.waitForTimeout(50);
    assert.deepEqual(await names(), [`nnlab-app-${vb}`], "A's cache is gone");
    for (const t of [oldTab, zhTab, visit, later]) assert.deepEqual(t.errors, []);
  } finally {
    await context.close();
    await stop(server);
    rmSync(b, { recursive: true, force: true });
  }
});

test("a host without COOP/COEP: the first visit works unisolated on one Worker, then the service worker isolates it", async () => {
  const server = await serve(DIST, { isolated: false });
  const context = await newContext(site, { width: 1280, height: 800 });
  try {
    const visit = await tab(context, `${server.url}index.html#live-training`);
    const { page } = visit;
    await lessonShown(page, "live-training");
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    await page.waitForFunction(() => /not loaded yet/.test(document.getElementById("live-data-status")?.innerText ?? ""));
    assert.ok(await page.evaluate(() => window.nnlabOffline), "the service worker is active");
    await page.waitForTimeout(500); // a helper would have started by now
    assert.deepEqual(visit.workers.map(fileOf), ["nnlab-worker-relaxed_loader.js"], "one Worker without shared memory");
    assert.equal(visit.responses[0].fromSw, false, "the first visit came from the network");

    visit.workers.length = 0;
    visit.responses.length = 0;
    await page.reload();
    await page.waitForSelector(".nav-link");
    await lessonShown(page, "live-training");
    assert.equal(visit.responses[0].fromSw, true, "the reload came from the service worker");
    assert.equal(await page.evaluate(() => crossOriginIsolated), true, "isolated once the service worker answers");
    await workersStarted(visit);
    assert.deepEqual(visit.errors, []);
  } finally {
    await context.close();
    await stop(server);
  }
});

test("without a service worker (an insecure origin, or sw.js missing on the host) the app runs as before", async () => {
  // http://nnlab.test is not a secure context (unlike 127.0.0.1): no navigator.serviceWorker at all.
  // (Such a host sends no COOP/COEP either: browsers ignore them, with a console error, off secure origins.)
  const server = await serve(DIST, { isolated: false });
  const insecure = await launchBrowser(["--host-resolver-rules=MAP nnlab.test 127.0.0.1"]);
  const missing = mkdtempSync(join(os.tmpdir(), "nnlab-no-sw-"));
  cpSync(DIST, missing, { recursive: true, filter: (src) => src !== join(DIST, "sw.js") && !src.startsWith(join(DIST, "data")) });
  const host = await serve(missing);
  try {
    const context = await newContext({ browser: insecure }, { width: 1280, height: 720 });
    const plain = await tab(context, `http://nnlab.test:${server.port}/index.html#live-training`);
    assert.equal(await plain.page.evaluate(() => isSecureContext || "serviceWorker" in navigator), false);
    await lessonShown(plain.page, "live-training");
    assert.equal(await plain.page.evaluate(() => window.nnlabOffline), null);
    await plain.page.waitForFunction(() => /not loaded yet/.test(document.getElementById("live-data-status")?.innerText ?? ""));
    assert.deepEqual(plain.errors, []);
    await context.close();

    const context2 = await newContext(site, { width: 1280, height: 720 });
    const noSw = await tab(context2, `${host.url}index.html#descent-2d`);
    await lessonShown(noSw.page, "descent-2d");
    assert.equal(await noSw.page.evaluate(() => window.nnlabOffline), null, "registration failed quietly");
    assert.equal(await noSw.page.locator("#error-banner").isHidden(), true);
    // Chromium reports the failed registration itself (the promise's rejection is handled, quietly).
    const expected = "A bad HTTP response code (404) was received when fetching the script.";
    assert.deepEqual(noSw.errors, [`console: ${expected}`]);
    await context2.close();
  } finally {
    await insecure.close();
    await stop(server);
    await stop(host);
    rmSync(missing, { recursive: true, force: true });
  }
});
