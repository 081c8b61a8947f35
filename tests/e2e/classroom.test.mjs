// End-to-end: the classroom start. The archive streams in and training
// starts on the first mini-batches while the rest downloads (host paced to
// 20 and 5 Mbit/s, as a classroom's shared Wi-Fi); the lesson says how many
// images it has and measures accuracy on held-out images until the test set
// arrives; the data is kept on the device, so a second visit downloads no
// data bytes; the stored copy can be forgotten.
//
// The paced runs need the real archive (env NNLAB_CIFAR10); the storing
// tests use a small archive in the official layout made here.
//
// Run: DIST=dist NNLAB_CIFAR10=/path/cifar-10-binary.tar.gz node --test tests/e2e/classroom.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, DIST, newContext, openPage, serve, setInputFiles, startSite } from "./lib/site.mjs";
import { writeCifarArchive } from "./lib/cifar-fixture.mjs";

const ARCHIVE = process.env.NNLAB_CIFAR10;
// The browser comes from the harness; each test serves dist/ itself (paced,
// with an archive, or as a plain static host).
let site;
let small;

before(async () => {
  site = await startSite();
  small = join(mkdtempSync(join(tmpdir(), "nnlab-classroom-")), "cifar-10-binary.tar.gz");
  writeCifarArchive(small, { perBatch: 300, test: 300 });
});

after(async () => {
  await site?.close();
});

/** A page in `context` collecting errors, opened at `url` (the pages of one context share what it stored). */
const open = (context, url) => openPage(site, url, { context, wait: null });

/** Weight updates shown by the live-training lesson. */
async function updates(page) {
  const text = (await page.locator("#live-updates").innerText().catch(() => "")) || "0";
  return Number(text.replace(/[^0-9]/g, "")) || 0;
}

/**
 * Opens #live-training, presses Start as soon as a network is there, and
 * resolves to the milliseconds from opening to the first weight update.
 */
async function firstUpdate(page, url) {
  const start = Date.now();
  await page.goto(url);
  await page.waitForSelector("#live-run", { state: "visible", timeout: 120_000 });
  await page.waitForFunction(() => /parameters|个参数/.test(document.getElementById("live-status")?.innerText ?? ""), null, {
    timeout: 120_000,
  });
  await page.click("#live-run");
  await page.waitForFunction(() => Number((document.getElementById("live-updates")?.innerText ?? "").replace(/[^0-9]/g, "")) > 0, null, {
    timeout: 120_000,
  });
  return Date.now() - start;
}

for (const mbit of [20, 5]) {
  test(`on a ${mbit} Mbit/s link training starts while the archive downloads`, { skip: ARCHIVE ? false : "set NNLAB_CIFAR10 to run" }, async (t) => {
    const server = await serve(DIST, { dataFile: ARCHIVE, bitsPerSecond: mbit * 1e6 });
    const context = await newContext(site);
    const { page, errors } = await open(context, "about:blank");
    try {
      const ms = await firstUpdate(page, `${server.url}#live-training`);
      const total = statSync(ARCHIVE).size;
      t.diagnostic(`first weight update ${(ms / 1000).toFixed(2)} s after opening #live-training at ${mbit} Mbit/s (data bytes sent so far: ${server.stats.dataBytes} of ${total})`);
      // The whole archive takes 70 s at 20 Mbit/s: the first step came long before.
      assert.ok(server.stats.dataBytes < total / 2, `training started only after ${server.stats.dataBytes} of ${total} bytes`);
      const status = await page.locator("#live-data-status").innerText();
      assert.match(status, /Downloading CIFAR-10: [\d,]+ of 50,000 training images/);
      // Accuracy is measured on held-out training images until the test set arrives.
      await page.waitForFunction(() => /training on the [\d,]+ of 50,000/.test(document.getElementById("live-status")?.innerText ?? ""));
      await page.waitForFunction(() => /Held-out/.test(document.getElementById("live-test-acc")?.previousElementSibling?.innerText ?? ""));
      // Epochs are passes over what has arrived, and the label says so.
      assert.equal(await page.evaluate(() => document.getElementById("live-epoch").previousElementSibling.innerText), "Pass (downloading)");
      assert.match(await page.locator("#live-cards").evaluate((el) => el.parentElement.innerText), /^Held-out training images/);
      assert.match(await page.locator("#live-data-note").innerText(), /held out/);
      // Training goes on as more images arrive.
      const before = await updates(page);
      await page.waitForTimeout(1500);
      assert.ok((await updates(page)) > before, "updates keep coming");
      if (mbit === 20) await page.screenshot({ path: join(ARTIFACTS, "live-training-streaming.png"), fullPage: true });
      // The gallery shows photos while the rest downloads.
      await page.click('a[data-lesson="input-data"]');
      await page.waitForSelector("#input-gallery", { state: "visible" });
      assert.ok(server.stats.dataBytes < total, "still downloading");
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await server.close();
    }
  });
}

test("the archive is kept on the device: a second visit downloads no data bytes", async (t) => {
  const server = await serve(DIST, { dataFile: small });
  const context = await newContext(site);
  try {
    const { page, errors } = await open(context, `${server.url}#live-training`);
    await page.waitForFunction(() => /stored on this device/.test(document.getElementById("live-data-stored")?.innerText ?? ""), null, {
      timeout: 60_000,
    });
    assert.match(await page.locator("#live-data-status").innerText(), /1,500 training images, 300 test images/);
    assert.ok(server.stats.dataBytes >= statSync(small).size);
    await page.close();

    // Second visit, same browser profile: nothing from data/, and it trains.
    server.stats.dataBytes = 0;
    server.stats.dataRequests = 0;
    const second = await open(context, "about:blank");
    const ms = await firstUpdate(second.page, `${server.url}#live-training`);
    t.diagnostic(`second visit: first weight update ${(ms / 1000).toFixed(2)} s after opening`);
    assert.equal(server.stats.dataRequests, 0, "no request to data/");
    assert.equal(server.stats.dataBytes, 0);
    assert.match(await second.page.locator("#live-data-stored").innerText(), /CIFAR-10 stored on this device, 0\.\d MB/);
    await second.page.screenshot({ path: join(ARTIFACTS, "live-training-stored.png"), fullPage: false });

    // Forget it: the line goes, and the next visit asks the server again.
    await second.page.click("#live-data-forget");
    await second.page.waitForSelector("#live-data-stored", { state: "hidden" });
    await second.page.close();
    const third = await open(context, `${server.url}#live-training`);
    await third.page.waitForFunction(() => /CIFAR-10 is loaded/.test(document.getElementById("live-data-status")?.innerText ?? ""), null, {
      timeout: 60_000,
    });
    assert.ok(server.stats.dataRequests > 0, "downloaded again");
    assert.deepEqual([...errors, ...second.errors, ...third.errors], []);
  } finally {
    await context.close();
    await server.close();
  }
});

test("a dropped archive streams in and is kept for the next visit", async () => {
  // No archive on the server: the student drops the file.
  const server = await serve(DIST);
  const context = await newContext(site, { locale: "zh-CN" });
  try {
    const { page, errors } = await open(context, `${server.url}#input-data`);
    await page.waitForFunction(() => /还没有加载/.test(document.getElementById("input-data-status")?.innerText ?? ""));
    await setInputFiles(page, "#input-data-file", small);
    await page.waitForFunction(() => /已保存在本设备上/.test(document.getElementById("input-data-stored")?.innerText ?? ""), null, {
      timeout: 60_000,
    });
    assert.match(await page.locator("#input-data-status").innerText(), /1,500/);
    await page.close();
    const again = await open(context, `${server.url}#input-data`);
    await again.page.waitForFunction(() => /CIFAR-10 已加载/.test(document.getElementById("input-data-status")?.innerText ?? ""), null, {
      timeout: 60_000,
    });
    assert.deepEqual([...errors, ...again.errors], []);
  } finally {
    await context.close();
    await server.close();
  }
});

test("the real archive streams in whole, is stored, and the page's peak memory is reported", { skip: ARCHIVE ? false : "set NNLAB_CIFAR10 to run" }, async (t) => {
  const server = await serve(DIST, { dataFile: ARCHIVE });
  const context = await newContext(site);
  try {
    const start = Date.now();
    const { page, errors } = await open(context, `${server.url}#live-training`);
    // The JS heap is sampled while the archive decodes; wasm memories only
    // grow, so their final size is their peak (the panel reports both).
    let jsPeak = 0;
    while (!/CIFAR-10 is loaded/.test(await page.locator("#live-data-status").innerText())) {
      jsPeak = Math.max(jsPeak, await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0));
      assert.ok(Date.now() - start < 240_000, "loaded within four minutes");
      await page.waitForTimeout(250);
    }
    const loaded = Date.now() - start;
    assert.match(await page.locator("#live-data-status").innerText(), /50,000 training images, 10,000 test images/);
    await page.waitForFunction(() => /stored on this device, 17\d\.\d MB/.test(document.getElementById("live-data-stored")?.innerText ?? ""), null, {
      timeout: 120_000,
    });
    const worker = Number(await page.locator("#live-data").getAttribute("data-worker-memory"));
    const wasmPage = Number(await page.locator("#live-data").getAttribute("data-page-memory"));
    const mb = (n) => (n / 1e6).toFixed(0);
    t.diagnostic(
      `real archive streamed in ${(loaded / 1000).toFixed(1)} s unpaced; peak memory: Worker wasm ${mb(worker)} MB + page wasm ${mb(wasmPage)} MB + page JS heap ${mb(jsPeak)} MB = ${mb(worker + wasmPage + jsPeak)} MB`,
    );
    // 153.6 MB of training pixels and 30.7 MB of test pixels must be in the
    // Worker; the compressed archive (174 MB) and the tar (184 MB) never are.
    assert.ok(worker > 184e6 && worker < 184e6 + 150e6, `Worker memory ${worker}`);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
  }
});

test("offline: with the server gone, a fresh tab trains on the stored data, on every core's Worker", async (t) => {
  const server = await serve(DIST, { dataFile: small });
  const context = await newContext(site);
  try {
    const url = `${server.url}index.html#live-training`;
    const { page, errors } = await open(context, url);
    assert.ok(await page.evaluate(() => window.nnlabOffline), "the service worker is active");
    await page.waitForFunction(() => /stored on this device/.test(document.getElementById("live-data-stored")?.innerText ?? ""), null, {
      timeout: 60_000,
    });
    await page.close();
    await server.close();

    const offline = await open(context, "about:blank");
    const ms = await firstUpdate(offline.page, url);
    t.diagnostic(`offline: first weight update ${(ms / 1000).toFixed(2)} s after opening`);
    assert.equal(await offline.page.evaluate(() => crossOriginIsolated), true);
    const cores = Math.min(4, Math.max(1, (await import("node:os")).availableParallelism()));
    if (cores > 1) {
      // The team's measurement is made and shown, whichever way it went.
      await offline.page.waitForFunction(
        (n) => new RegExp(`^on ${n} Web Workers, [\\d.]+× one$|^on 1 Web Worker \\(${n} measured`).test(document.getElementById("live-workers")?.innerText ?? ""),
        cores,
      );
    }
    assert.deepEqual([...errors, ...offline.errors], []);
  } finally {
    await context.close();
    await server.close();
  }
});

test("deploy anywhere static: dist/ with data/ inside, no headers, no manifest", async () => {
  // What `cp -r dist/ host/` plus the archive gives on a host with no features.
  const host = mkdtempSync(join(tmpdir(), "nnlab-static-"));
  cpSync(DIST, host, { recursive: true });
  mkdirSync(join(host, "data"), { recursive: true });
  cpSync(small, join(host, "data", "cifar-10-binary.tar.gz"));
  const server = await serve(host, { isolated: false, manifest: false });
  const context = await newContext(site);
  try {
    const { page, errors } = await open(context, "about:blank");
    await firstUpdate(page, `${server.url}#live-training`);
    assert.equal(await page.evaluate(() => crossOriginIsolated), false, "no headers, no isolation on the first visit");
    assert.match(await page.locator("#live-workers").innerText(), /on 1 Web Worker \(without cross-origin isolation/);
    // The only console error is the host's 404 for the optional manifest.
    assert.ok(errors.every((e) => /404/.test(e)), errors.join("\n"));
  } finally {
    await context.close();
    await server.close();
  }
});
