// End-to-end: a lesson's whole state lives in the URL fragment. An instructor's
// prepared link opens the gradient, network and 1-D descent lessons with its
// values in the controls and in the picture; changing a control rewrites the
// fragment; a hostile link falls back to defaults and says so, as plain text;
// and Space, pressed once, toggles play exactly once (the app's shared keys
// reach the lessons through `Lesson::command`, with no second listener).
//
// Run: DIST=/tmp/dist-x node --test tests/e2e/url-state.test.mjs (DIST defaults to dist/).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, startSite } from "./lib/site.mjs";
import { countPixels, worldToClient } from "./lib/canvas.mjs";
import { setSlider, text, waitForText } from "./lib/controls.mjs";

// Views of the surfaces used (crates/nnlab/src/surfaces/*.rs).
const DOUBLE_WELL = { x: [-2, 2], y: [-4, 6.5] };
const ILL_CONDITIONED = { x: [-10, 10], y: [-4, 4] };
const RED = "return r > 190 && g < 110 && b < 110;";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));
const waitForHash = (page, part) =>
  page.waitForFunction((p) => decodeURIComponent(location.hash).includes(p), part, { timeout: 15000 });
const sliderValue = (page, id) => page.inputValue(`#${id} .slider-number`);

async function canvasReady(page, id) {
  await page.locator(`#${id}`).waitFor();
  await page.waitForFunction((id) => document.getElementById(id).width > 0, id);
}

/** Red pixels within `r` CSS pixels of client point `at` on canvas `id`. */
function redNear(page, id, at, r = 8) {
  return page.evaluate(
    ([id, at, r]) => {
      const canvas = document.getElementById(id);
      const box = canvas.getBoundingClientRect();
      const k = canvas.width / box.width;
      const cx = Math.round((at.x - box.left) * k);
      const cy = Math.round((at.y - box.top) * k);
      const R = Math.round(r * k);
      const { data } = canvas.getContext("2d").getImageData(cx - R, cy - R, 2 * R + 1, 2 * R + 1);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] > 190 && data[i + 1] < 110 && data[i + 2] < 110) n += 1;
      return n;
    },
    [id, at, r],
  );
}

test("gradient: a prepared link sets the surface, W₀ and the step; a change rewrites the link", async () => {
  const { page, errors, close } = await openPage(
    site,
    "#gradient?s=ill-conditioned&start=1,1&step=0.05&speed=2&lang=en",
  );
  await canvasReady(page, "grad-canvas");
  assert.equal(await page.inputValue("#grad-surface"), "ill-conditioned");
  assert.equal(Number(await sliderValue(page, "grad-size")), 0.05);
  const [x0, y0] = (await text(page, "#grad-w0")).replace(/[()]/g, "").split(",").map(Number);
  assert.deepEqual([x0, y0], [1, 1]);
  // f = 0.5(x² + 50y²): at (1, 1) f = 25.5; a step of 0.05 lands at (0.95, −1.5), f = 56.70125.
  await waitForText(page, "#grad-canvas-status", /too big/);
  const [f0, f1] = (await text(page, "#grad-losses")).split("→").map(Number);
  assert.equal(f0, 25.5);
  assert.ok(Math.abs(f1 - 56.70125) < 0.05, `f(W₁) = ${f1}`);
  // The step arrow starts at W₀ = (1, 1) in the picture.
  const at = await worldToClient(page, "#grad-canvas", ILL_CONDITIONED, [1, 1]);
  assert.ok((await redNear(page, "grad-canvas", at)) > 5, "the arrow starts at W₀");
  assert.ok((await countPixels(page, "grad-canvas", RED)) > 40, "the step arrow is drawn");

  await setSlider(page, "grad-size", "0.01");
  await waitForHash(page, "step=0.01");
  assert.match(await hash(page), /^#gradient\?s=ill-conditioned&start=1,1&step=0\.01&speed=2&lang=en$/);
  await waitForText(page, "#grad-canvas-status", /went downhill/);
  assert.equal(await page.locator("#url-notices").isVisible(), false);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(ARTIFACTS, "url-gradient.png") });
  await close();
});

test("network: a prepared link builds its network; choosing a preset shortens the link", async () => {
  const { page, errors, close } = await openPage(site, "#network?in=3072&layers=64,32,10&act=tanh&batch=32");
  await page.waitForSelector("#network-summary tbody tr");
  assert.equal(await page.inputValue("#network-input"), "3*32*32");
  assert.equal(await page.inputValue("#network-layers"), "64, 32, 10");
  assert.equal(await page.inputValue("#network-activation"), "tanh");
  assert.equal(await page.inputValue("#network-batch"), "32");
  assert.equal(await page.inputValue("#network-preset"), "custom");
  // 3072·64 + 64 = 196,672; 64·32 + 32 = 2,080; 32·10 + 10 = 330; total 199,082.
  await waitForText(page, "#network-totals", /Total params: 199,082/);
  const rows = await page.$$eval("#network-summary tbody tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.innerText)),
  );
  assert.deepEqual(rows[0], ["Linear-1", "[[32, 3072]]", "[32, 64]", "196,672"]);
  assert.equal(rows[1][0], "Tanh-1");
  assert.equal(rows.length, 5);
  assert.ok((await page.locator("#network-drawing circle").count()) > 0, "the drawing shows the layers");

  await page.selectOption("#network-preset", "cifar");
  await waitForText(page, "#network-totals", /Total params: 401,518/);
  await waitForHash(page, "p=cifar");
  assert.match(await hash(page), /^#network\?p=cifar&lang=en$/);
  assert.deepEqual(errors, []);
  await close();
});

test("sgd: a prepared link sets preset, start and speed; Space toggles once; a digit rewrites the link", async () => {
  const { page, errors, close } = await openPage(site, "#sgd?preset=too-small&noise=0&start=1.5&speed=2");
  await canvasReady(page, "sgd1d-canvas");
  assert.equal(await page.getAttribute("#sgd1d-preset-1", "aria-pressed"), "true");
  assert.equal(Number(await sliderValue(page, "sgd1d-lr")), 0.01);
  assert.equal(Number(await sliderValue(page, "sgd1d-speed")), 2);
  assert.equal(Number(await text(page, "#sgd1d-x")), 1.5);
  // The ball sits at (1.5, f(1.5)) = (1.5, 5.0625 − 6.75 + 1.5) = (1.5, −0.1875).
  const ball = await worldToClient(page, "#sgd1d-canvas", DOUBLE_WELL, [1.5, -0.1875]);
  assert.ok((await redNear(page, "sgd1d-canvas", ball)) > 20, "the ball is drawn at the link's start");

  // One Space: playing (a double toggle would leave it paused at step 0).
  await page.locator("body").press(" ");
  await waitForText(page, "#sgd1d-play", /Pause/);
  await waitForText(page, "#sgd1d-steps", /^[1-9]/, 5000);
  await page.locator("body").press(" ");
  await waitForText(page, "#sgd1d-play", /Play/);
  const steps = await text(page, "#sgd1d-steps");
  await page.waitForTimeout(700);
  assert.equal(await text(page, "#sgd1d-steps"), steps, "paused by the second Space");

  await page.locator("body").press("3");
  await waitForHash(page, "preset=too-large");
  assert.equal(await page.getAttribute("#sgd1d-preset-3", "aria-pressed"), "true");
  assert.match(await hash(page), /^#sgd\?preset=too-large&noise=0&start=1\.5&speed=2&lang=en$/);
  assert.deepEqual(errors, []);
  await close();
});

test("derivative: Space once plays once, and the link follows ε", async () => {
  const { page, errors, close } = await openPage(site, "#derivative-and-gradient?p=0.5&eps=0.25&speed=0.25");
  await canvasReady(page, "deriv-canvas");
  assert.equal(Number(await sliderValue(page, "deriv-eps")), 0.25);
  // f′(0.5) = 4(0.125) − 3 + 1 = −1.5.
  assert.equal(Number((await text(page, "#deriv-slope")).replace("−", "-")), -1.5);
  await page.locator("body").press(" ");
  await waitForText(page, "#deriv-play", /Pause/);
  // At 0.25 halvings per second, ε halves once after 4 s; the link follows.
  await waitForHash(page, "eps=0.125");
  await page.locator("body").press(" ");
  await waitForText(page, "#deriv-play", /Play/);
  assert.deepEqual(errors, []);
  await close();
});

test("a hostile link opens the defaults and names what it ignored, as text", async () => {
  const evil = encodeURIComponent("<img src=x onerror=alert(1)>");
  const { page, errors, close } = await openPage(
    site,
    `#gradient?s=${evil}&start=1e308,0&step=NaN&speed=-4&step=2&zzz=1`,
  );
  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await canvasReady(page, "grad-canvas");
  await page.waitForSelector("#url-notices:not([hidden])");
  const notices = await text(page, "#url-notices");
  assert.match(notices, /<img src=x onerror=alert\(1\)>/, "quoted as text");
  assert.match(notices, /no such name/);
  assert.match(notices, /not a finite number/);
  assert.match(notices, /outside the range/);
  assert.equal(await page.locator("#url-notices img").count(), 0, "never parsed as HTML");
  assert.equal(await page.inputValue("#grad-surface"), "himmelblau", "the default surface");
  // The link is rewritten with the defaults actually shown.
  await waitForHash(page, "s=himmelblau");

  // The same for a network link with negative and absurd sizes.
  await page.evaluate(() => {
    location.hash = "#network?in=-5&layers=1000000000,10&batch=1e308&act=%3Cscript%3E";
  });
  await waitForText(page, "#url-notices", /act=<script>/);
  await waitForText(page, "#network-totals", /Total params: 3,094,318/);
  assert.equal(await page.inputValue("#network-preset"), "mymlp");
  await page.screenshot({ path: join(ARTIFACTS, "url-hostile.png") });
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  await close();
});

test("a link that repeats one setting a thousand times gives one notice with a count, and keeps the first", async () => {
  const many = "adam:0.1,".repeat(2000);
  const { page, errors, close } = await openPage(site, `#descent-2d?lang=en&speed=5&speed=7&o=${many}`);
  await page.waitForSelector("#url-notices:not([hidden])");
  const items = await page.$$eval("#url-notices li", (lis) => lis.map((li) => li.innerText));
  assert.ok(items.length <= 4, `a few grouped notices, not hundreds: ${items.length}\n${items.join("\n")}`);
  assert.ok(items.some((t) => /more like it/.test(t)), `a count of the alike ones: ${items.join("\n")}`);
  // The repeated speed: the first one was used, and the notice does not say "default".
  const speed = items.find((t) => t.includes("speed=7"));
  assert.ok(speed, items.join("\n"));
  assert.match(speed, /ignored/);
  assert.doesNotMatch(speed, /default/);
  assert.equal(Number(await page.inputValue("#descent-speed .slider-number")), 5);
  // The lesson is not pushed off the screen by notices.
  const top = await page.locator("#descent-canvas").evaluate((c) => c.getBoundingClientRect().top + scrollY);
  assert.ok(top < 1200, `the picture starts at y = ${top}`);
  assert.deepEqual(errors, []);
  await close();
});

test("a link to a lesson the page does not have says so, at the start and on a hash change", async () => {
  const { page, errors, close } = await openPage(site, "#nosuchlesson?lang=en");
  await page.waitForSelector("#url-notices:not([hidden])");
  assert.match(await text(page, "#url-notices"), /“nosuchlesson”/);
  // Later, an edited link to another missing lesson: the notice names it, the lesson on screen stays.
  await page.evaluate(() => {
    location.hash = "#gradient";
  });
  await page.waitForSelector("#grad-canvas");
  await page.evaluate(() => {
    location.hash = "#nolesson2";
  });
  await waitForText(page, "#url-notices", /“nolesson2”/);
  assert.ok(await page.locator("#grad-canvas").isVisible(), "the gradient lesson stays");
  const zh = await openPage(site, "#nosuchlesson?lang=zh");
  await zh.page.waitForSelector("#url-notices:not([hidden])");
  assert.match(await text(zh.page, "#url-notices"), /课程“nosuchlesson”不存在/);
  await zh.close();
  assert.deepEqual(errors, []);
  await close();
});
