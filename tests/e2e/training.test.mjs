// End-to-end: CIFAR-10 in the page. Without data the data lesson says how to
// get it; a broken file shows the core's message; with env NNLAB_CIFAR10 (the
// real cifar-10-binary.tar.gz) the archive is loaded through the file input,
// the gallery is drawn, training runs in the Worker (curves, weight images,
// samples/s), pauses and resumes, and the model is saved and loaded back.
//
// Run: DIST=dist NNLAB_CIFAR10=/path/cifar-10-binary.tar.gz node --test tests/e2e/training.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { ARTIFACTS, openPage, setInputFiles, startSite } from "./lib/site.mjs";
import { inkedPixels } from "./lib/canvas.mjs";

const ARCHIVE = process.env.NNLAB_CIFAR10;

// The site's data/manifest.json lists no archive, so the page never asks for
// one (no 404 among the console errors).
let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

/** Distinct colours of a canvas (photos have many). */
function colours(page, id) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id);
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen.size;
  }, id);
}

/** Class colours (tab10, drawn at 80 % over white) with at least 10 pixels in a canvas. */
function classColours(page, id) {
  return page.evaluate((id) => {
    const tab10 = [[31, 119, 180], [255, 127, 14], [44, 160, 44], [214, 39, 40], [148, 103, 189], [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207]];
    const canvas = document.getElementById(id);
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const counts = tab10.map(() => 0);
    for (let i = 0; i < data.length; i += 4) {
      tab10.forEach(([r, g, b], c) => {
        const [br, bg, bb] = [0.8 * r + 51, 0.8 * g + 51, 0.8 * b + 51];
        if (Math.abs(data[i] - br) < 12 && Math.abs(data[i + 1] - bg) < 12 && Math.abs(data[i + 2] - bb) < 12) counts[c] += 1;
      });
    }
    return counts.filter((n) => n >= 10).length;
  }, id);
}

test("without data the input-data lesson says how to get it", async () => {
  const { page, errors, close } = await openPage(site, "#input-data");
  await page.waitForFunction(() => /not loaded yet/.test(document.getElementById("input-data-status")?.innerText ?? ""));
  const howto = await page.locator("#input-data-howto").innerText();
  assert.match(howto, /scripts\/get-cifar10\.sh/);
  assert.match(howto, /cifar-10-binary\.tar\.gz/);
  assert.match(await page.locator("#input-facts").innerText(), /50,000 training images|50000/);
  await page.screenshot({ path: join(ARTIFACTS, "input-data-missing.png"), fullPage: true });
  // The depth lesson says the same, with the same panel.
  await page.click('a[data-lesson="depth"]');
  await page.waitForFunction(() => /not loaded yet/.test(document.getElementById("depth-data-status")?.innerText ?? ""));
  assert.match(await page.locator("#depth-data-howto").innerText(), /scripts\/get-cifar10\.sh/);
  assert.equal(await page.locator(".depth-content").isHidden(), true);
  assert.deepEqual(errors, []);
  await close();
});

test("a truncated archive shows the core's message and nothing is loaded", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nnlab-e2e-"));
  // Two synthetic records, gzipped, cut in the middle.
  const records = Buffer.alloc(2 * 3073, 7);
  const gz = gzipSync(records);
  const broken = join(dir, "cifar-10-binary.tar.gz");
  writeFileSync(broken, gz.subarray(0, Math.floor(gz.length / 2)));
  const { page, errors, close } = await openPage(site, "#input-data");
  await setInputFiles(page, "#input-data-file", broken);
  await page.waitForFunction(() => /could not be loaded/.test(document.getElementById("input-data-status")?.innerText ?? ""));
  const status = await page.locator("#input-data-status").innerText();
  assert.match(status, /gzip|truncated|cut off|tar/i);
  assert.equal(await page.locator(".data-content").isHidden(), true);
  // Random bytes as a batch file: not a whole number of records.
  const random = join(dir, "data_batch_1.bin");
  writeFileSync(random, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 37) % 256)));
  await setInputFiles(page, "#input-data-file", random);
  await page.waitForFunction(() => /3,?073-byte records|3073/.test(document.getElementById("input-data-status")?.innerText ?? ""));
  assert.deepEqual(errors, []);
  await close();
});

test("real CIFAR-10: gallery, live training, pause/resume, save and load", { skip: ARCHIVE ? false : "set NNLAB_CIFAR10 to cifar-10-binary.tar.gz to run" }, async () => {
  const { page, errors, close } = await openPage(site, "#input-data");
  await setInputFiles(page, "#input-data-file", ARCHIVE);
  await page.waitForFunction(() => /CIFAR-10 is loaded/.test(document.getElementById("input-data-status")?.innerText ?? ""), null, { timeout: 300_000 });
  assert.match(await page.locator("#input-data-status").innerText(), /50,000 training images, 10,000 test images/);
  await page.waitForTimeout(300);
  assert.ok((await colours(page, "input-gallery")) > 500, "the gallery shows photos");
  await page.selectOption("#input-filter", "3");
  await page.waitForTimeout(300);
  await page.hover("#input-vector", { position: { x: 200, y: 60 } });
  await page.waitForFunction(() => /x\[\d+\] = \d+ \/ 255/.test(document.getElementById("input-hover")?.innerText ?? ""));
  await page.screenshot({ path: join(ARTIFACTS, "input-data.png"), fullPage: true });

  await page.click('a[data-lesson="live-training"]');
  await page.waitForSelector("#live-run");
  await page.click("#live-run");
  await page.waitForFunction(() => Number((document.getElementById("live-updates")?.innerText ?? "0").replace(/,/g, "")) >= 200, null, { timeout: 600_000 });
  assert.match(await page.locator("#live-speed").innerText(), /^\d+$/);
  assert.ok((await inkedPixels(page, "live-loss-chart")) > 500, "the loss curve is drawn");
  assert.ok((await colours(page, "live-weights")) > 1000, "the weight images are drawn");
  await page.click("#live-run"); // pause
  await page.waitForFunction(() => /Resume/.test(document.getElementById("live-run")?.innerText ?? ""));
  const paused = await page.locator("#live-updates").innerText();
  await page.waitForTimeout(1000);
  assert.equal(await page.locator("#live-updates").innerText(), paused, "paused means no updates");
  await page.screenshot({ path: join(ARTIFACTS, "live-training.png"), fullPage: true });

  // The depth lesson shows the trained network's layers: the clouds have
  // dots of at least three class colours, and a picked image is followed.
  await page.click('a[data-lesson="depth"]');
  await page.waitForFunction(() => /Trained for/.test(document.getElementById("depth-status")?.innerText ?? ""));
  for (let k = 0; k < 5; k += 1) {
    assert.ok((await classColours(page, `depth-cloud-${k}`)) >= 3, `cloud ${k} shows three classes or more`);
  }
  assert.match(await page.locator("#depth-sep-4").innerText(), /class separation 0\.\d\d/);
  const thumbs = await page.locator("#depth-thumbs").boundingBox();
  const cell = thumbs.width / (thumbs.width / thumbs.height > 10 ? 16 : 8); // one row of 16 or two of 8
  // Relative to the element (scrolled into view first): the pictures drawn
  // above it may still move it after its box was read.
  await page.locator("#depth-thumbs").click({ position: { x: cell * 3.5, y: cell / 2 } });
  await page.waitForFunction(() => /#3 /.test(document.getElementById("depth-activations")?.getAttribute("data-probe") ?? ""));
  assert.ok((await inkedPixels(page, "depth-activations")) > 3000, "the activations are drawn");
  await page.screenshot({ path: join(ARTIFACTS, "depth.png"), fullPage: true });
  await page.click('a[data-lesson="live-training"]');
  await page.waitForSelector("#live-run");
  await page.click("#live-run"); // resume
  await page.waitForFunction((before) => document.getElementById("live-updates").innerText !== before, paused, { timeout: 120_000 });
  await page.click("#live-run");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#live-save")]);
  const saved = join(mkdtempSync(join(tmpdir(), "nnlab-model-")), "model.json");
  await download.saveAs(saved);
  await setInputFiles(page, "#live-load-file", saved);
  await page.waitForFunction(() => /loaded from a file/.test(document.getElementById("live-status")?.innerText ?? ""), null, { timeout: 120_000 });
  assert.deepEqual(errors, []);
  await close();
});
