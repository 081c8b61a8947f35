// End-to-end: the live-training and training-loop lessons say and show what
// is true (issue 12). On a small archive in CIFAR-10's layout (made here):
// weight images fill their canvas on HiDPI screens; the training loop trains
// on training images, never the test set, and its loss curve shows the first
// update; a refused learning rate is explained; a too-large one that
// collapses training pauses it with a word why; a loaded model has no epoch
// yet; "Evaluate" says it evaluates, then the result, every time; the
// canvases have text alternatives. Any console error fails a test.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/live-honest.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, openPage, setInputFiles, startSite } from "./lib/site.mjs";
import { writeCifarArchive } from "./lib/cifar-fixture.mjs";

let site;
let archive;

before(async () => {
  site = await startSite();
  // 5 × 200 = 1,000 training images, 300 test images.
  archive = join(mkdtempSync(join(tmpdir(), "nnlab-honest-")), "cifar-10-binary.tar.gz");
  writeCifarArchive(archive, { perBatch: 200, test: 300 });
});

after(async () => {
  await site?.close();
});

const text = (page, id) => page.evaluate((id) => document.getElementById(id)?.innerText ?? "", id);

/** Opens live training at `path` and loads the small archive into it; waits for the untrained network. */
async function liveWithData(path = "#live-training", options = {}) {
  const opened = await openPage(site, path, options);
  await setInputFiles(opened.page, "#live-data-file", archive);
  await opened.page.waitForFunction(() => /parameters|个参数/.test(document.getElementById("live-status")?.innerText ?? ""), null, {
    timeout: 60_000,
  });
  return opened;
}

/** Share of non-transparent pixels in each quadrant of canvas `id` (top-left, top-right, bottom-left, bottom-right). */
function quadrantInk(page, id) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id);
    const { width: w, height: h } = canvas;
    const { data } = canvas.getContext("2d").getImageData(0, 0, w, h);
    const ink = [0, 0, 0, 0];
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        if (data[(y * w + x) * 4 + 3] > 0) ink[(y >= h / 2 ? 2 : 0) + (x >= w / 2 ? 1 : 0)] += 1;
      }
    }
    return ink.map((n) => n / ((w * h) / 4));
  }, id);
}

for (const scale of [2, 3]) {
  test(`the weight images fill their canvas at devicePixelRatio ${scale}`, async () => {
    // Loaded in the data lesson first: live training then opens on data at
    // rest, and draws its weight images once, on its first frame.
    const { page, errors, close } = await openPage(site, "#input-data", { deviceScaleFactor: scale });
    await setInputFiles(page, "#input-data-file", archive);
    await page.waitForFunction(() => /CIFAR-10 is loaded/.test(document.getElementById("input-data-status")?.innerText ?? ""), null, {
      timeout: 60_000,
    });
    await page.waitForTimeout(1000);
    await page.click('a[data-lesson="live-training"]');
    await page.waitForFunction(() => (document.getElementById("live-weights")?.width ?? 0) > 0);
    await page.waitForTimeout(300);
    const [topLeft, topRight, bottomLeft, bottomRight] = await quadrantInk(page, "live-weights");
    // Drawn at 1/dpr size, the pictures filled the top-left 1/dpr² and left the rest blank.
    assert.ok(topLeft > 0.5, `top-left ${topLeft}`);
    assert.ok(topRight > 0.5, `top-right ${topRight}`);
    assert.ok(bottomLeft > 0.3, `bottom-left ${bottomLeft}`);
    assert.ok(bottomRight > 0.2, `bottom-right ${bottomRight}`);
    await page.locator("#live-weights").screenshot({ path: join(ARTIFACTS, `live-weights-dpr${scale}.png`) });
    assert.deepEqual(errors, []);
    await close();
  });
}

/** Pixels of canvas `id` within 12 of (r, g, b) in every channel. */
function colourPixels(page, id, [r, g, b]) {
  return page.evaluate(
    ({ id, r, g, b }) => {
      const canvas = document.getElementById(id);
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) n += 1;
      }
      return n;
    },
    { id, r, g, b },
  );
}

for (const [lang, locale, says] of [
  ["en", "en-US", /Training on 1,000 of CIFAR-10's 1,000 training images, never on the test set/],
  ["zh", "zh-CN", /CIFAR-10 的 1,000 张训练图像中的 1,000 张上训练，从不使用测试集/],
]) {
  test(`the training loop trains on training images, not the test set, and shows its first loss (${lang})`, async () => {
    const { page, errors, close } = await liveWithData("#live-training", { locale });
    await page.click('a[data-lesson="training"]');
    await page.waitForFunction((source) => new RegExp(source).test(document.getElementById("train-source")?.innerText ?? ""), says.source);
    // N is the 1,000 training images (the test set has 300).
    assert.match(await text(page, "train-arith-page"), /N = 1,000/);
    assert.equal(await colourPixels(page, "train-curve", [0x3b, 0x4f, 0xd8]), 0, "no loss yet");
    await page.click("#train-batch");
    await page.waitForFunction(() => document.getElementById("train-updates")?.innerText === "1");
    await page.waitForTimeout(200);
    const dot = await colourPixels(page, "train-curve", [0x3b, 0x4f, 0xd8]);
    assert.ok(dot >= 12, `the first loss is a dot: ${dot} px`);
    await page.screenshot({ path: join(ARTIFACTS, `training-loop-cifar-${lang}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await close();
  });
}

for (const [lang, locale, says] of [
  ["en", "en-US", /0\.00001 to 1/],
  ["zh", "zh-CN", /0\.00001 到 1/],
]) {
  test(`a refused learning rate is explained and the last valid one stays (${lang})`, async () => {
    const { page, errors, close } = await liveWithData("#live-training", { locale });
    const box = page.locator("#live-lr .slider-number");
    const alert = page.locator("#live-lr-refused");
    assert.equal(await alert.getAttribute("role"), "alert");
    for (const typed of ["NaN", "1e309", "-1", "abc"]) {
      await box.fill(typed);
      await box.press("Enter");
      await page.waitForFunction(() => (document.getElementById("live-lr-refused")?.innerText ?? "") !== "");
      assert.match(await alert.innerText(), says, typed);
      assert.equal(await box.getAttribute("aria-invalid"), "true");
      assert.ok(await alert.isVisible());
      await page.waitForTimeout(100);
      assert.match(await page.evaluate(() => location.hash), /lr=0\.001(&|$)/, `${typed} is not applied`);
    }
    await page.screenshot({ path: join(ARTIFACTS, `live-lr-refused-${lang}.png`) });
    await box.fill("0.01");
    await box.press("Enter");
    await page.waitForFunction(() => document.getElementById("live-lr-refused")?.innerText === "");
    assert.equal(await box.getAttribute("aria-invalid"), "false");
    await page.waitForFunction(() => /lr=0\.01(&|$)/.test(location.hash));
    assert.deepEqual(errors, []);
    await close();
  });
}

test("a learning rate of 1 collapses training: it pauses and says why", async () => {
  const { page, errors, close } = await liveWithData("#live-training?lr=1&batch=16");
  await page.click("#live-run");
  await page.waitForFunction(() => /collapsed/.test(document.getElementById("live-status")?.innerText ?? ""), null, { timeout: 120_000 });
  assert.match(await text(page, "live-status"), /lower it/i);
  assert.equal(await page.locator("#live-status").getAttribute("class").then((c) => /warning/.test(c)), true);
  await page.waitForFunction(() => /Resume/.test(document.getElementById("live-run")?.innerText ?? ""));
  const paused = await text(page, "live-updates");
  await page.waitForTimeout(800);
  assert.equal(await text(page, "live-updates"), paused, "paused: no more updates");
  await page.screenshot({ path: join(ARTIFACTS, "live-collapsed.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});

test("a loaded model has no epoch yet; Evaluate says so and answers every time", async () => {
  const { page, errors, close } = await liveWithData();
  // A fresh network: no update, no epoch.
  assert.equal(await text(page, "live-epoch"), "—");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#live-save")]);
  const saved = join(mkdtempSync(join(tmpdir(), "nnlab-model-")), "model.json");
  await download.saveAs(saved);
  await setInputFiles(page, "#live-load-file", saved);
  await page.waitForFunction(() => /loaded from a file/.test(document.getElementById("live-status")?.innerText ?? ""));
  // The network's counters come in the message after the one that says it is loaded.
  await page.waitForFunction(() => document.getElementById("live-updates")?.innerText !== "—");
  assert.equal(await text(page, "live-updates"), "0");
  assert.equal(await text(page, "live-epoch"), "—");

  // Every text the status shows, in order.
  await page.evaluate(() => {
    window.statusSeen = [];
    const status = document.getElementById("live-status");
    new MutationObserver(() => window.statusSeen.push(status.innerText)).observe(status, { childList: true, characterData: true, subtree: true });
  });
  const result = /^Test accuracy \d+\.\d% \(300 test images, after 0 updates\)\.$/;
  for (const n of [1, 2]) {
    await page.click("#live-evaluate");
    await page.waitForFunction(
      ({ n, source }) => {
        const seen = window.statusSeen;
        const results = seen.filter((s) => new RegExp(source).test(s)).length;
        return seen.filter((s) => s === "Evaluating…").length === n && results === n && new RegExp(source).test(seen.at(-1));
      },
      { n, source: result.source },
    );
  }
  const seen = await page.evaluate(() => window.statusSeen);
  assert.deepEqual(
    seen.map((s) => (s === "Evaluating…" ? "evaluating" : result.test(s) ? "result" : s)),
    ["evaluating", "result", "evaluating", "result"],
  );
  assert.deepEqual(errors, []);
  await close();
});

for (const [lang, locale, chart, weights, card] of [
  ["en", "en-US", /^Loss \(cross-entropy\) after [\d,]+ weight updates — train \(mini-batches\): \d+\.\d{3}; test: \d+\.\d{3}\.$/, /^100 small pictures/, /^Test image \d+, true class \S+; the network's most likely classes: .+ \d+\.\d%/],
  ["zh", "zh-CN", /^损失 \(交叉熵\)，[\d,]+ 次权重更新后——训练（小批量）：\d+\.\d{3}；测试：\d+\.\d{3}。$/, /^100 张小图/, /^测试图像 \d+，真实类别为.+；网络认为最可能的类别：.+\d+\.\d%/],
]) {
  test(`every canvas of live training and how-it-works has a text alternative (${lang})`, async () => {
    const { page, errors, close } = await liveWithData("#live-training", { locale });
    await page.click("#live-run");
    await page.waitForFunction(() => Number((document.getElementById("live-updates")?.innerText ?? "0").replace(/,/g, "")) >= 100, null, {
      timeout: 120_000,
    });
    await page.click("#live-run");
    await page.click("#live-evaluate");
    await page.waitForTimeout(500);
    const canvases = await page.evaluate(() =>
      [...document.querySelectorAll(".live-content canvas")].map((c) => ({ id: c.id, role: c.getAttribute("role"), label: c.getAttribute("aria-label") ?? "" })),
    );
    assert.equal(canvases.length, 14, "two charts, the weights, eight cards, the photo card's three");
    for (const c of canvases) assert.ok(c.role === "img" && c.label.length > 10, JSON.stringify(c));
    assert.match(canvases.find((c) => c.id === "live-loss-chart").label, chart);
    assert.match(canvases.find((c) => c.id === "live-weights").label, weights);
    for (const c of canvases.filter((c) => c.id === "")) assert.match(c.label, card);
    // The summary follows the run.
    const before = canvases.find((c) => c.id === "live-acc-chart").label;
    await page.click("#live-run");
    await page.waitForFunction((before) => document.getElementById("live-acc-chart").getAttribute("aria-label") !== before, before, { timeout: 60_000 });
    await page.click("#live-run");

    await page.click('a[data-lesson="how-it-works"]');
    await page.waitForSelector("#how-weights");
    const how = await page.evaluate(() => [...document.querySelectorAll("main canvas")].map((c) => [c.id, c.getAttribute("role"), c.getAttribute("aria-label") ?? ""]));
    for (const [id, role, label] of how) assert.ok(role === "img" && label.length > 10, `${id}: ${role} ${label}`);
    assert.ok(how.some(([id]) => id === "how-weights"));
    assert.deepEqual(errors, []);
    await close();
  });
}
