// End-to-end: the loss-function lesson (presets move the loss read-out as
// the arithmetic says; dragging a bar changes it; the optimiser cards link to
// prepared races) and the how-it-works loop (playing it lowers the loss and
// changes the decision map; stepping walks the four stages).
//
// Run: DIST=/tmp/dist-x node --test tests/e2e/loss-how.test.mjs
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

const text = (page, selector) => page.locator(selector).innerText();
const number = async (page, selector) => Number.parseFloat(await text(page, selector));

/** Waits until `selector`'s text satisfies `check` (a function body over `t`). */
function waitForText(page, selector, check) {
  return page.waitForFunction(
    ([selector, check]) => {
      const el = document.querySelector(selector);
      return el && new Function("t", check)(el.textContent);
    },
    [selector, check],
    { timeout: 10000 },
  );
}

/** Keys typed into a focused button keep their usual meaning (see app.rs `shared_key`): press them on the page. */
async function pressOnPage(page, key) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press(key);
}

/** Stores canvas `id`'s pixels under `name` and returns how many differ from the last stored copy. */
function pixelChanges(page, id, name) {
  return page.evaluate(
    ([id, name]) => {
      const canvas = document.getElementById(id);
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const old = window[name];
      window[name] = data;
      if (!old || old.length !== data.length) return -1;
      let changed = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (Math.abs(old[i] - data[i]) + Math.abs(old[i + 1] - data[i + 1]) + Math.abs(old[i + 2] - data[i + 2]) > 30) changed += 1;
      }
      return changed;
    },
    [id, name],
  );
}

/** A fingerprint of canvas `id`'s pixels: how many are green-ish, orange-ish, blue-ish. */
function colourCounts(page, id) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id);
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const counts = { green: 0, blue: 0, orange: 0, all: canvas.width * canvas.height, distinct: 0 };
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      seen.add((r << 16) | (g << 8) | b);
      if (g > 110 && r < 80 && b < 120) counts.green += 1;
      if (b > 180 && r < 110 && g < 140) counts.blue += 1;
      if (r > 170 && g > 60 && g < 170 && b < 100) counts.orange += 1;
    }
    counts.distinct = seen.size;
    return counts;
  }, id);
}

test("loss lesson: presets set the loss the arithmetic predicts", async () => {
  const { page, errors, close } = await openPage(site, "#loss-and-optimizer");
  await page.waitForSelector("#loss-canvas");
  // Opens on the untrained network: ten equal logits, loss ln 10.
  await waitForText(page, "#loss-value", "return t === '2.303'");
  assert.equal(await text(page, "#loss-p-true"), "10%");
  assert.equal(await text(page, "#loss-grad-sum"), "0.000");
  // Ten equal logits: no single prediction, so no accuracy either.
  assert.equal(await text(page, "#loss-predicted"), "a tie of 10 classes");
  assert.equal(await text(page, "#loss-accuracy"), "—");

  await page.click("#loss-preset-right");
  await waitForText(page, "#loss-value", "return t === '0.037'");
  assert.match(await text(page, "#loss-predicted"), /cat ✓/);
  assert.equal(await text(page, "#loss-accuracy"), "100 %");

  await pressOnPage(page, "4"); // confident and wrong
  await waitForText(page, "#loss-value", "return t === '6.022'");
  assert.match(await text(page, "#loss-predicted"), /dog ✗/);
  assert.equal(await text(page, "#loss-accuracy"), "0 %");

  await pressOnPage(page, "3"); // right but unsure: accuracy 100 %, loss still large
  await waitForText(page, "#loss-value", "return t === '1.101'");
  assert.equal(await text(page, "#loss-accuracy"), "100 %");
  await page.screenshot({ path: join(ARTIFACTS, "loss-en-wide.png"), fullPage: false });

  // The true class's bars are green; pick "dog" as the truth and the green moves.
  const before = await colourCounts(page, "loss-canvas");
  assert.ok(before.green > 200, `green bars drawn: ${before.green}`);
  await page.selectOption("#loss-truth", "5");
  await waitForText(page, "#loss-predicted", "return t.includes('✗')");
  // Truth dog with cat 1.5, rest 0: −ln(1 / (e^1.5 + 9)) = ln 13.48 = 2.601.
  assert.equal(await text(page, "#loss-value"), "2.601");

  // The link holds the scene.
  await page.waitForFunction(() => location.hash.includes("t=5"));
  assert.match(page.url(), /z=0,0,0,1\.5,0,0,0,0,0,0/);
  assert.deepEqual(errors, []);
  await close();
});

test("loss lesson: dragging a logit bar up lowers the loss of its class", async () => {
  const { page, errors, close } = await openPage(site, "#loss-and-optimizer?z=0,0,0,0,0,0,0,0,0,0&t=3");
  await page.waitForSelector("#loss-canvas");
  await waitForText(page, "#loss-value", "return t === '2.303'");
  const box = await page.locator("#loss-canvas").boundingBox();
  // Column 3 (cat) of ten, after the 46 px axis margin; the logits panel is the top 40 % of the charts.
  const x = box.x + 46 + ((box.width - 56) / 10) * 3.5;
  // Press a little above 0 (mid-panel), drag to the panel's top (+12).
  await page.mouse.move(x, box.y + box.height * 0.25);
  await page.mouse.down();
  await page.mouse.move(x, box.y + 30, { steps: 5 });
  await page.mouse.up();
  await waitForText(page, "#loss-value", "return parseFloat(t) < 0.1");
  const cat = Number.parseFloat(await page.locator("#loss-logit-3 .slider-number").inputValue());
  assert.ok(cat > 8, `the cat logit follows the drag: ${cat}`);
  assert.match(await text(page, "#loss-predicted"), /cat ✓/);
  assert.deepEqual(errors, []);
  await close();
});

test("loss lesson: the optimiser cards show the lecture's code and open prepared races", async () => {
  const { page, errors, close } = await openPage(site, "#loss-and-optimizer", { locale: "zh-CN" });
  await page.waitForSelector("#loss-optim");
  assert.match(await text(page, "#loss-prepare-code"), /Adam\(learning_rate=0\.001/);
  assert.match(await text(page, "#loss-optim"), /首选 mini-batch SGD 或 Adam/);
  assert.match(await text(page, "#loss-optim"), /批大小/);
  for (const name of ["sgd", "momentum", "adagrad", "rmsprop", "adam"]) {
    assert.equal(await page.locator(`#loss-opt-${name} .loss-race-link`).count(), 1, name);
  }
  await page.screenshot({ path: join(ARTIFACTS, "loss-zh-wide.png"), fullPage: true });
  await page.click("#loss-opt-adam .loss-race-link");
  await page.waitForSelector("#descent-canvas");
  await page.waitForFunction(() => location.hash.startsWith("#descent-2d") && location.hash.includes("plateau"));
  assert.equal(await page.locator(".url-notices:not([hidden])").count(), 0, "the race accepts the link");
  assert.deepEqual(errors, []);
  await close();
});

test("how it works: stepping walks the four stages of the loop", async () => {
  const { page, errors, close } = await openPage(site, "#how-it-works");
  await page.waitForSelector("#how-map");
  assert.match(await page.getAttribute("#how-stage-weights", "class"), /active/);
  assert.equal(await text(page, "#how-loss"), "—");
  await page.click("#how-step");
  await page.waitForFunction(() => document.getElementById("how-stage-prediction").classList.contains("active"));
  assert.match(await text(page, "#how-wrong"), /\/ 200/);
  await pressOnPage(page, "ArrowRight");
  await page.waitForFunction(() => document.getElementById("how-stage-loss").classList.contains("active"));
  assert.ok((await number(page, "#how-loss")) > 0.3, "random weights: the loss is high");
  await pressOnPage(page, "ArrowRight");
  await page.waitForFunction(() => document.getElementById("how-stage-update").classList.contains("active"));
  assert.equal(await text(page, "#how-steps"), "1");
  assert.match(await page.getAttribute("#how-pic-3", "class"), /active/);
  assert.deepEqual(errors, []);
  await close();
});

test("how it works: playing the loop lowers the loss and redraws the decision map", async () => {
  const { page, errors, close } = await openPage(site, "#how-it-works?data=moons&hidden=16&opt=adam&lr=0.02&seed=1&speed=300");
  await page.waitForSelector("#how-map");
  await page.waitForFunction(() => document.getElementById("how-map").width > 0);
  const before = await colourCounts(page, "how-map");
  assert.ok(before.distinct > 100, `a heat map is drawn: ${before.distinct} colours`);
  assert.ok(before.blue > 500 && before.orange > 200, `dots of both classes: ${JSON.stringify(before)}`);
  await pixelChanges(page, "how-map", "__mapBefore");
  await pressOnPage(page, " ");
  await waitForText(page, "#how-steps", "return parseInt(t) >= 5");
  const early = await number(page, "#how-loss");
  await waitForText(page, "#how-steps", "return parseInt(t) >= 400");
  await pressOnPage(page, " ");
  const late = await number(page, "#how-loss");
  assert.ok(late < early / 3, `loss falls: ${early} → ${late}`);
  assert.ok(late < 0.15, `the moons are separated: loss ${late}`);
  const changed = await pixelChanges(page, "how-map", "__mapBefore");
  assert.ok(changed > 0.1 * before.all, `the decision map changed: ${changed} of ${before.all} pixels`);
  const wrong = Number.parseInt(await text(page, "#how-wrong"), 10);
  assert.ok(wrong <= 10, `few points wrong: ${wrong}`);
  const curve = await colourCounts(page, "how-curve");
  assert.ok(curve.distinct > 10, "the loss curve is drawn");
  await page.screenshot({ path: join(ARTIFACTS, "how-en-wide.png"), fullPage: true });

  // Random re-initialisation: a new seed, back to step 0, loss high again.
  await page.click("#how-reinit");
  await waitForText(page, "#how-steps", "return t === '0'");
  assert.match(await text(page, "#how-seed"), /seed 2/);
  await page.waitForFunction(() => location.hash.includes("seed=2"));
  assert.deepEqual(errors, []);
  await close();
});

test("both lessons at 700 px, in Chinese", async () => {
  for (const slug of ["how-it-works", "loss-and-optimizer"]) {
    const { page, errors, close } = await openPage(site, `#${slug}`, { locale: "zh-CN", width: 700, height: 900 });
    await page.waitForSelector(slug === "how-it-works" ? "#how-map" : "#loss-canvas");
    await page.waitForTimeout(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${slug}: no sideways scrolling (${overflow}px)`);
    await page.screenshot({ path: join(ARTIFACTS, `${slug}-zh-700.png`), fullPage: true });
    assert.deepEqual(errors, []);
    await close();
  }
});
