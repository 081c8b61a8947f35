// End-to-end: what a class reads, at 1440×900 in Chinese and English. No text
// is cut off (an element narrower than its content, `scrollWidth >
// clientWidth`, where it clips or scrolls); every canvas says what it shows;
// every range slider tells a screen reader its value; nothing warns on the
// console (wasm-bindgen's deprecated init). The pictures' start points move
// with the arrow keys; the Paddle code's comments and the file chooser speak
// the page's language; the zh confusion matrix's headers stand upright.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/readable.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, startSite } from "./lib/site.mjs";
import { text, waitForText } from "./lib/controls.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** Visible elements of the lesson whose content is wider than their box and that clip or scroll it. */
function clipped(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll("#lesson *")) {
      const style = getComputedStyle(el);
      if (el.offsetParent === null || style.visibility === "hidden") continue;
      if (el.closest(".visually-hidden")) continue;
      if (el.tagName === "CANVAS" || el.tagName === "svg" || el.closest("svg")) continue;
      // A range's track is drawn by the browser.
      if (el.tagName === "INPUT" && el.type === "range") continue;
      const input = el.tagName === "INPUT" || el.tagName === "SELECT";
      const clips = input || style.overflowX !== "visible" || style.textOverflow === "ellipsis";
      if (clips && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        const what = input ? el.value : el.innerText.slice(0, 60);
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")}#${el.id}: "${what}" (${el.scrollWidth} > ${el.clientWidth})`);
      }
    }
    return out;
  });
}

/** Canvases without a text alternative, ranges without aria-valuetext. */
function unlabelled(page) {
  return page.evaluate(() => {
    const out = [];
    for (const c of document.querySelectorAll("#lesson canvas")) {
      const label = c.getAttribute("aria-label") ?? "";
      const by = c.getAttribute("aria-labelledby") || c.getAttribute("aria-describedby");
      const hidden = c.getAttribute("aria-hidden") === "true";
      if (!hidden && [...label.trim()].length < 2 && !by) out.push(`canvas#${c.id}.${c.className}`);
    }
    for (const r of document.querySelectorAll("#lesson input[type=range]")) {
      if (!r.getAttribute("aria-valuetext")) out.push(`range in ${r.closest("[id]")?.id}`);
    }
    return out;
  });
}

for (const [locale, lang] of [
  ["zh-CN", "zh"],
  ["en-US", "en"],
]) {
  test(`every lesson at 1440×900 (${lang}): no clipped text, canvases and sliders described, no warnings`, async () => {
    const warnings = [];
    const listen = (page) =>
      page.on("console", (msg) => {
        if (msg.type() === "warning") warnings.push(msg.text());
      });
    const { page, errors, close } = await openPage(site, `#depth?lang=${lang}`, { locale, setup: listen });
    const slugs = await page.locator(".nav-link").evaluateAll((links) => links.map((a) => a.dataset.lesson));
    const problems = [];
    for (const slug of slugs) {
      await page.goto(`${site.url}#${slug}?lang=${lang}`);
      await page.waitForFunction((s) => document.querySelector(`#lesson[data-lesson="${s}"] .lesson-head`), slug);
      // Let the lesson draw and fill its read-outs.
      await page.waitForTimeout(600);
      for (const c of await clipped(page)) problems.push(`${slug}: clipped ${c}`);
      for (const u of await unlabelled(page)) problems.push(`${slug}: no text alternative: ${u}`);
    }
    // The descent lessons with their numbers at their widest: a big step, a far start.
    await page.goto(`${site.url}#gradient?start=-4,-4&step=1&lang=${lang}`);
    await page.waitForSelector("#grad-canvas");
    await page.waitForTimeout(600);
    for (const c of await clipped(page)) problems.push(`gradient step=1: clipped ${c}`);
    assert.deepEqual(problems, [], problems.join("\n"));
    assert.deepEqual(warnings, [], warnings.join("\n"));
    assert.deepEqual(errors, []);
    await close();
  });
}

test("the start points of the pictures move with the arrow keys (focus with Tab)", async () => {
  const { page, errors, close } = await openPage(site, "#gradient?start=1,1&lang=en");
  await page.waitForSelector("#grad-canvas");
  // The picture must have been drawn once (its frame maps keys to points).
  await page.waitForFunction(() => document.getElementById("grad-canvas").width > 0);
  await page.waitForTimeout(500);
  const w0 = async () => (await text(page, "#grad-w0")).replace(/[()]/g, "").split(",").map(Number);
  const [x0, y0] = await w0();
  await page.focus("#grad-canvas");
  assert.equal(await page.evaluate(() => document.activeElement.id), "grad-canvas", "the picture takes focus");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("ArrowUp");
  // The read-out follows on the next frame.
  await page
    .waitForFunction(
      ([x0, y0]) => {
        const [x, y] = document.getElementById("grad-w0").innerText.replace(/[()]/g, "").split(",").map(Number);
        return x > x0 && y > y0;
      },
      [x0, y0],
      { timeout: 5000 },
    )
    .catch(() => {});
  const [x1, y1] = await w0();
  assert.ok(x1 > x0 && y1 > y0, `W₀ moved right and up: (${x0}, ${y0}) → (${x1}, ${y1})`);
  // → on the picture moves the point; it does not take a step.
  assert.doesNotMatch(await text(page, "#grad-canvas-status"), /took/i);
  // The same on the 2-D race and the 1-D lessons.
  for (const [slug, canvas, readout] of [
    ["descent-2d?start=-1,1", "descent-canvas", null],
    ["sgd?start=1.5", "sgd1d-canvas", "#sgd1d-x"],
    ["derivative-and-gradient?p=0.5", "deriv-canvas", null],
  ]) {
    await page.goto(`${site.url}#${slug}`);
    await page.waitForSelector(`#${canvas}`);
    await page.waitForTimeout(300);
    const before = readout ? await text(page, readout) : await page.evaluate(() => location.hash);
    await page.focus(`#${canvas}`);
    await page.keyboard.press("Shift+ArrowLeft");
    await page.waitForTimeout(400);
    const after = readout ? await text(page, readout) : await page.evaluate(() => location.hash);
    assert.notEqual(after, before, `${slug}: ← moved the point (${before} → ${after})`);
  }
  assert.deepEqual(errors, []);
  await close();
});

test("the Paddle code's comments and the file chooser speak the page's language", async () => {
  const en = await openPage(site, "#loss-and-optimizer?lang=en", { locale: "en-US" });
  await en.page.waitForSelector("#loss-prepare-code");
  const code = await text(en.page, "#loss-prepare-code");
  assert.doesNotMatch(code, /\p{Script=Han}/u, code);
  assert.match(code, /# optimiser: Adam/);
  await en.close();
  const zh = await openPage(site, "#input-data?lang=zh", { locale: "zh-CN" });
  await zh.page.waitForSelector("#input-data-file", { state: "attached" });
  const chooser = await zh.page.evaluate(() => {
    const input = document.getElementById("input-data-file");
    const box = input.getBoundingClientRect();
    const label = input.closest("label").querySelector(".data-choose");
    return { width: box.width, label: label?.innerText ?? "" };
  });
  assert.ok(chooser.width <= 1, "the browser's English chooser is hidden");
  assert.equal(chooser.label, "选择文件…");
  // Still reachable with Tab and named.
  assert.equal(await zh.page.getAttribute("#input-data-file", "aria-label"), "选择文件…");
  const loss = await openPage(site, "#loss-and-optimizer?lang=zh", { locale: "zh-CN" });
  await loss.page.waitForSelector("#loss-prepare-code");
  assert.match(await text(loss.page, "#loss-prepare-code"), /# 优化函数Adam/);
  await loss.close();
  await zh.close();
});
