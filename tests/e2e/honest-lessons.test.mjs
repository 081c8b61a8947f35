// End-to-end: lessons say what they show. The momentum code's "loop ends"
// names the loss it tested and the one on screen; SGD's divergence names the
// steps the Steps read-out counts; the loss lesson's logits have knobs to grab
// even at 0; a refused typed number says why, and screen readers read a
// slider's value, not its track position.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/honest-lessons.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, startSite } from "./lib/site.mjs";
import { setSlider, text, waitForText } from "./lib/controls.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const waitFor = (page, f, arg) => page.waitForFunction(f, arg, { timeout: 30000 });

test("momentum: when the while loop ends, the status names the loss tested and the loss on screen", async () => {
  for (const lang of ["en", "zh"]) {
    const { page, errors, close } = await openPage(site, `#momentum?lang=${lang}`);
    await page.waitForSelector("#momentum-code");
    await setSlider(page, "momentum-speed", 3000);
    await page.click("#momentum-play");
    await waitFor(page, () => /while/.test(document.getElementById("momentum-status").innerText) &&
      /≤ 0\.01/.test(document.getElementById("momentum-status").innerText));
    const status = await text(page, "#momentum-status");
    const readout = await text(page, "#momentum-with-readout");
    const shown = readout.match(/loss = ([-\d.e]+)/)[1];
    // The loss on screen is in the status too, so the two never contradict.
    assert.ok(status.includes(`loss = ${shown}`), `${status}\n${readout}`);
    const tested = Number(status.match(/([\d.e-]+) ≤ 0\.01/)[1]);
    assert.ok(tested <= 0.01, status);
    assert.deepEqual(errors, []);
    await close();
  }
});

test("sgd: a diverged run names the steps the Steps read-out shows", async () => {
  for (const [lang, pattern] of [["en", /after (\d+) steps/], ["zh", /走了 (\d+) 步后发散/]]) {
    const { page, errors, close } = await openPage(site, `#sgd?lang=${lang}`);
    await page.locator("#sgd1d-canvas").waitFor();
    await page.locator(".lesson-title").click();
    await page.keyboard.press("3");
    await setSlider(page, "sgd1d-speed", 50);
    await page.click("#sgd1d-play");
    await page.waitForSelector("#sgd1d-canvas-status.warning");
    const status = await text(page, "#sgd1d-canvas-status");
    const steps = Number(await text(page, "#sgd1d-steps"));
    const said = Number(status.match(pattern)?.[1]);
    assert.equal(said, steps, `${status} — Steps: ${steps}`);
    assert.deepEqual(errors, []);
    await close();
  }
});

test("loss: every logit bar has a knob to drag, even at 0, and dragging a knob moves its logit", async () => {
  const { page, errors, close } = await openPage(site, "#loss-and-optimizer?lang=en");
  await page.locator("#loss-canvas").waitFor();
  await page.click("#loss-preset-uniform");
  // All logits 0: the bars have no height; the knobs sit on the zero line,
  // one per class: count white-filled rings ringed in the bar colours.
  const knobs = await page.evaluate(() => {
    const c = document.getElementById("loss-canvas");
    const ctx = c.getContext("2d");
    const { data, width, height } = ctx.getImageData(0, 0, c.width, c.height);
    // The zero line of the logits panel: the row (upper 40 %) with the most grey-ish pixels is
    // not needed; instead look for rows of coloured (non-grey) pixels in the logits panel.
    const coloured = (i) => {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
      return Math.max(r, g, b) - Math.min(r, g, b) > 60;
    };
    let bestRow = -1;
    let best = 0;
    for (let y = 0; y < height * 0.45; y++) {
      let n = 0;
      for (let x = 0; x < width; x++) if (coloured((y * width + x) * 4)) n++;
      if (n > best) [best, bestRow] = [n, y];
    }
    // Runs of coloured pixels on that row: two ring edges per knob.
    let runs = 0;
    let inRun = false;
    for (let x = 0; x < width; x++) {
      const c2 = coloured((bestRow * width + x) * 4);
      if (c2 && !inRun) runs++;
      inRun = c2;
    }
    return { runs, best };
  });
  assert.ok(knobs.runs >= 10, `a knob for each of the ten logits at 0: ${JSON.stringify(knobs)}`);
  // Drag the first knob up: its logit rises.
  const box = await page.locator("#loss-canvas").boundingBox();
  const before = Number(await page.inputValue("#loss-logit-0 .slider-number"));
  const layout = await page.evaluate(() => {
    const c = document.getElementById("loss-canvas");
    return { w: c.getBoundingClientRect().width, h: c.getBoundingClientRect().height };
  });
  // Column 0's centre: left margin 46 px, ten columns over width − 56 (bars.rs).
  const x = box.x + 46 + (layout.w - 56) / 20;
  // Find the knob's height: the zero line of the logits panel is its middle.
  const zeroY = await page.evaluate(() => {
    const c = document.getElementById("loss-canvas");
    const k = c.width / c.getBoundingClientRect().width;
    const ctx = c.getContext("2d");
    const x = Math.round((46 + (c.getBoundingClientRect().width - 56) / 20) * k);
    const { data } = ctx.getImageData(x, 0, 1, c.height);
    for (let y = 0; y < c.height * 0.45; y++) {
      const [r, g, b] = [data[y * 4], data[y * 4 + 1], data[y * 4 + 2]];
      if (Math.max(r, g, b) - Math.min(r, g, b) > 60) return y / k;
    }
    return null;
  });
  assert.ok(zeroY !== null, "the knob is drawn in column 0");
  await page.mouse.move(x, box.y + zeroY + 6);
  await page.mouse.down();
  await page.mouse.move(x, box.y + zeroY - 30, { steps: 5 });
  await page.mouse.up();
  const after = Number(await page.inputValue("#loss-logit-0 .slider-number"));
  assert.ok(after > before + 1, `logit 0 went from ${before} to ${after}`);
  await page.screenshot({ path: join(ARTIFACTS, "loss-knobs.png") });
  assert.deepEqual(errors, []);
  await close();
});

test("a refused number says why and keeps the last value; sliders tell screen readers their value", async () => {
  for (const [lang, words] of [["en", /type a number from/], ["zh", /请输入/]]) {
    const { page, errors, close } = await openPage(site, `#sgd?lang=${lang}`);
    await page.locator("#sgd1d-canvas").waitFor();
    const lr = await page.inputValue("#sgd1d-lr .slider-number");
    const valuetext = await page.getAttribute("#sgd1d-lr input[type=range]", "aria-valuetext");
    assert.equal(valuetext, lr, "the log slider reads as its learning rate, not its track position");
    for (const bad of ["abc", "NaN", "1e309", "-1"]) {
      await setSlider(page, "sgd1d-lr", bad);
      await waitForText(page, "#sgd1d-lr .slider-message", words);
      assert.equal(await page.getAttribute("#sgd1d-lr .slider-number", "aria-invalid"), "true");
      assert.equal(await page.getAttribute("#sgd1d-lr input[type=range]", "aria-valuetext"), lr, "the value in force stays");
    }
    await setSlider(page, "sgd1d-lr", "0.02");
    await page.waitForSelector("#sgd1d-lr .slider-message", { state: "hidden" });
    const now = await page.inputValue("#sgd1d-lr .slider-number");
    assert.equal(Number(now), 0.02);
    assert.equal(await page.getAttribute("#sgd1d-lr input[type=range]", "aria-valuetext"), now);
    assert.deepEqual(errors, []);
    await close();
  }
});
