// Measuring a page's layout for the class-room tests (presenter, phone,
// keyboard): the lessons of the menu, boxes against the viewport, text sizes,
// and colour contrast as WCAG defines it.

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeCifarArchive } from "./cifar-fixture.mjs";
import { DIST, serve } from "./site.mjs";

/**
 * A server of dist/ with a small CIFAR-10 archive in the official layout as
 * its data, so the lessons that show photos and train have their pictures.
 * Resolves to the server ({ url, close() }).
 */
export function serveWithData() {
  const archive = join(mkdtempSync(join(tmpdir(), "nnlab-layout-")), "cifar-10-binary.tar.gz");
  writeCifarArchive(archive, { perBatch: 300, test: 300 });
  return serve(DIST, { dataFile: archive });
}

/** Lessons whose main picture waits for the data, and what shows once it is there. */
export const NEEDS_DATA = {
  depth: "#depth-thumbs",
  "input-data": "#input-gallery",
  "live-training": "#live-loss-chart",
  // These two show their race once the data is in (on a loaded machine that can take seconds).
  "feature-engineering": "#fe-chart",
  "deep-training": "#deep-run",
};

/** The lessons' slugs, in the menu's order (the menu is built from lessons/table.rs). */
export function lessonSlugs(page) {
  return page.locator(".nav-link").evaluateAll((links) => links.map((a) => a.dataset.lesson));
}

/** Opens lesson `slug` with `query` (e.g. "present=1&lang=zh") and waits for its head and a settled layout. */
export async function openLesson(page, siteUrl, slug, query) {
  await page.goto(`${siteUrl}#${slug}?${query}`);
  await page.waitForFunction((s) => document.querySelector("#lesson .lesson-head") && location.hash.startsWith(`#${s}`), slug);
  if (NEEDS_DATA[slug]) await page.waitForSelector(NEEDS_DATA[slug], { state: "visible", timeout: 60_000 });
  // Canvases are fitted on the next frames, after fonts and layout settle.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 150)))));
}

/**
 * Runs in the page: every visible element that shows text of its own (a
 * text node with letters or digits), with its rendered font size in CSS
 * pixels (SVG text is scaled by its drawing's transform to the screen).
 * `root` is a selector; returns [{ text, px, tag }].
 */
export function textSizes(page, root) {
  return page.evaluate((rootSelector) => {
    const out = [];
    const root = document.querySelector(rootSelector);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || seen.has(el) || !/[\p{L}\p{N}]/u.test(node.data)) continue;
      seen.add(el);
      if (el.closest("style, script, [hidden]")) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width < 1 || box.height < 1 || style.visibility === "hidden" || Number(style.opacity) === 0) continue;
      // Visually hidden (clipped to a pixel) text is for screen readers only.
      if (box.width <= 1 && box.height <= 1) continue;
      let px = parseFloat(style.fontSize);
      if (el instanceof SVGElement && el.ownerSVGElement) {
        const m = el.getScreenCTM();
        if (m) px *= Math.hypot(m.a, m.b);
      }
      out.push({ text: node.data.trim().slice(0, 40), px: Math.round(px * 10) / 10, tag: el.tagName.toLowerCase() });
    }
    return out;
  }, root);
}

/** The relative luminance of an sRGB colour [r, g, b] (0–255), as WCAG 2 defines it. */
export function luminance([r, g, b]) {
  const lin = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG contrast ratio of two colours (1 to 21). */
export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** "rgb(1, 2, 3)" / "rgba(1, 2, 3, 0.5)" → { rgb: [1, 2, 3], alpha: 0.5 }. */
export function parseColor(css) {
  const n = css.match(/[\d.]+/g)?.map(Number) ?? [0, 0, 0, 0];
  return { rgb: n.slice(0, 3), alpha: n.length > 3 ? n[3] : 1 };
}

/** `fg` with its alpha laid over the opaque `bg`. */
export function over(fg, bg) {
  return fg.rgb.map((c, i) => c * fg.alpha + bg[i] * (1 - fg.alpha));
}
