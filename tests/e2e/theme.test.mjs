// End-to-end: the dark theme. With the system set to dark (colorScheme
// "dark"), every lesson of the menu, in Chinese and in English, has a dark page
// with light text, its main picture is drawn on a dark background, and its
// text keeps a contrast of at least 4.5:1 (in the light theme too). The
// header's theme chooser switches the page and its pictures at once, is
// remembered across a reload, and — set to follow the system — follows it when
// it changes. The theme is in place before the app starts (no white flash).
//
// Run: node tests/e2e/run.mjs tests/e2e/theme.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openPage, startSite } from "./lib/site.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

/** Runs in the page: colour helpers (WCAG relative luminance and contrast). */
const COLOUR_HELPERS = `
  const rgbOf = (css) => (css.match(/[\\d.]+/g) || []).map(Number);
  const luminance = ([r, g, b]) => {
    const lin = (v) => ((v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)];
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  };
`;

/** The page's colours: body background and text, the theme attribute, the chooser's value. */
function pageColours(page) {
  return page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const body = getComputedStyle(document.body);
    const title = document.querySelector(".lesson-title");
    return {
      theme: document.documentElement.dataset.theme,
      chosen: document.getElementById("theme-select")?.value,
      background: luminance(rgbOf(body.backgroundColor)),
      text: luminance(rgbOf(body.color)),
      title: title ? luminance(rgbOf(getComputedStyle(title).color)) : null,
    };
  })()`);
}

/**
 * The lesson's main picture — its largest visible canvas — and the luminance of
 * its background: the most common colour of its pixels (the paper around and
 * under what is drawn). Null when the lesson shows no canvas (it waits for data).
 */
function mainCanvasBackground(page) {
  return page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const canvases = [...document.querySelectorAll("#lesson canvas")].filter((c) => {
      const box = c.getBoundingClientRect();
      return box.width * box.height >= 30000 && c.width > 0 && c.height > 0 && c.offsetParent !== null;
    });
    if (canvases.length === 0) return null;
    const area = (c) => c.width * c.height;
    const canvas = canvases.reduce((a, b) => (area(b) > area(a) ? b : a));
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4 * 7) {
      if (data[i + 3] < 200) continue; // transparent: the card shows through (checked with the page)
      const key = (data[i] >> 3) + "," + (data[i + 1] >> 3) + "," + (data[i + 2] >> 3);
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    if (counts.size === 0) return { id: canvas.id || canvas.className, luminance: null };
    const [top] = [...counts.entries()].sort((a, b) => b[1] - a[1]);
    const rgb = top[0].split(",").map((v) => Number(v) * 8 + 4);
    return { id: canvas.id || canvas.className, luminance: luminance(rgb), rgb };
  })()`);
}

/**
 * Visible text of the menu and the lesson whose contrast with the background
 * under it is below 4.5:1. Disabled controls are left out (WCAG exempts them),
 * as is text over pictures (canvases), which the canvas checks cover.
 */
function lowContrastTexts(page) {
  return page.evaluate(`(() => {
    ${COLOUR_HELPERS}
    const backgroundOf = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgbOf(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const faded = (el) => {
      for (let e = el; e; e = e.parentElement) if (Number(getComputedStyle(e).opacity) < 1) return true;
      return false;
    };
    const bad = [];
    for (const el of document.querySelectorAll(".topbar *, .lesson-nav *, #lesson *")) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim().length > 0);
      if (!own || el.closest("svg, [disabled], option") || faded(el)) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || getComputedStyle(el).visibility === "hidden") continue;
      const ratio = contrast(rgbOf(getComputedStyle(el).color).slice(0, 3), backgroundOf(el));
      if (ratio < 4.5) bad.push(el.tagName.toLowerCase() + "." + el.className + " “" + el.textContent.trim().slice(0, 30) + "” " + ratio.toFixed(2));
    }
    return bad;
  })()`);
}

/** Waits until the lesson `slug` is shown and has drawn a few frames. */
async function showLesson(page, slug) {
  await page.goto(`${site.url}#${slug}`);
  await page.waitForFunction((s) => document.querySelector(".lesson-head") && location.hash.startsWith(`#${s}`), slug);
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 150)))));
}

for (const [locale, lang] of [
  ["zh-CN", "zh"],
  ["en-US", "en"],
]) {
  test(`with the system set to dark, every lesson is dark with light text and dark pictures (${lang})`, async () => {
    const { page, errors, close } = await openPage(site, "", { locale, colorScheme: "dark" });
    const slugs = await page.locator(".nav-link").evaluateAll((links) => links.map((a) => a.dataset.lesson));
    assert.ok(slugs.length >= 16, `the menu lists ${slugs.length} lessons`);
    const withoutPicture = [];
    for (const slug of slugs) {
      await showLesson(page, slug);
      const c = await pageColours(page);
      assert.equal(c.theme, "dark", `${slug}: the page follows the dark system`);
      assert.equal(c.chosen, "system", `${slug}: nothing was chosen, the system is followed`);
      assert.ok(c.background < 0.03, `${slug}: dark body background (luminance ${c.background})`);
      assert.ok(c.text > 0.6 && c.title > 0.6, `${slug}: light text (${c.text}, title ${c.title})`);
      const canvas = await mainCanvasBackground(page);
      if (canvas) {
        assert.ok(canvas.luminance !== null && canvas.luminance < 0.06, `${slug}: the picture ${canvas.id} is drawn on a dark background (${canvas.rgb})`);
      } else {
        withoutPicture.push(slug);
      }
      assert.deepEqual(await lowContrastTexts(page), [], `${slug}: text contrast in the dark theme`);
    }
    // Only the lessons drawn in SVG (their colours are style.css's), those waiting for CIFAR-10 and the
    // summary (its thumbnails are too small to count as a picture) show no canvas.
    assert.deepEqual(withoutPicture, [
      "what-is-dl",
      "feature-engineering",
      "deep-training",
      "depth",
      "network",
      "input-data",
      "live-training",
      "backprop",
      "summary",
    ]);
    assert.deepEqual(errors, []);
    await close();
  });
}

test("in the light theme too, text keeps a contrast of 4.5:1 (zh and en)", async () => {
  for (const locale of ["zh-CN", "en-US"]) {
    const { page, errors, close } = await openPage(site, "", { locale, colorScheme: "light" });
    const slugs = await page.locator(".nav-link").evaluateAll((links) => links.map((a) => a.dataset.lesson));
    for (const slug of slugs) {
      await showLesson(page, slug);
      assert.equal((await pageColours(page)).theme, "light", slug);
      assert.deepEqual(await lowContrastTexts(page), [], `${slug} (${locale}): text contrast in the light theme`);
    }
    assert.deepEqual(errors, []);
    await close();
  }
});

test("the chooser switches the page and its pictures, is remembered, and can follow the system", async () => {
  const { page, errors, close } = await openPage(site, "#descent-2d", { colorScheme: "light" });
  await showLesson(page, "descent-2d");
  let c = await pageColours(page);
  assert.equal(c.theme, "light", "a light system: a light page");
  assert.ok(c.background > 0.8, `light body (${c.background})`);
  assert.ok((await mainCanvasBackground(page)).luminance > 0.8, "a light picture");

  // Dark, chosen: the page and the picture switch at once.
  await page.selectOption("#theme-select", "dark");
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
  c = await pageColours(page);
  assert.equal(c.theme, "dark");
  assert.ok(c.background < 0.03 && c.text > 0.6, `dark body, light text (${c.background}, ${c.text})`);
  assert.ok((await mainCanvasBackground(page)).luminance < 0.06, "the picture is redrawn dark");
  assert.equal(await page.evaluate(() => localStorage.getItem("nnlab.theme")), "dark");

  // Remembered across a reload, although the system is light.
  await page.reload();
  await page.waitForSelector(".lesson-head");
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark", "dark before and after the app starts");
  await showLesson(page, "descent-2d");
  c = await pageColours(page);
  assert.equal(c.chosen, "dark", "the chooser shows the remembered choice");
  assert.ok(c.background < 0.03, "still dark after a reload");
  assert.ok((await mainCanvasBackground(page)).luminance < 0.06, "a dark picture after a reload");

  // Follow the system: light now, dark when the system turns dark, light again after.
  await page.selectOption("#theme-select", "system");
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
  assert.equal((await pageColours(page)).theme, "light", "the system is light");
  assert.ok((await mainCanvasBackground(page)).luminance > 0.8, "the picture is light again");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.waitForFunction(() => document.documentElement.dataset.theme === "dark");
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 100))));
  assert.ok((await pageColours(page)).background < 0.03, "follows the system to dark");
  assert.ok((await mainCanvasBackground(page)).luminance < 0.06, "the picture follows the system to dark");
  await page.emulateMedia({ colorScheme: "light" });
  await page.waitForFunction(() => document.documentElement.dataset.theme === "light");

  // Light, chosen, wins over a dark system, also after a reload.
  await page.selectOption("#theme-select", "light");
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await showLesson(page, "descent-2d");
  c = await pageColours(page);
  assert.equal(c.theme, "light", "an explicit light choice beats the dark system");
  assert.equal(c.chosen, "light");
  assert.ok((await mainCanvasBackground(page)).luminance > 0.8, "a light picture on a dark system");
  assert.deepEqual(errors, []);
  await close();
});

test("the theme is in place before the app starts: no white flash", async () => {
  // The page's wasm never arrives: what shows is index.html and style.css alone.
  const { page, close } = await openPage(site, "", {
    colorScheme: "dark",
    wait: null,
    setup: (p) => p.route(/\.wasm$/, (route) => route.abort()),
  });
  await page.waitForLoadState("load");
  const c = await pageColours(page);
  assert.equal(c.theme, "dark", "index.html set the theme");
  assert.ok(c.background < 0.03, `the first paint is dark (${c.background})`);
  assert.equal(await page.locator(".nav-link").count(), 0, "the app did not start");
  await close();
});
