// End-to-end: the weight-initialisation and training-loop lessons in headless
// Chromium, without CIFAR-10 loaded (so the stand-in data is used and labelled).
// Switches initialisers and checks the std read-outs move the right way, steps
// through the five phases of the training loop and runs it until the loss
// curve is drawn. Any console error or page error fails the test.
//
// Run: DIST=/tmp/dist-x node --test tests/e2e/init-training.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, startSite } from "./lib/site.mjs";

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

/** A number as the lesson writes it ("2.55e−2", "0.180"). */
const parse = (s) => Number(s.trim().replace("−", "-"));

/** Waits until the initialisation verdict is in (every layer computed). */
async function initDone(page) {
  await page.waitForFunction(() => {
    const v = document.getElementById("init-verdict")?.innerText ?? "";
    return v.length > 0 && !/layer by layer|逐层/.test(v);
  });
}

/** The activation std of row `row` (0 = input, 1… layers). */
async function actStd(page, row) {
  return parse(await page.locator(`#init-astd-${row}`).innerText());
}

/** Pixels of `id`'s canvas with the colour (r, g, b), within a tolerance. */
function colourPixels(page, id, [r, g, b]) {
  return page.evaluate(
    ([id, r, g, b]) => {
      const c = document.getElementById(id);
      const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(data[i] - r) < 12 && Math.abs(data[i + 1] - g) < 12 && Math.abs(data[i + 2] - b) < 12) n += 1;
      }
      return n;
    },
    [id, r, g, b],
  );
}

test("initialisation: small weights vanish, He keeps the signal alive", async () => {
  const { page, errors, close } = await openPage(site, "#weight-init");
  await page.waitForSelector("#init-canvas");
  await initDone(page);
  // The Worker first looks for CIFAR-10 ("loading…"); with none served, the stand-in is named.
  await page.waitForFunction(() => /Stand-in batch/.test(document.querySelector("#init-source").innerText));

  // Lecture net, N(0, 0.01²), ReLU: the logits' std is far below the first layer's.
  const first = await actStd(page, 1);
  const last = await actStd(page, 4);
  assert.ok(last < first / 100, `first ${first}, last ${last}`);
  assert.match(await page.locator("#init-verdict").innerText(), /Vanishing/);
  // Histogram bars in both colours (weights blue, activations orange: draw/palette.rs, light theme).
  assert.ok((await colourPixels(page, "init-canvas", [0x3b, 0x4f, 0xd8])) > 200);
  assert.ok((await colourPixels(page, "init-canvas", [0xb9, 0x50, 0x1c])) > 200);
  await page.screenshot({ path: join(ARTIFACTS, "init-small-normal.png"), fullPage: true });

  // Deep net, then He normal: the last layer's std comes back up by orders of magnitude.
  await page.selectOption("#init-depth", "deep");
  await initDone(page);
  const deepSmall = await actStd(page, 9);
  await page.selectOption("#init-init", "he-normal");
  await initDone(page);
  const deepHe = await actStd(page, 9);
  assert.ok(deepHe > deepSmall * 1e4, `small ${deepSmall}, he ${deepHe}`);
  assert.match(await page.locator("#init-verdict").innerText(), /keeps its size/);
  const wstd = parse(await page.locator("#init-wstd-1").innerText());
  assert.ok(Math.abs(wstd / Math.sqrt(2 / 3072) - 1) < 0.03, `He weight std ${wstd}`);
  await page.screenshot({ path: join(ARTIFACTS, "init-he-deep.png"), fullPage: true });

  // Re-draw: a new seed, new weights, same law.
  const seed = await page.inputValue("#init-seed");
  await page.click("#init-redraw");
  await initDone(page);
  assert.equal(Number(await page.inputValue("#init-seed")), Number(seed) + 1);

  // Chinese, narrow.
  await page.click(".lang-switch");
  await initDone(page);
  assert.match(await page.locator("#init-source").innerText(), /替代批量/);
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, "init-zh-700.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});

test("training loop: five phases, counters, and a loss curve", async () => {
  const { page, errors, close } = await openPage(site, "#training");
  await page.waitForSelector("#train-step");
  // The Worker first looks for CIFAR-10 ("loading…"); with none served, the stand-in is named.
  await page.waitForFunction(() => /Stand-in data/.test(document.querySelector("#train-source").innerText));
  assert.equal(await page.locator("#train-updates").innerText(), "0");
  assert.equal(await page.locator(".train-line.active").count(), 0);

  // Step through the five phases: the highlight moves down the loop's lines 1..5.
  for (let phase = 1; phase <= 5; phase += 1) {
    await page.click("#train-step");
    await page.waitForSelector(`#train-line-${phase}.active`);
    assert.equal(await page.locator(".train-line.active").count(), 1);
    assert.equal(await page.locator(`#train-phase-${phase}.active`).count(), 1);
    if (phase === 1) {
      assert.equal(await page.locator("#train-batch-id").innerText(), "0");
      assert.equal(await page.locator("#train-epoch").innerText(), "1");
    }
    if (phase === 3) {
      const loss = parse((await page.locator("#train-loss").innerText()).replace("loss =", ""));
      assert.ok(Math.abs(loss - Math.log(10)) < 0.3, `first loss ${loss}`);
    }
    if (phase === 4) assert.equal(await page.locator("#train-grads tr").count(), 5);
  }
  assert.equal(await page.locator("#train-updates").innerText(), "1");
  assert.equal(await page.locator("#train-ipe").innerText(), "31");
  await page.screenshot({ path: join(ARTIFACTS, "training-phases.png"), fullPage: true });

  // One whole batch more: batch_id 1, two updates.
  await page.click("#train-batch");
  await page.waitForFunction(() => document.getElementById("train-updates").innerText === "2");
  assert.equal(await page.locator("#train-batch-id").innerText(), "1");

  // Run a few dozen iterations; the loss curve gets drawn and the loss falls.
  await page.click("#train-run");
  await page.waitForFunction(() => Number(document.getElementById("train-updates").innerText) >= 30, null, {
    timeout: 150000,
  });
  await page.click("#train-run");
  assert.ok((await colourPixels(page, "train-curve", [0x3b, 0x4f, 0xd8])) > 100, "loss curve drawn");
  const lossText = await page.locator("#train-loss").innerText();
  await page.screenshot({ path: join(ARTIFACTS, "training-run.png"), fullPage: true });

  // The lecture's arithmetic, with the right N.
  const arith = await page.locator("#train-arith").innerText();
  assert.match(arith, /781/);
  assert.match(arith, /23,430/);
  assert.match(arith, /28,140/);
  assert.ok(lossText.length > 0);

  await page.click(".lang-switch");
  await page.setViewportSize({ width: 700, height: 900 });
  await page.waitForTimeout(300);
  assert.match(await page.locator("#train-arith").innerText(), /50,000/);
  await page.screenshot({ path: join(ARTIFACTS, "training-zh-700.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});
