// End-to-end: the deep-training lesson (针对梯度传播的改进). Before data it
// shows the data panel; with CIFAR-10 loaded through its file input (the real
// archive named by env NNLAB_CIFAR10, else a small archive in the official
// layout) the two ten-layer networks train side by side in the Worker. The
// "before 2009" network's gradient bars shrink towards the input while the
// "after" network's do not collapse; both curves are drawn; a switch (menu or
// key) changes the recipe shown and the link; zh and en; no horizontal
// overflow on a 390-pixel phone; nothing logs an error.
//
// Run: DIST=dist NNLAB_CIFAR10=/path/cifar-10-binary.tar.gz node tests/e2e/run.mjs tests/e2e/deep-training.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCifarArchive } from "./lib/cifar-fixture.mjs";
import { ARTIFACTS, openPage, setInputFiles, startSite } from "./lib/site.mjs";
import { inkedPixels } from "./lib/canvas.mjs";

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

/** The real archive if named, else a small one made here. */
function archive() {
  if (process.env.NNLAB_CIFAR10) return process.env.NNLAB_CIFAR10;
  const path = join(mkdtempSync(join(tmpdir(), "nnlab-deep-")), "cifar-10-binary.tar.gz");
  writeCifarArchive(path, { perBatch: 200, test: 200 });
  return path;
}

/** The gradient norms a panel's bars print (3.52e-15) and the bars' widths in pixels, layer 1 first. */
function bars(page, lane) {
  return page.evaluate((lane) => {
    const box = document.getElementById(`deep-bars-${lane}`);
    const norms = [...box.querySelectorAll(".deep-bar-value")].map((v) => Number(v.innerText));
    const widths = [...box.querySelectorAll(".deep-bar-fill")].map((f) => f.getBoundingClientRect().width);
    return { norms, widths };
  }, lane);
}

const HAN = /\p{Script=Han}/u;

test("deep training: vanishing gradients before 2009, not after; switches; zh and en; phone", async () => {
  const { page, errors, close } = await openPage(site, "#deep-training", { locale: "en-US" });
  // Before data: the data panel, the lesson's content hidden.
  await page.waitForSelector("#deep-data-status");
  assert.equal(await page.locator(".deep-content").isHidden(), true);

  await setInputFiles(page, "#deep-data-file", archive());
  await page.waitForFunction(() => /weight updates/.test(document.getElementById("deep-status")?.innerText ?? ""), null, { timeout: 300_000 });
  assert.match(await page.locator("#deep-recipe-0").innerText(), /Sigmoid · N\(0, 0\.01²\) init · SGD/);
  assert.match(await page.locator("#deep-recipe-1").innerText(), /ReLU · He init · Adam/);

  await page.click("#deep-run");
  await page.waitForFunction(() => /Train again/.test(document.getElementById("deep-run")?.innerText ?? ""), null, { timeout: 300_000 });
  const status = (await page.locator("#deep-status").innerText()).replace(/,/g, "");
  const [, done, total] = status.match(/(\d+) of (\d+) weight updates/);
  assert.equal(done, total, `every update done: ${status}`);

  const old = await bars(page, 0);
  const modern = await bars(page, 1);
  assert.equal(old.norms.length, 10, `ten layers: ${old.norms}`);
  assert.equal(modern.norms.length, 10, `ten layers: ${modern.norms}`);
  // Before 2009 the gradient shrinks layer by layer towards the input…
  for (let l = 1; l < 9; l += 1) assert.ok(old.norms[l] < old.norms[l + 1], `before: layer ${l + 1} < layer ${l + 2}: ${old.norms}`);
  assert.ok(old.norms[0] < 1e-6 * old.norms[9], `before: layer 1 gets almost nothing: ${old.norms}`);
  assert.ok(old.widths[0] < old.widths[9] - 50, `before: the first bar is much shorter: ${old.widths}`);
  // …after, every layer keeps a gradient of about the same size.
  assert.ok(modern.norms.every((n) => n > 0), `after: ${modern.norms}`);
  assert.ok(modern.norms[0] > 1e-3 * modern.norms[9], `after: the first layer still learns: ${modern.norms}`);
  assert.ok(modern.widths[0] > modern.widths[9] - 60, `after: the first bar is not collapsed: ${modern.widths}`);
  // Both curves and the test accuracies.
  assert.ok((await inkedPixels(page, "deep-loss")) > 300, "the loss curves are drawn");
  assert.ok((await inkedPixels(page, "deep-accuracy")) > 300, "the accuracy curves are drawn");
  assert.match(await page.locator("#deep-acc-0").innerText(), /%/);
  assert.match(await page.locator("#deep-acc-1").innerText(), /%/);
  await page.screenshot({ path: join(ARTIFACTS, "deep-training-en-1440.png"), fullPage: true });

  // A switch swaps one ingredient: the recipe shown, the link and the Worker's pair change.
  await page.selectOption("#deep-0-act", "relu");
  await page.waitForFunction(() => /^ReLU · N\(0, 0\.01²\) init · SGD/.test(document.getElementById("deep-recipe-0")?.innerText ?? ""));
  await page.waitForFunction(() => location.hash.includes("before-act=relu"));
  await page.waitForFunction(() => /^epoch 1 of \d+ · 0 of/.test(document.getElementById("deep-status")?.innerText ?? ""));
  // Key 3: the "before" network's optimiser.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press("3");
  await page.waitForFunction(() => document.getElementById("deep-0-opt")?.value === "adam");
  assert.match(await page.locator("#deep-recipe-0").innerText(), /ReLU · N\(0, 0\.01²\) init · Adam \(lr = 0\.001\)/);

  // 中文.
  await page.click(".lang-switch");
  await page.waitForFunction(() => /第 1 层/.test(document.getElementById("deep-bars-0")?.innerText ?? ""));
  const zh = await page.evaluate(() => ({
    title: document.querySelector(".lesson-head .lesson-title")?.innerText ?? "",
    recipe: document.getElementById("deep-recipe-0")?.innerText ?? "",
    lanes: [...document.querySelectorAll(".deep-lane-title")].map((h) => h.innerText),
    status: document.getElementById("deep-status")?.innerText ?? "",
  }));
  assert.match(zh.title, HAN);
  assert.match(zh.recipe, /初始化/);
  assert.deepEqual(zh.lanes, ["2009 年以前", "2009 年以后"]);
  assert.match(zh.status, /次权重更新/);
  await page.screenshot({ path: join(ARTIFACTS, "deep-training-zh-1440.png"), fullPage: true });

  // A phone: nothing wider than the screen, in both languages.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const lang of ["zh", "en"]) {
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${lang}: the page is ${overflow} px wider than the phone`);
    await page.screenshot({ path: join(ARTIFACTS, `deep-training-${lang}-390.png`), fullPage: true });
    if (lang === "zh") await page.click(".lang-switch");
  }
  assert.deepEqual(errors, []);
  await close();
});
