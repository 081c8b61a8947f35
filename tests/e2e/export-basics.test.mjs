// End-to-end: the optimisation lessons save their figure for slides. In each of
// the derivative, gradient and 1-D descent lessons, press PNG and SVG and check
// the downloaded files: a real PNG of the figure, and an SVG drawn by the same
// plotters code (lines, the lesson's colours and its legend), with no console errors.
//
// Run: DIST=/tmp/dist-x node --test tests/e2e/export-basics.test.mjs (DIST defaults to dist/).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { downloadBytes, openPage, startSite } from "./lib/site.mjs";

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** Clicks `selector` and returns the download it starts: its file name and bytes. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: await downloadBytes(file) };
}

/** The width and height in a PNG's IHDR chunk. */
function pngSize(bytes) {
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/**
 * Saves the figure of the lesson at `hash` (buttons `#<prefix>-export-png/-svg`)
 * and checks both files; returns the SVG text for lesson-specific checks.
 */
async function checkExports(hash, prefix, { stem, size, texts }) {
  const { page, errors, close } = await openPage(site, hash);
  await page.locator(`#${prefix}-export-png`).waitFor();
  assert.equal(await page.getAttribute(`#${prefix}-export-png`, "title"), "Download the current figure as a PNG image (for slides)");

  const png = await download(page, `#${prefix}-export-png`);
  assert.equal(png.name, `${stem}.png`);
  assert.deepEqual([...png.bytes.subarray(0, 8)], PNG_MAGIC);
  // Twice the figure's size in CSS pixels, and not blank.
  assert.deepEqual(pngSize(png.bytes), [size[0] * 2, size[1] * 2]);
  assert.ok(png.bytes.length > 20000, `PNG of ${png.bytes.length} bytes`);

  const svg = await download(page, `#${prefix}-export-svg`);
  assert.equal(svg.name, `${stem}.svg`);
  const text = svg.bytes.toString("utf8");
  assert.match(text.slice(0, 200), /^(<\?xml[^>]*>\s*)?<svg/);
  assert.match(text.slice(0, 200), new RegExp(`width="${size[0]}" height="${size[1]}"`));
  assert.match(text, /<(path|polyline)\b/);
  assert.match(text, /<\/svg>\s*$/);
  for (const t of texts) assert.ok(text.includes(t), `the SVG shows “${t}”`);

  assert.deepEqual(errors, []);
  await close();
  return text;
}

test("derivative: PNG and SVG of the curve with the tangent, the secant and the gap", async () => {
  const svg = await checkExports("#derivative-and-gradient", "deriv", {
    stem: "nnlab-derivative",
    size: [800, 600],
    texts: ["Derivatives and gradients", "tangent at p", "secant to p + ε", "gap f(p+ε)"],
  });
  // The tangent's orange and the gap's red are drawn.
  assert.match(svg, /stroke="#FF8C00"/);
  assert.match(svg, /stroke="#DC2828"/);
});

test("gradient: PNG and SVG of the map with the arrow field, ∇f(W₀) and the step", async () => {
  const svg = await checkExports("#gradient", "grad", {
    stem: "nnlab-gradient-himmelblau",
    size: [800, 600],
    texts: ["Himmelblau (four minima) — 0 steps", "uphill direction", "step −step·∇f(W₀)"],
  });
  // The sky-blue field arrows: a line and a head each, many of them.
  const field = svg.match(/#8CD2FF/g) ?? [];
  assert.ok(field.length > 100, `${field.length} field marks`);
  assert.match(svg, /<polygon\b/);
});

test("1-D descent: PNG and SVG of the ball's path over the loss chart", async () => {
  const { page, errors, close } = await openPage(site, "#sgd");
  await page.locator("#sgd1d-export-svg").waitFor();
  // Three steps, so the path and the chart have something to show.
  for (let i = 0; i < 3; i += 1) await page.click("#sgd1d-step");
  await page.waitForFunction(() => document.getElementById("sgd1d-steps").textContent === "3");
  const svg = await download(page, "#sgd1d-export-svg");
  assert.equal(svg.name, "nnlab-sgd-double-well.svg");
  const text = svg.bytes.toString("utf8");
  assert.match(text.slice(0, 200), /width="800" height="620"/);
  for (const t of ["Stochastic gradient descent", "Learning rate: ", "global minimum", "step", "loss"]) {
    assert.ok(text.includes(t), `the SVG shows “${t}”`);
  }
  // The ball's red: its path on the curve and the loss line in the chart.
  assert.ok((text.match(/#F03C3C/g) ?? []).length >= 4, "the path and the loss line are drawn");
  const png = await download(page, "#sgd1d-export-png");
  assert.equal(png.name, "nnlab-sgd-double-well.png");
  assert.deepEqual([...png.bytes.subarray(0, 8)], PNG_MAGIC);
  assert.deepEqual(pngSize(png.bytes), [1600, 1240]);
  assert.deepEqual(errors, []);
  await close();

  // The local-minima section saves under its own name.
  await checkExports("#local-minima", "sgd1d", {
    stem: "nnlab-local-minima-double-well",
    size: [800, 620],
    texts: ["Local minima", "local minimum"],
  });
});
