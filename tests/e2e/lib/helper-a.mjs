// Shared helpers for the optimisation lessons' end-to-end tests: a served
// dist/, a browser, pages that collect console errors, and the world ↔ pixel
// mapping of nnlab-figures' Frame (crates/nnlab-figures/src/frame.rs).
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../serve.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const DIST = process.env.DIST ? resolve(process.env.DIST) : join(ROOT, "dist");
export const ARTIFACTS = join(ROOT, "tests", "artifacts");

/** Starts the server and the browser; returns { url, browser, close() }. */
export async function startSite() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(`${DIST}/index.html is missing: run \`trunk build --release --skip-version-check\` first`);
  }
  const server = await serve(DIST);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
  });
  return {
    url: server.url,
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}

/** A page in a fresh context, collecting console errors and uncaught exceptions. */
export async function openPage(site, path, { locale = "en-US", width = 1440, height = 900 } = {}) {
  const context = await site.browser.newContext({ locale, viewport: { width, height } });
  const page = await context.newPage();
  const errors = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
  await page.goto(site.url + path);
  await page.waitForSelector(".nav-link");
  return { page, errors, close: () => context.close() };
}

/** The margins of Frame::new at scale 1: left, top, right, bottom. */
const MARGINS = [78, 56, 28, 62];

/** Client coordinates of world point (x, y) on a canvas showing `view` ({x: [a, b], y: [c, d]}). */
export async function worldToClient(page, selector, view, [x, y]) {
  const box = await page.locator(selector).boundingBox();
  const s = Math.min(Math.max(Math.min(box.width / 800, box.height / 600), 0.5), 4);
  const [ml, mt, mr, mb] = MARGINS.map((m) => Math.round(m * s));
  const left = ml;
  const right = box.width - mr;
  const top = mt;
  const bottom = box.height - mb;
  return {
    x: box.x + left + ((x - view.x[0]) / (view.x[1] - view.x[0])) * (right - left),
    y: box.y + bottom - ((y - view.y[0]) / (view.y[1] - view.y[0])) * (bottom - top),
  };
}

/** Pixels of canvas `id` for which `test(r, g, b)` holds (test is a function body string). */
export function countPixels(page, id, test) {
  return page.evaluate(
    ([id, test]) => {
      const canvas = document.getElementById(id);
      const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
      const is = new Function("r", "g", "b", test);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (is(data[i], data[i + 1], data[i + 2])) n += 1;
      return n;
    },
    [id, test],
  );
}

export const text = (page, selector) => page.locator(selector).innerText();

/** Waits until the element's text matches `pattern`. */
export function waitForText(page, selector, pattern, timeout = 15000) {
  return page.waitForFunction(
    ([sel, source, flags]) => new RegExp(source, flags).test(document.querySelector(sel)?.innerText ?? ""),
    [selector, pattern.source, pattern.flags],
    { timeout },
  );
}

/** Types `value` into a slider's number field and applies it (Enter). */
export async function setSlider(page, id, value) {
  await page.fill(`#${id} .slider-number`, String(value));
  await page.press(`#${id} .slider-number`, "Enter");
}
