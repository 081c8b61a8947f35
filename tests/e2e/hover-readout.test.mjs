// End-to-end: every chart reads out the values under the pointer (issue 15,
// "Read every chart"). Hovering the training loop's loss curve, the 2-D
// race's loss chart, the weight-init histograms and live training's loss
// curve shows a crosshair (its SVG overlay has ink) and a label with the step
// and each line's value, which match the lesson's own read-outs at the same
// point; the keyboard reaches the same values (the chart takes focus, ← → End
// walk it, a live region says them) without moving the lesson; a finger's tap
// shows the label and a tap elsewhere puts it away. Any console error fails.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/hover-readout.test.mjs
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
  archive = join(mkdtempSync(join(tmpdir(), "nnlab-hover-")), "cifar-10-binary.tar.gz");
  writeCifarArchive(archive, { perBatch: 200, test: 300 });
});

after(async () => {
  await site?.close();
});

/** A number as the lessons write it ("2.303", "1.50e−7", "45.0%"). */
const number = (s) => Number(s.trim().replace("−", "-").replace("%", ""));
const text = (page, selector) => page.locator(selector).innerText();

/** The read-out's parts after chart `id`: its label (title and rows), whether it shows, the live region's text. */
function readout(page, id) {
  return page.evaluate((id) => {
    const chart = document.getElementById(id);
    let overlay = chart.nextElementSibling;
    while (overlay && !overlay.classList.contains("readout-overlay")) overlay = overlay.nextElementSibling;
    const tip = document.getElementById(chart.dataset.readoutTip);
    // The live region follows the hint the chart is described by.
    const live = document.getElementById(chart.getAttribute("aria-describedby"))?.nextElementSibling;
    return {
      shown: !!tip && !tip.hidden && tip.getBoundingClientRect().width > 0,
      title: tip?.querySelector(".readout-title")?.innerText ?? "",
      rows: [...(tip?.querySelectorAll(".readout-row") ?? [])].map((r) => r.innerText),
      live: live?.classList.contains("readout-live") ? live.textContent : "",
      crosshair: !!overlay && !overlay.hasAttribute("hidden"),
    };
  }, id);
}

/** Non-transparent pixels of chart `id`'s overlay, rasterised as the screen shows it (0 while hidden). */
function overlayInk(page, id) {
  return page.evaluate(async (id) => {
    let svg = document.getElementById(id).nextElementSibling;
    while (svg && !svg.classList.contains("readout-overlay")) svg = svg.nextElementSibling;
    if (!svg || svg.hasAttribute("hidden")) return 0;
    const { width, height } = svg.getBoundingClientRect();
    const image = new Image();
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(new XMLSerializer().serializeToString(svg));
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(width);
    canvas.height = Math.round(height);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink += 1;
    return ink;
  }, id);
}

/** Moves the mouse to (fx, fy) of chart `id`'s box and waits for its label. */
async function hover(page, id, fx, fy) {
  await page.locator(`#${id}`).scrollIntoViewIfNeeded();
  const box = await page.locator(`#${id}`).boundingBox();
  await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
  await page.waitForFunction((id) => !document.getElementById(document.getElementById(id).dataset.readoutTip).hidden, id);
  return readout(page, id);
}

/** The value of row `name` ("name: value", or "name (step 3): value" for a neighbouring point), as a number. */
function value(reading, name) {
  const row = reading.rows.find((r) => r.startsWith(`${name}: `) || r.startsWith(`${name} (`));
  assert.ok(row, `a row for ${name} in ${JSON.stringify(reading.rows)}`);
  return number(row.split(": ").pop());
}

test("training loop: hovering the loss curve reads the update and its loss; so do the arrow keys", async () => {
  const { page, errors, close } = await openPage(site, "#training", { deviceScaleFactor: 2 });
  await page.waitForFunction(() => /Stand-in data/.test(document.querySelector("#train-source").innerText));
  await page.click("#train-run");
  await page.waitForFunction(() => Number(document.getElementById("train-updates").innerText) >= 12, null, { timeout: 120_000 });
  await page.click("#train-run");
  await page.waitForFunction(() => !/Pause/.test(document.getElementById("train-run").innerText));
  const updates = Number(await text(page, "#train-updates"));
  assert.equal((await readout(page, "train-curve")).shown, false, "nothing shows before the pointer comes");
  assert.equal(await overlayInk(page, "train-curve"), 0);

  // Over the middle of the plot: an update in the run, each line's loss.
  let r = await hover(page, "train-curve", 0.55, 0.5);
  const step = Number(r.title.match(/^weight update (\d+)$/)?.[1]);
  assert.ok(step >= 1 && step <= updates, `${r.title} within 1…${updates}`);
  const each = value(r, "each iteration");
  const average = value(r, "average of the last 10");
  assert.ok(each > 0 && each < 10 && average > 0 && average < 10, JSON.stringify(r.rows));
  assert.ok(r.crosshair && (await overlayInk(page, "train-curve")) > 200, "the crosshair and markers are drawn");
  await page.locator(".train-curve-card").screenshot({ path: join(ARTIFACTS, "hover-training-en.png") });

  // At the right end: the last update.
  r = await hover(page, "train-curve", 0.995, 0.5);
  assert.equal(r.title, `weight update ${updates}`);
  // A click reads too, and leaves the keys with the lesson (→ steps it, not the read-out).
  await page.mouse.down();
  await page.mouse.up();
  assert.notEqual(await page.evaluate(() => document.activeElement.id), "train-curve");
  // Away: gone.
  await page.mouse.move(5, 5);
  await page.waitForFunction(() => document.querySelector(".readout-tip").hidden);
  assert.equal(await overlayInk(page, "train-curve"), 0);

  // The keyboard: Tab stop on the chart; End, ← walk the updates, the live region says them.
  await page.focus("#train-curve");
  await page.keyboard.press("End");
  r = await readout(page, "train-curve");
  assert.equal(r.title, `weight update ${updates}`);
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowLeft");
  r = await readout(page, "train-curve");
  assert.equal(r.title, `weight update ${updates - 1}`);
  assert.ok(r.shown && (await overlayInk(page, "train-curve")) > 200);
  assert.match(r.live, new RegExp(`^weight update ${updates - 1}, each iteration: [\\d.]+, average of the last 10: [\\d.]+$`));
  // → on the chart moved the read-out, not the lesson (→ is "one step" elsewhere).
  assert.equal(Number(await text(page, "#train-updates")), updates);
  assert.equal(await page.evaluate(() => document.activeElement.id), "train-curve");
  const hint = await page.evaluate(() => document.getElementById(document.getElementById("train-curve").getAttribute("aria-describedby"))?.innerText);
  assert.match(hint, /←/);
  // Leaving the chart puts the keyboard's read-out away.
  await page.keyboard.press("Tab");
  assert.equal((await readout(page, "train-curve")).shown, false);
  assert.deepEqual(errors, []);
  await close();
});

test("2-D descent (zh): the loss chart reads each runner's loss, the same as its row", async () => {
  const { page, errors, close } = await openPage(site, "#descent-2d", { locale: "zh-CN", deviceScaleFactor: 2 });
  await page.locator("#descent-chart").waitFor();
  for (let i = 1; i <= 6; i += 1) {
    await page.click("#descent-step");
    await page.waitForFunction((i) => document.getElementById("descent-steps").innerText === String(i), i);
  }
  await page.waitForTimeout(300);
  const r = await hover(page, "descent-chart", 0.5, 0.5);
  assert.match(r.title, /^步数 \d$/);
  assert.ok(r.rows.length >= 2, JSON.stringify(r.rows));
  for (const row of r.rows) assert.ok(Number.isFinite(number(row.split("：").pop())), row);
  assert.ok((await overlayInk(page, "descent-chart")) > 200);
  await page.locator(".race-chart-wrap").screenshot({ path: join(ARTIFACTS, "hover-descent-zh.png") });

  // End: step 6, and each enabled runner's loss as its row in the controls writes it.
  await page.focus("#descent-chart");
  await page.keyboard.press("End");
  const end = await readout(page, "descent-chart");
  assert.equal(end.title, "步数 6");
  const rows = await page.evaluate(() =>
    [...document.querySelectorAll(".runner")]
      .filter((r) => r.querySelector(".runner-enable")?.checked)
      .map((r) => `${r.querySelector(".runner-name").innerText}：${r.querySelector(".runner-loss").innerText}`),
  );
  assert.ok(rows.length >= 2);
  assert.deepEqual([...end.rows].sort(), [...rows].sort());
  assert.ok(end.live.startsWith("步数 6，"), end.live);
  assert.deepEqual(errors, []);
  await close();
});

test("weight init: a histogram's bin reads its range and count; ↓ goes to the next histogram", async () => {
  const { page, errors, close } = await openPage(site, "#weight-init");
  await page.waitForFunction(() => {
    const v = document.getElementById("init-verdict")?.innerText ?? "";
    return v.length > 0 && !/layer by layer/.test(v);
  });
  // Keys first: End is the first histogram's last bin; ↓ the next one.
  await page.focus("#init-canvas");
  await page.keyboard.press("Home");
  let r = await readout(page, "init-canvas");
  assert.equal(r.title, "weights W, layer 1");
  const bin = /^(\S+) to (\S+): (\d+) values$/;
  const [, lo] = r.rows[0].match(bin);
  await page.keyboard.press("End");
  r = await readout(page, "init-canvas");
  const [, , hi] = r.rows[0].match(bin);
  assert.ok(number(lo) < 0 && number(hi) > 0, `${lo} … ${hi}`);
  await page.keyboard.press("ArrowDown");
  r = await readout(page, "init-canvas");
  assert.equal(r.title, "outputs, layer 1");
  assert.match(r.live, /^outputs, layer 1, \S+ to \S+: \d+ values$/);
  await page.keyboard.press("Tab");

  // The pointer over the middle of the first weight histogram: a bin near 0 with values in it.
  await page.locator("#init-canvas").scrollIntoViewIfNeeded();
  const box = await page.locator("#init-canvas").boundingBox();
  const panel = await page.evaluate(() => {
    // The first row's weight box: right of the names, first of two columns (CSS pixels).
    const c = document.getElementById("init-canvas");
    return { w: c.getBoundingClientRect().width };
  });
  const nameW = panel.w < 480 ? 112 * 0.7 : 112;
  const colW = (panel.w - nameW - 28) / 2;
  await page.mouse.move(box.x + nameW + 14 + colW / 2 + 1, box.y + 26 + 40);
  await page.waitForFunction(() => !document.getElementById(document.getElementById("init-canvas").dataset.readoutTip).hidden);
  r = await readout(page, "init-canvas");
  assert.equal(r.title, "weights W, layer 1");
  const [, a, b, count] = r.rows[0].match(bin);
  assert.ok(number(a) < number(b) && Number(count) > 0, r.rows[0]);
  assert.ok((await overlayInk(page, "init-canvas")) > 100);
  await page.locator(".init-canvas-wrap").screenshot({ path: join(ARTIFACTS, "hover-weight-init.png") });
  assert.deepEqual(errors, []);
  await close();
});

test("on a phone a tap reads the chart and a tap elsewhere puts it away", async () => {
  const { page, errors, close } = await openPage(site, "#descent-2d", {
    width: 390,
    height: 844,
    deviceScaleFactor: 3,
    hasTouch: true,
    isMobile: true,
  });
  await page.locator("#descent-chart").waitFor();
  for (let i = 1; i <= 3; i += 1) {
    await page.click("#descent-step");
    await page.waitForFunction((i) => document.getElementById("descent-steps").innerText === String(i), i);
  }
  await page.locator("#descent-chart").scrollIntoViewIfNeeded();
  const box = await page.locator("#descent-chart").boundingBox();
  await page.touchscreen.tap(box.x + box.width * 0.9, box.y + box.height * 0.5);
  await page.waitForFunction(() => !document.getElementById(document.getElementById("descent-chart").dataset.readoutTip).hidden);
  const r = await readout(page, "descent-chart");
  assert.match(r.title, /^step [0-3]$/);
  // The label stays inside the chart's box.
  const tip = await page.locator("body > .readout-tip").boundingBox();
  assert.ok(tip.x >= box.x - 1 && tip.x + tip.width <= box.x + box.width + 1, JSON.stringify({ tip, box }));
  await page.locator(".race-chart-wrap").screenshot({ path: join(ARTIFACTS, "hover-descent-phone.png") });
  await page.touchscreen.tap(box.x + box.width * 0.5, box.y - 40);
  await page.waitForFunction(() => document.getElementById(document.getElementById("descent-chart").dataset.readoutTip).hidden);
  assert.deepEqual(errors, []);
  await close();
});

test("live training: the loss curve reads the iteration and the train loss the chart's summary names", async () => {
  const { page, errors, close } = await openPage(site, "#live-training", { deviceScaleFactor: 2 });
  await setInputFiles(page, "#live-data-file", archive);
  await page.waitForFunction(() => /parameters/.test(document.getElementById("live-status")?.innerText ?? ""), null, { timeout: 60_000 });
  await page.click("#live-run");
  await page.waitForFunction(() => Number((document.getElementById("live-updates")?.innerText ?? "0").replace(/,/g, "")) >= 60, null, {
    timeout: 120_000,
  });
  await page.click("#live-run");
  await page.waitForFunction(() => /Resume/.test(document.getElementById("live-run")?.innerText ?? ""));
  await page.waitForTimeout(500);
  // Where an evaluation lies nearer than any training point, only the test loss is read:
  // move along the curve until a training point is under the pointer.
  let r;
  for (const fx of [0.6, 0.5, 0.7, 0.4, 0.8, 0.3, 0.9]) {
    r = await hover(page, "live-loss-chart", fx, 0.5);
    if (r.rows.some((row) => row.startsWith("train (mini-batches)"))) break;
  }
  assert.match(r.title, /^iterations \d+$/);
  const train = value(r, "train (mini-batches)");
  assert.ok(train > 0 && train < 10, JSON.stringify(r.rows));
  assert.ok((await overlayInk(page, "live-loss-chart")) > 200);
  await page.locator(".live-charts").screenshot({ path: join(ARTIFACTS, "hover-live-en.png") });

  // End: the latest point, its losses as the chart's text alternative says them
  // (the last evaluation may come after the last training point, and then it alone is read).
  await page.focus("#live-loss-chart");
  await page.keyboard.press("End");
  const end = await readout(page, "live-loss-chart");
  const label = await page.locator("#live-loss-chart").getAttribute("aria-label");
  const latest = {
    train: label.match(/train \(mini-batches\): (\d+\.\d{3})/)[1],
    test: label.match(/test: (\d+\.\d{3})/)[1],
  };
  assert.ok(end.rows.length > 0);
  for (const row of end.rows) {
    const series = row.startsWith("train") ? "train" : "test";
    assert.ok(row.endsWith(`: ${latest[series]}`), `${row} ends with the latest ${series} loss ${latest[series]} (${label})`);
  }
  // The accuracy chart next to it reads percentages.
  await page.focus("#live-acc-chart");
  await page.keyboard.press("End");
  const acc = await readout(page, "live-acc-chart");
  assert.ok(acc.rows.every((row) => /: \d+\.\d%$/.test(row)), JSON.stringify(acc.rows));
  assert.deepEqual(errors, []);
  await close();
});
