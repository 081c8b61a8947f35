// End-to-end: every lesson on a phone (390×844 CSS px, device scale 3,
// touch), in Chinese and in English: nothing scrolls sideways, the header and
// menu strip leave the screen to the lesson, every control is a tap target of
// at least 24×24 px (WCAG 2.5.8), and the backprop graph shows its output f,
// where the backward pass starts.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/phone.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, startSite } from "./lib/site.mjs";
import { lessonSlugs, openLesson, serveWithData } from "./lib/layout.mjs";

const PHONE = { width: 390, height: 844, deviceScaleFactor: 3, isMobile: true, hasTouch: true };

let site;
let server;
before(async () => {
  site = await startSite();
  server = await serveWithData();
});
after(async () => {
  await server?.close();
  await site?.close();
});

/** Runs in the page: the lesson's visible controls smaller than 24×24 px. */
function smallControls() {
  const small = [];
  const controls = document.querySelectorAll("#lesson :is(button, input, select, textarea, summary, a[href], label.btn)");
  for (const el of controls) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.display === "none" || style.visibility === "hidden" || el.closest("[hidden]")) continue;
    // A visually hidden input (clipped to 1 px) is reached through its label, measured instead.
    if (box.width <= 1 && box.height <= 1) continue;
    if (box.width < 24 || box.height < 24) {
      const name = (el.innerText || el.getAttribute("aria-label") || el.id || el.type || "").trim().slice(0, 30);
      small.push(`${el.tagName.toLowerCase()}${el.type ? `[${el.type}]` : ""} "${name}" ${box.width.toFixed(0)}×${box.height.toFixed(0)}`);
    }
  }
  return small;
}

for (const [locale, lang] of [
  ["zh-CN", "zh"],
  ["en-US", "en"],
]) {
  test(`every lesson fits a phone, with tap targets of 24 px (${lang})`, async () => {
    const { page, errors, close } = await openPage(site, `${server.url}#depth?lang=${lang}`, { locale, ...PHONE });
    const problems = [];
    for (const slug of await lessonSlugs(page)) {
      await openLesson(page, server.url, slug, `lang=${lang}`);
      const m = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        header: document.querySelector(".topbar").getBoundingClientRect().height,
        nav: document.querySelector(".lesson-nav").getBoundingClientRect().height,
        langButton: document.querySelector(".lang-switch").getBoundingClientRect().height,
      }));
      if (m.scrollWidth > PHONE.width) problems.push(`${slug}: the page is ${m.scrollWidth} px wide`);
      // The header and the menu strip together: at most 15 % of the screen, the language button on one line.
      if (m.header + m.nav > 0.15 * PHONE.height) problems.push(`${slug}: header ${m.header} + menu ${m.nav} px`);
      if (m.langButton > 48) problems.push(`${slug}: the language button wraps (${m.langButton} px tall)`);
      for (const small of await page.evaluate(smallControls)) problems.push(`${slug}: ${small}`);
      await page.screenshot({ path: join(ARTIFACTS, `phone-${slug}-${lang}.png`), fullPage: false });
    }
    assert.deepEqual(problems, []);
    assert.deepEqual(errors, []);
    await close();
  });
}

test("on a phone the backprop graph shows its output f, where the backward pass starts", async () => {
  const { page, errors, close } = await openPage(site, server.url + "#backprop?lang=en", PHONE);
  await page.waitForSelector(".bp-node.output");
  await page.locator(".bp-picture").scrollIntoViewIfNeeded();
  const seen = await page.evaluate(() => {
    const node = document.querySelector(".bp-node.output").getBoundingClientRect();
    const frame = document.querySelector(".bp-picture").getBoundingClientRect();
    return {
      node: [node.left, node.right],
      frame: [frame.left, frame.right],
      label: document.querySelector(".bp-node.output .bp-label")?.textContent,
    };
  });
  assert.match(seen.label, /^f\b/);
  const [left, right] = seen.node;
  assert.ok(left >= Math.max(0, seen.frame[0]) - 1 && right <= Math.min(390, seen.frame[1]) + 1, `f at ${seen.node} in ${seen.frame}`);
  assert.deepEqual(errors, []);
  await close();
});
