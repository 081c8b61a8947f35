// End-to-end: the optimisation lessons (derivative, gradient, 1-D descent) in
// headless Chromium, driven like a person: drag the point p and watch the
// slope's sign flip; click W₀ and see the step arrow; pick each learning-rate
// preset with the keyboard, play, and read how the run ended.
//
// Run: DIST=/tmp/dist-x node --test tests/e2e/optimisation-basics.test.mjs (DIST defaults to dist/).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, startSite } from "./lib/site.mjs";
import { countPixels, worldToClient } from "./lib/canvas.mjs";
import { setSlider, text, waitForText } from "./lib/controls.mjs";

// The views of the surfaces used (crates/nnlab/src/surfaces/*.rs).
const DOUBLE_WELL = { x: [-2, 2], y: [-4, 6.5] };
const HIMMELBLAU = { x: [-5, 5], y: [-5, 5] };
// Colour tests (function bodies over r, g, b) for the drawn marks.
const ORANGE = "return r > 220 && g >= 110 && g <= 175 && b < 70;";
const RED = "return r > 190 && g < 110 && b < 110;";
const SKY = "return r >= 100 && r <= 190 && g > 180 && b > 230;";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** Waits for a lesson canvas to be sized and drawn. */
async function canvasReady(page, id) {
  await page.locator(`#${id}`).waitFor();
  await page.waitForFunction((id) => document.getElementById(id).width > 0, id);
}

test("derivative: dragging p over the hump flips the slope's sign", async () => {
  const { page, errors, close } = await openPage(site, "#derivative-and-gradient");
  await canvasReady(page, "deriv-canvas");
  // p starts at −0.5: a = 4(−0.125) + 3 + 1 = 3.5.
  assert.equal(await text(page, "#deriv-slope"), "3.500");
  assert.match(await text(page, "#deriv-canvas-status"), /positive.*downhill is to the left/);
  assert.ok((await countPixels(page, "deriv-canvas", ORANGE)) > 200, "the tangent is drawn");

  // Drag from p = −0.5 to p = 0.6 (f′(0.6) = 0.864 − 3.6 + 1 = −1.736).
  const from = await worldToClient(page, "#deriv-canvas", DOUBLE_WELL, [-0.5, -1.0]);
  const to = await worldToClient(page, "#deriv-canvas", DOUBLE_WELL, [0.6, -1.0]);
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
  await waitForText(page, "#deriv-slope", /^-/);
  const slope = Number(await text(page, "#deriv-slope"));
  assert.ok(slope < -1.5 && slope > -2, `slope after the drag: ${slope}`);
  assert.match(await text(page, "#deriv-canvas-status"), /negative.*downhill is to the right/);

  // ε shrinks: → halves it, and the finite difference closes in on the slope.
  await page.locator(".lesson-title").click();
  const gapBefore = Math.abs(Number(await text(page, "#deriv-gap")));
  for (let i = 0; i < 6; i += 1) await page.keyboard.press("ArrowRight");
  await page.waitForFunction(() => document.querySelector("#deriv-eps .slider-number").value === "0.016");
  const gapAfter = Math.abs(Number(await text(page, "#deriv-gap")));
  assert.ok(gapAfter < gapBefore / 100, `gap ${gapBefore} → ${gapAfter}`);
  const fd = Number(await text(page, "#deriv-fd"));
  assert.ok(Math.abs(fd - slope) < 0.1, `finite difference ${fd} vs slope ${slope}`);
  await page.keyboard.press("r");
  await page.waitForFunction(() => document.querySelector("#deriv-eps .slider-number").value === "1.000");

  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(ARTIFACTS, "opt-derivative.png") });
  await close();
});

test("gradient: a click picks W₀, the step arrow shows, and a big step goes uphill", async () => {
  const { page, errors, close } = await openPage(site, "#gradient");
  await canvasReady(page, "grad-canvas");
  assert.ok((await countPixels(page, "grad-canvas", SKY)) > 500, "the arrow field is drawn");

  const before = await text(page, "#grad-w0");
  const at = await worldToClient(page, "#grad-canvas", HIMMELBLAU, [-1, -1]);
  await page.mouse.click(at.x, at.y);
  await page.waitForFunction((old) => document.getElementById("grad-w0").innerText !== old, before);
  const [x0, y0] = (await text(page, "#grad-w0")).replace(/[()]/g, "").split(",").map(Number);
  assert.ok(Math.abs(x0 + 1) < 0.1 && Math.abs(y0 + 1) < 0.1, `W₀ = (${x0}, ${y0})`);
  assert.ok((await countPixels(page, "grad-canvas", RED)) > 40, "the step arrow is drawn");
  assert.match(await text(page, "#grad-canvas-status"), /went downhill/);

  // Himmelblau at (−1, −1): f = 121 + 49 = 170, ∇f = (30, 6). A step of 0.2 lands at
  // W₁ ≈ (−7, −2.2), far past the valley: f(W₁) ≈ 1281 + 84 > 170.
  await setSlider(page, "grad-size", "0.2");
  await waitForText(page, "#grad-canvas-status", /too big/);
  const [f0, f1] = (await text(page, "#grad-losses")).split("→").map(Number);
  assert.ok(f1 > f0, `f(W₁) = ${f1} > f(W₀) = ${f0}`);
  assert.ok(await page.locator("#grad-canvas-status.opt-warn").count(), "marked as a warning");

  // Back to a small step: one step by the button moves W₀ to the old W₁.
  await setSlider(page, "grad-size", "0.01");
  await waitForText(page, "#grad-canvas-status", /went downhill/);
  const w1 = await text(page, "#grad-w1");
  await page.click("#grad-step");
  await waitForText(page, "#grad-steps", /^1$/);
  assert.equal(await text(page, "#grad-w0"), w1);

  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(ARTIFACTS, "opt-gradient.png") });
  await close();
});

const PRESET_ENDINGS = [
  { key: "1", name: "too-small", ending: /Stuck in the local minimum at x ≈ 1\.131/ },
  { key: "2", name: "good", ending: /Reached the global minimum at x ≈ -1\.301/ },
  { key: "3", name: "too-large", ending: /Diverged after 2 steps: the learning rate 0\.25 is too large/ },
];

test("1-D descent: each preset, picked with its key, ends as the lecture says", async () => {
  const { page, errors, close } = await openPage(site, "#sgd");
  await canvasReady(page, "sgd1d-canvas");
  await canvasReady(page, "sgd1d-chart");
  // The SGD section opens with the good preset.
  assert.equal(await page.getAttribute("#sgd1d-preset-2", "aria-pressed"), "true");
  await setSlider(page, "sgd1d-speed", "1000");
  for (const { key, name, ending } of PRESET_ENDINGS) {
    await page.locator(".lesson-title").click(); // keys go to the page, not a control
    await page.keyboard.press(key);
    await page.waitForFunction(
      (id) => document.getElementById(id).getAttribute("aria-pressed") === "true",
      `sgd1d-preset-${key}`,
    );
    await waitForText(page, "#sgd1d-steps", /^0$/);
    await page.keyboard.press(" ");
    await waitForText(page, "#sgd1d-canvas-status", ending);
    assert.match(await text(page, "#sgd1d-play"), /Play/, "the run stopped");
    assert.ok((await countPixels(page, "sgd1d-canvas", RED)) > 100, "the ball is drawn");
    assert.ok((await countPixels(page, "sgd1d-chart", RED)) > 100, "the loss line is drawn");
    await page.screenshot({ path: join(ARTIFACTS, `opt-sgd-${name}.png`) });
  }
  assert.ok(await page.locator("#sgd1d-canvas-status.warning").count(), "divergence is a warning");
  assert.deepEqual(errors, []);
  await close();
});

test("local minima: opens with the small step, gets stuck; noise is stochastic but replayable", async () => {
  const { page, errors, close } = await openPage(site, "#local-minima");
  await canvasReady(page, "sgd1d-canvas");
  assert.equal(await page.getAttribute("#sgd1d-preset-1", "aria-pressed"), "true");
  await setSlider(page, "sgd1d-speed", "1000");
  await page.click("#sgd1d-play");
  await waitForText(page, "#sgd1d-canvas-status", /Stuck in the local minimum/);
  assert.equal(await text(page, "#sgd1d-steps"), "152");

  // Noise: 30 steps by hand, twice from the start, land on the same x.
  await setSlider(page, "sgd1d-noise", "8");
  const thirtySteps = async () => {
    await page.click("#sgd1d-reset");
    await waitForText(page, "#sgd1d-steps", /^0$/);
    for (let i = 0; i < 30; i += 1) await page.click("#sgd1d-step");
    await waitForText(page, "#sgd1d-steps", /^30$/);
    return text(page, "#sgd1d-x");
  };
  const first = await thirtySteps();
  assert.equal(await thirtySteps(), first);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(ARTIFACTS, "opt-local-minima.png") });
  await close();
});

test("Chinese and a 700 px screen: the lessons still fit and read", async () => {
  for (const [slug, id] of [
    ["derivative-and-gradient", "deriv-canvas"],
    ["gradient", "grad-canvas"],
    ["local-minima", "sgd1d-canvas"],
  ]) {
    const { page, errors, close } = await openPage(site, `?lang=zh#${slug}`, { width: 700, height: 1000 });
    await canvasReady(page, id);
    await page.waitForFunction((id) => {
      const canvas = document.getElementById(id).getBoundingClientRect();
      const controls = document.querySelector(".controls").getBoundingClientRect();
      return controls.top >= canvas.bottom && canvas.right <= window.innerWidth;
    }, id);
    assert.match(await text(page, ".lesson-title"), /[\u4e00-\u9fff]/);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, `opt-${slug}-zh-700.png`), fullPage: true });
    await close();
  }
});
