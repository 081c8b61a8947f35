// End-to-end: the app works from the keyboard. The first Tab stop is a skip
// link past the menu's links into the lesson; "Load model…" in live training
// is a Tab stop; and every control's focus ring stands out (WCAG 2.4.13's
// 3:1 contrast against what is around it), in every lesson.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/keyboard.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openPage, startSite } from "./lib/site.mjs";
import { contrast, lessonSlugs, openLesson, over, parseColor, serveWithData } from "./lib/layout.mjs";

let site;
let server;
before(async () => {
  site = await startSite();
  // The training lessons show their controls once they have data.
  server = await serveWithData();
});
after(async () => {
  await server?.close();
  await site?.close();
});

/** What has focus: its tag, id, class, text, and whether it is inside the lesson. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase(),
      id: el?.id ?? "",
      className: typeof el?.className === "string" ? el.className : "",
      text: (el?.innerText ?? "").trim(),
      label: (el?.closest("label")?.innerText ?? "").trim(),
      inLesson: !!document.getElementById("lesson")?.contains(el),
    };
  });

for (const [lang, skipText] of [
  ["zh", "跳到课程内容"],
  ["en", "Skip to lesson"],
]) {
  test(`the first Tab stop skips the menu into the lesson (${lang})`, async () => {
    const { page, errors, close } = await openPage(site, `${server.url}#descent-2d?lang=${lang}`);
    await page.waitForSelector("#lesson .lesson-head");
    await page.keyboard.press("Tab");
    const first = await focused(page);
    assert.equal(first.tag, "a");
    assert.equal(first.text, skipText);
    // Seen when focused: on screen, not clipped away.
    const box = await page.locator(".skip-link").boundingBox();
    assert.ok(box && box.y >= 0 && box.width > 40 && box.height > 20, `skip link box ${JSON.stringify(box)}`);
    await page.keyboard.press("Enter");
    assert.ok((await focused(page)).inLesson, "Enter moves focus into the lesson");
    assert.match(page.url(), /#descent-2d/, "the lesson's link is kept");
    await page.keyboard.press("Tab");
    const next = await focused(page);
    assert.ok(next.inLesson, `the next Tab stop is a control of the lesson (${JSON.stringify(next)})`);
    assert.deepEqual(errors, []);
    await close();
  });
}

test("Tab reaches “Load model…” in live training", async () => {
  const { page, errors, close } = await openPage(site, server.url + "#live-training?lang=en");
  await page.waitForSelector("#live-run", { state: "visible", timeout: 60_000 });
  let reached = null;
  for (let i = 0; i < 80 && !reached; i++) {
    await page.keyboard.press("Tab");
    const f = await focused(page);
    if (/Load model/.test(f.text) || /Load model/.test(f.label)) reached = f;
  }
  assert.ok(reached, "a Tab stop is the Load model… control");
  // Its ring shows on the visible button.
  const ring = await page.evaluate(() => {
    const el = document.activeElement;
    const shown = el.getBoundingClientRect().width > 2 ? el : el.closest("label");
    const s = getComputedStyle(shown);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth) };
  });
  assert.notEqual(ring.style, "none");
  assert.ok(ring.width >= 2, `ring ${ring.width}px`);
  assert.deepEqual(errors, []);
  await close();
});

test("every control's focus ring has at least 3:1 contrast, in every lesson", async () => {
  const { page, errors, close } = await openPage(site, server.url + "#depth?lang=en");
  const failures = [];
  let checked = 0;
  for (const slug of await lessonSlugs(page)) {
    await openLesson(page, server.url, slug, "lang=en");
    // Tab order starts at the lesson's title (made focusable for the test only).
    await page.evaluate(() => {
      const title = document.querySelector("#lesson .lesson-title");
      title.tabIndex = -1;
      title.focus();
    });
    const seen = new Set();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press("Tab");
      const ring = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || !document.getElementById("lesson").contains(el)) return null;
        // A visually hidden input shows its ring on its label.
        const shown = el.getBoundingClientRect().width > 2 ? el : el.closest("label") ?? el;
        const s = getComputedStyle(shown);
        let bg = "rgb(255, 255, 255)";
        for (let a = shown.parentElement; a; a = a.parentElement) {
          const c = getComputedStyle(a).backgroundColor;
          if (!/rgba\(.*, 0\)$/.test(c) && c !== "transparent") {
            bg = c;
            break;
          }
        }
        const key = `${el.tagName}#${el.id}.${el.className}:${(el.innerText ?? "").slice(0, 20)}:${el.getAttribute("aria-label") ?? ""}`;
        return { key, style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor, bg };
      });
      if (!ring || seen.has(ring.key)) break;
      seen.add(ring.key);
      checked++;
      const bg = parseColor(ring.bg).rgb;
      const ratio = contrast(over(parseColor(ring.color), bg), bg);
      if (ring.style === "none" || ring.width < 2 || ratio < 3) {
        failures.push(`${slug} ${ring.key}: ${ring.style} ${ring.width}px ${ring.color} on ${ring.bg} = ${ratio.toFixed(2)}:1`);
      }
    }
  }
  assert.ok(checked > 60, `checked ${checked} controls`);
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await close();
});
