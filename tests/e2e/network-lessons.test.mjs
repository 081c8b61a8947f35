// End-to-end: the three network lessons in headless Chromium, driven like a
// person would — edit a weight and watch the neuron's output change; build
// the lecture's myMLP and its CIFAR-10 version and read the summary table;
// type a layer far too large; step the backward pass to the end and see the
// finite-difference check agree. No console errors anywhere.
//
// Run: DIST=/tmp/dist-x node --test tests/e2e/network-lessons.test.mjs  (DIST defaults to dist/)
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

/** Waits until the element's text matches `pattern` (the page catches up on the next frame). */
function waitForText(page, selector, pattern) {
  return page.waitForFunction(
    ([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.innerText ?? ""),
    [selector, pattern.source],
  );
}

/** Pixels of the activation chart in the marker red (see crates/nnlab-web/src/lessons/neurons/plot.rs). */
function markerPixels(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById("neurons-plot");
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let red = 0;
    let xs = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] > 180 && data[i + 1] < 80 && data[i + 2] < 80) {
        red += 1;
        xs += (i / 4) % canvas.width;
      }
    }
    return { red, meanX: red ? xs / red : 0 };
  });
}

test("neuron: the worked example, then editing a weight changes the output", async () => {
  const { page, errors, close } = await openPage(site, "#neurons");
  await page.waitForFunction(() => document.getElementById("neurons-plot")?.width > 0);
  // z₁ = 0.5·1 − 1·2 + 2·0.5 + 0.25 = −0.25 → relu 0; z₂ = 1.5 + 0.5 − 0.25 − 0.5 = 1.25.
  assert.equal(await text(page, "#neurons-z-0"), "−0.25");
  assert.equal(await text(page, "#neurons-out-0"), "0");
  assert.equal(await text(page, "#neurons-out-1"), "1.25");
  assert.match(await text(page, "#neurons-sum-1"), /1\.5·1 \+ 0\.25·2 \+ \(−0\.5\)·0\.5 \+ \(−0\.5\)/);
  const before = await markerPixels(page);
  assert.ok(before.red > 50, "the z markers are drawn");

  // W[1,1] from 0.5 to 3: z₁ = 3 − 2 + 1 + 0.25 = 2.25, which ReLU passes on.
  await page.fill("#neurons-w-0-0", "3");
  await waitForText(page, "#neurons-out-0", /^2\.25$/);
  assert.equal(await text(page, "#neurons-z-0"), "2.25");
  const after = await markerPixels(page);
  assert.ok(after.meanX > before.meanX + 5, `the marker moved right: ${before.meanX} → ${after.meanX}`);

  // Sigmoid: σ(1.25) = 0.7773.
  await page.selectOption("#neurons-activation", "sigmoid");
  await waitForText(page, "#neurons-out-1", /^0\.7773$/);

  // Bad input: a clear message, the field marked, the last good numbers kept.
  await page.fill("#neurons-x-1", "NaN");
  await waitForText(page, "#neurons-message", /input\[2\] is not a number/);
  assert.ok(await page.locator("#neurons-x-1.invalid").count());
  await page.fill("#neurons-x-1", "1e9");
  await waitForText(page, "#neurons-message", /too large/);
  await page.fill("#neurons-x-1", "");
  await waitForText(page, "#neurons-message", /empty/);
  await page.fill("#neurons-x-1", "2");
  await page.waitForFunction(() => document.getElementById("neurons-message").innerText === "");
  assert.equal(await page.locator("#neurons-x-1.invalid").count(), 0);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(ARTIFACTS, "neurons.png"), fullPage: true });
  await close();
});

/** The summary table's rows as arrays of cell texts. */
function tableRows(page) {
  return page.$$eval("#network-summary tbody tr", (rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.innerText)),
  );
}

test("network: the lecture's myMLP and CIFAR tables, and a huge layer", async () => {
  const { page, errors, close } = await openPage(site, "#network");
  await page.waitForSelector("#network-summary tbody tr");
  await page.selectOption("#network-preset", "cifar");
  await waitForText(page, "#network-totals", /Total params: 401,518/);
  let rows = await tableRows(page);
  assert.deepEqual(rows[0], ["Linear-1", "[[64, 3072]]", "[64, 100]", "307,300"]);

  await page.selectOption("#network-preset", "mymlp");
  await waitForText(page, "#network-totals", /Total params: 3,094,318/);
  rows = await tableRows(page);
  assert.deepEqual(rows, [
    ["Linear-1", "[[10, 30000]]", "[10, 100]", "3,000,100"],
    ["ReLU-1", "[[10, 100]]", "[10, 100]", "0"],
    ["Linear-2", "[[10, 100]]", "[10, 256]", "25,856"],
    ["ReLU-2", "[[10, 256]]", "[10, 256]", "0"],
    ["Linear-3", "[[10, 256]]", "[10, 256]", "65,792"],
    ["ReLU-3", "[[10, 256]]", "[10, 256]", "0"],
    ["Linear-4", "[[10, 256]]", "[10, 10]", "2,570"],
  ]);
  assert.equal(await page.locator("#network-drawing circle").count(), 30);
  await page.screenshot({ path: join(ARTIFACTS, "network.png"), fullPage: true });

  // Typing a layer of a billion neurons: the core refuses it, nothing is built.
  await page.fill("#network-layers", "1000000000, 10");
  await waitForText(page, "#network-message", /Too large: this network would have 30,011,000,000,010 parameters/);
  assert.match(await text(page, "#network-message"), /100,000,000/);
  assert.ok(await page.locator("#network-layers.invalid").count());
  assert.equal(await page.locator("#network-summary").isVisible(), false);
  assert.equal(await page.inputValue("#network-preset"), "custom");
  await page.screenshot({ path: join(ARTIFACTS, "network-huge.png") });

  // A small custom network: 4·3 + 3 + 3·2 + 2 = 23 parameters.
  await page.fill("#network-input", "4");
  await page.fill("#network-layers", "3, 2");
  await waitForText(page, "#network-totals", /Total params: 23\b/);
  assert.equal(await page.locator("#network-drawing circle").count(), 9);
  assert.deepEqual(errors, []);
  await close();
});

test("backprop: step through the lecture's composition and the check passes", async () => {
  const { page, errors, close } = await openPage(site, "#backprop");
  await page.waitForSelector("#backprop-graph");
  assert.equal(await page.locator("#backprop-graph .bp-node").count(), 7);
  assert.match(await text(page, "#backprop-verdict"), /Step to the end/);
  assert.equal(await page.locator("[data-grad]").count(), 0);

  // First step: the output is seeded with 1.
  await page.click("#backprop-step");
  await waitForText(page, "#backprop-counter", /step 1 of 7/);
  assert.match(await text(page, "#backprop-explain"), /gradient with respect to itself is 1/);
  const currentAfterOne = await page.getAttribute("#backprop-graph .bp-node.current", "data-node");
  assert.equal(currentAfterOne, "6");

  for (let k = 2; k <= 7; k += 1) {
    await page.click("#backprop-step");
    await waitForText(page, "#backprop-counter", new RegExp(`step ${k} of 7`));
  }
  assert.ok(await page.locator("#backprop-step").isDisabled());
  await waitForText(page, "#backprop-verdict", /✓ Backprop agrees with the finite differences/);
  assert.equal(await page.locator("#backprop-verdict.pass").count(), 1);
  // W₁ = 2, W₂ = 0.7, W₃ = 1: ∂f/∂W₁ = tanh(0.7) = 0.6043677771.
  const cells = await page.$$eval("#backprop-checks tbody tr", (rows) =>
    rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.innerText)),
  );
  assert.equal(cells.length, 3);
  assert.deepEqual(cells[0].slice(0, 2), ["W₁", "0.6043677771"]);
  await page.screenshot({ path: join(ARTIFACTS, "backprop.png"), fullPage: true });

  // The neuron's loss, with a changed input, played to the end.
  await page.selectOption("#backprop-preset", "neuron");
  await page.waitForFunction(() => document.querySelectorAll("#backprop-graph .bp-node").length === 12);
  await page.fill("#backprop-leaf-0", "0.5");
  for (let k = 1; k <= 5; k += 1) {
    await page.click("#backprop-step");
    await waitForText(page, "#backprop-counter", new RegExp(`step ${k} of 12`));
  }
  await page.screenshot({ path: join(ARTIFACTS, "backprop-neuron.png") });
  await page.click("#backprop-finish");
  await waitForText(page, "#backprop-verdict", /✓/);

  // Bad input is named, and the last valid graph stays.
  await page.fill("#backprop-leaf-2", "abc");
  await waitForText(page, "#backprop-message", /b is not a number/);
  assert.equal(await page.locator("#backprop-graph .bp-node").count(), 12);
  assert.deepEqual(errors, []);
  await close();
});

test("the lessons in Chinese and on a 700 px screen", async () => {
  const { page, errors, close } = await openPage(site, "?lang=zh#network", { locale: "zh-CN", width: 700, height: 1000 });
  await page.waitForSelector("#network-summary tbody tr");
  assert.match(await text(page, "#network-totals"), /参数总数：3,094,318/);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than the screen`);
  await page.screenshot({ path: join(ARTIFACTS, "network-zh-700.png"), fullPage: true });

  await page.click('a[data-lesson="neurons"]');
  await page.waitForFunction(() => document.getElementById("neurons-plot")?.width > 0);
  assert.match(await text(page, ".lesson-title"), /神经元/);
  await page.screenshot({ path: join(ARTIFACTS, "neurons-zh-700.png"), fullPage: true });

  await page.click('a[data-lesson="backprop"]');
  await page.waitForSelector("#backprop-graph");
  await page.click("#backprop-finish");
  await waitForText(page, "#backprop-verdict", /✓ 反向传播与有限差分一致/);
  await page.screenshot({ path: join(ARTIFACTS, "backprop-zh-700.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});
