// End-to-end: the feature-engineering lesson. Without data it shows the data
// panel; with env NNLAB_CIFAR10 (the real cifar-10-binary.tar.gz) the archive
// is loaded through the lesson's file input, a small race (2,000 images × 1
// epoch) runs in the Worker and shows three test accuracies, the HOG glyphs
// of the chosen image are drawn, the next image is asked for, and the
// conclusion is written from the numbers in English and in Chinese. No
// console errors; no horizontal overflow on a 390-pixel phone.
//
// Run: DIST=dist NNLAB_CIFAR10=/path/cifar-10-binary.tar.gz node tests/e2e/run.mjs tests/e2e/feature-engineering.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, setInputFiles, startSite } from "./lib/site.mjs";
import { inkedPixels } from "./lib/canvas.mjs";

const ARCHIVE = process.env.NNLAB_CIFAR10;
const IDS = ["fe-acc-raw", "fe-acc-features", "fe-acc-mlp"];

let site;

before(async () => {
  site = await startSite();
});

after(async () => {
  await site?.close();
});

/** Pale-yellow glyph strokes (HOG) in the glyph canvas's right panel. */
function glyphPixels(page) {
  return page.evaluate(() => {
    const canvas = document.getElementById("fe-glyphs");
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] > 150 && data[i + 1] > 140 && data[i + 2] < 150 && data[i] - data[i + 2] > 60) n += 1;
    return n;
  });
}

const accuracies = (page) => page.evaluate((ids) => ids.map((id) => document.getElementById(id)?.innerText ?? ""), IDS);

test("without data the lesson shows the data panel, in zh and en", async () => {
  for (const [locale, missing] of [["en-US", "not loaded yet"], ["zh-CN", "还没有加载"]]) {
    const { page, errors, close } = await openPage(site, "#feature-engineering", { locale });
    await page.waitForFunction((missing) => (document.getElementById("fe-data-status")?.innerText ?? "").includes(missing), missing);
    assert.match(await page.locator("#fe-data-howto").innerText(), /scripts\/get-cifar10\.sh/);
    assert.equal(await page.locator(".fe-content").isHidden(), true, "the race waits for the data");
    assert.deepEqual(errors, []);
    await close();
  }
});

test("real CIFAR-10: three pipelines race, HOG glyphs, the conclusion in en and zh", { skip: ARCHIVE ? false : "set NNLAB_CIFAR10 to cifar-10-binary.tar.gz to run" }, async () => {
  const { page, errors, close } = await openPage(site, "#feature-engineering?n=2000&epochs=1&img=3");
  await setInputFiles(page, "#fe-data-file", ARCHIVE);
  await page.waitForFunction(() => /CIFAR-10 is loaded/.test(document.getElementById("fe-data-status")?.innerText ?? ""), null, { timeout: 300_000 });
  // The glyphs of image 3 come from the Worker.
  await page.waitForFunction(() => document.getElementById("fe-glyphs")?.width > 0);
  await page.waitForFunction(
    () => {
      const c = document.getElementById("fe-glyphs");
      const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) if (d[i] > 150 && d[i + 1] > 140 && d[i + 2] < 150 && d[i] - d[i + 2] > 60) return true;
      return false;
    },
    null,
    { timeout: 60_000 },
  );
  assert.ok((await glyphPixels(page)) > 50, "HOG strokes are drawn over the image");
  assert.ok((await inkedPixels(page, "fe-glyphs")) > 2000, "the image and the hue bars are drawn");
  assert.deepEqual(await accuracies(page), ["—", "—", "—"]);

  await page.click("#fe-run");
  await page.waitForFunction(() => /epoch|features/.test(document.getElementById("fe-status")?.innerText ?? ""));
  // All three finish: the conclusion is written from their numbers.
  await page.waitForFunction(() => /Your race/.test(document.getElementById("fe-verdict")?.innerText ?? ""), null, { timeout: 600_000 });
  const values = await accuracies(page);
  for (const [i, text] of values.entries()) {
    const match = text.match(/^(\d+(?:\.\d)?)%$/);
    assert.ok(match, `${IDS[i]} reads as a percentage: ${text}`);
    const value = Number(match[1]);
    assert.ok(value > 0 && value <= 100, `${IDS[i]} = ${value}`);
  }
  const verdict = await page.locator("#fe-verdict").innerText();
  for (const text of values) assert.ok(verdict.includes(text), `the conclusion quotes ${text}: ${verdict}`);
  assert.match(verdict, /2,000 images/);
  assert.ok((await inkedPixels(page, "fe-chart")) > 500, "the accuracy chart has lines");
  assert.match(await page.locator("#fe-run").innerText(), /Start/);
  await page.screenshot({ path: join(ARTIFACTS, "feature-engineering-en.png"), fullPage: true });

  // Next image: the address follows and its glyphs are drawn.
  await page.click("#fe-next");
  await page.waitForFunction(() => /img=4/.test(location.hash));

  // In Chinese the same numbers, a Chinese conclusion.
  await page.click(".lang-switch");
  await page.waitForFunction(() => /你刚才的结果/.test(document.getElementById("fe-verdict")?.innerText ?? ""));
  assert.deepEqual(await accuracies(page), values);
  await page.waitForFunction(() => document.getElementById("fe-glyphs")?.width > 0);
  assert.ok((await inkedPixels(page, "fe-glyphs")) > 2000);
  await page.screenshot({ path: join(ARTIFACTS, "feature-engineering-zh.png"), fullPage: true });

  // A phone: nothing wider than the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 390-px phone`);
  await page.screenshot({ path: join(ARTIFACTS, "feature-engineering-zh-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});
