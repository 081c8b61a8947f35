// End-to-end: "your own photo" (issue 15) in the input-data and live-training
// lessons. A PNG made here (96 × 64: black bands left and right of a 64 × 64
// centre square in four coloured quadrants) is chosen, pasted or dropped; the
// page shows the centre square (no black: the bands are cropped off) and its
// 32 × 32 (each quadrant exactly its colour: 2 × 2 pixels average to one),
// the R, G, B planes and the first numbers of the row; live training lists
// the network's three most likely classes with percentages that add up to at
// most 100 and compares with a test image. A text file and a broken image
// get their messages. Any console error fails a test.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/own-photo.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, openPage, setInputFiles, startSite } from "./lib/site.mjs";
import { writeCifarArchive } from "./lib/cifar-fixture.mjs";
import { inkedPixels } from "./lib/canvas.mjs";
import { png } from "./lib/png.mjs";

const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const WHITE = [255, 255, 255];

/** 96 × 64: columns 0–15 and 80–95 black; the centre 64 × 64 in quadrants red, green / blue, white. */
const PHOTO = png(96, 64, (x, y) => {
  if (x < 16 || x >= 80) return [0, 0, 0];
  const right = x >= 48;
  const bottom = y >= 32;
  return bottom ? (right ? WHITE : BLUE) : right ? GREEN : RED;
});
const photoFile = (name = "quadrants.png") => ({ name, mimeType: "image/png", buffer: PHOTO });

let site;
let archive;

before(async () => {
  site = await startSite();
  archive = join(mkdtempSync(join(tmpdir(), "nnlab-photo-")), "cifar-10-binary.tar.gz");
  writeCifarArchive(archive, { perBatch: 200, test: 300 });
});

after(async () => {
  await site?.close();
});

const text = (page, id) => page.evaluate((id) => document.getElementById(id)?.innerText ?? "", id);

/** The colour at (fx, fy) — fractions of the width and height — of canvas `id`. */
function pixelAt(page, id, fx, fy) {
  return page.evaluate(
    ({ id, fx, fy }) => {
      const canvas = document.getElementById(id);
      const x = Math.floor(canvas.width * fx);
      const y = Math.floor(canvas.height * fy);
      return [...canvas.getContext("2d").getImageData(x, y, 1, 1).data.slice(0, 3)];
    },
    { id, fx, fy },
  );
}

/** Drawn pixels of canvas `id` that are near black (the cropped-off bands). */
function blackPixels(page, id) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id);
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 60) n += 1;
    return n;
  }, id);
}

/** The quadrants of the crop and of the 32 × 32 are the photo's colours, and no black is left. */
async function checkPictures(page, prefix) {
  const small = `${prefix}-photo-small`;
  const quadrants = [
    [0.25, 0.25, RED],
    [0.75, 0.25, GREEN],
    [0.25, 0.75, BLUE],
    [0.75, 0.75, WHITE],
  ];
  for (const [fx, fy, colour] of quadrants) {
    // The 32 × 32 is exact: each output pixel is the mean of 2 × 2 pixels of one colour.
    assert.deepEqual(await pixelAt(page, small, fx, fy), colour, `32×32 at ${fx}, ${fy}`);
    // The centre square is scaled by the browser for display: near the colour.
    const seen = await pixelAt(page, `${prefix}-photo-crop`, fx, fy);
    seen.forEach((v, c) => assert.ok(Math.abs(v - colour[c]) < 8, `crop at ${fx}, ${fy}: ${seen}`));
  }
  assert.equal(await blackPixels(page, small), 0, "the black bands are cropped off");
  assert.equal(await blackPixels(page, `${prefix}-photo-crop`), 0);
  assert.ok((await inkedPixels(page, small)) > 1000);
}

/** A synthetic event of `type` carrying the photo as a file, dispatched on `selector` (paste: the document). */
function sendPhoto(page, type, selector) {
  return page.evaluate(
    ({ bytes, type, selector }) => {
      const data = new DataTransfer();
      data.items.add(new File([new Uint8Array(bytes)], "pasted.png", { type: "image/png" }));
      const target = selector ? document.querySelector(selector) : document;
      const event =
        type === "paste"
          ? new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true })
          : new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true });
      target.dispatchEvent(event);
    },
    { bytes: [...PHOTO], type, selector },
  );
}

test("input data: the photo's centre square, its 32 × 32, its planes and its numbers; bad files say why", async () => {
  const { page, errors, close } = await openPage(site, "#input-data", { deviceScaleFactor: 2 });
  // No CIFAR-10 here (the site lists no archive): a photo needs none.
  assert.equal(await page.locator("#input-photo .photo-figures").isHidden(), true);
  await page.setInputFiles("#input-photo-file", photoFile());
  await page.waitForFunction(() => /x\[0\]/.test(document.getElementById("input-photo-numbers")?.innerText ?? ""));
  await checkPictures(page, "input");
  assert.ok((await inkedPixels(page, "input-photo-planes")) > 1000, "the R, G, B planes are drawn");
  const numbers = await text(page, "input-photo-numbers");
  // Top-left is red: R = 255, G = B = 0; bottom-right is white: B = 255.
  assert.match(numbers, /x\[0\] = 255 \/ 255 = 1\.000/);
  assert.match(numbers, /x\[1024\] = 0 \/ 255 = 0\.000/);
  assert.match(numbers, /x\[2048\] = 0 \/ 255 = 0\.000/);
  assert.match(numbers, /x\[3071\] = 255 \/ 255 = 1\.000/);
  const card = await text(page, "input-photo");
  assert.match(card, /64 × 64 of 96 × 64 pixels/);
  assert.match(card, /mean of 2 × 2 pixels/);
  await page.locator("#input-photo").screenshot({ path: join(ARTIFACTS, "own-photo-input-en.png") });

  // Not an image: the message, and no pictures left that disagree with it.
  await page.setInputFiles("#input-photo-file", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await page.waitForFunction(() => /not an image/.test(document.getElementById("input-photo-status")?.innerText ?? ""));
  assert.match(await text(page, "input-photo-status"), /“notes\.txt” is not an image \(the file says it is text\/plain\)/);
  assert.equal(await page.locator("#input-photo .photo-figures").isHidden(), true);
  // Says it is a PNG but is not one.
  const broken = { name: "broken.png", mimeType: "image/png", buffer: Buffer.from("not really a png at all") };
  await page.setInputFiles("#input-photo-file", broken);
  await page.waitForFunction(() => /could not be read as an image/.test(document.getElementById("input-photo-status")?.innerText ?? ""));

  // Pasted (Ctrl+V): the same pictures again, and the message goes.
  await sendPhoto(page, "paste", null);
  await page.waitForFunction(() => !document.querySelector("#input-photo .photo-figures")?.hidden);
  await checkPictures(page, "input");
  assert.equal(await page.locator("#input-photo-status").isHidden(), true);
  assert.deepEqual(errors, []);
  await close();
});

test("input data in Chinese on a phone: a dropped photo, every text in Chinese", async () => {
  const { page, errors, close } = await openPage(site, "?lang=zh#input-data", { locale: "zh-CN", width: 390, height: 844, deviceScaleFactor: 3 });
  await page.waitForSelector("#input-photo");
  await sendPhoto(page, "drop", "#input-photo");
  await page.waitForFunction(() => /x\[0\]/.test(document.getElementById("input-photo-numbers")?.innerText ?? ""));
  await checkPictures(page, "input");
  const card = await text(page, "input-photo");
  assert.match(card, /你自己的照片/);
  assert.match(card, /96 × 64 像素中的 64 × 64/);
  // No English sentence: only names (JPEG, CIFAR-10, Ctrl+V, R/G/B, x[…]) may be Latin.
  const words = card.match(/[A-Za-z]{4,}/g) ?? [];
  assert.deepEqual(words.filter((w) => !["CIFAR", "Ctrl"].includes(w)), [], card);
  // The card and its pictures fit the phone's width; the centre square and its 32 × 32 side by side.
  const fit = await page.evaluate(() => {
    const card = document.getElementById("input-photo").getBoundingClientRect();
    const rights = [...document.querySelectorAll("#input-photo *")].map((e) => e.getBoundingClientRect().right);
    const [crop, small] = ["input-photo-crop", "input-photo-small"].map((id) => document.getElementById(id).getBoundingClientRect());
    return { card: card.right, widest: Math.max(...rights), sameRow: crop.top === small.top, width: innerWidth };
  });
  assert.ok(fit.card <= fit.width && fit.widest <= fit.card, JSON.stringify(fit));
  assert.ok(fit.sameRow, JSON.stringify(fit));
  await page.screenshot({ path: join(ARTIFACTS, "own-photo-input-zh-phone.png"), fullPage: true });
  assert.deepEqual(errors, []);
  await close();
});

/** The three rows of the network's guesses: [class, percent]. */
function guesses(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("#live-photo-guesses .live-card-row")].map((row) => {
      const spans = row.querySelectorAll("span");
      return [spans[0].innerText, Number.parseFloat(spans[2].innerText)];
    }),
  );
}

for (const [lang, locale, width, height, scale] of [
  ["en", "en-US", 1440, 900, 2],
  ["zh", "zh-CN", 390, 844, 2],
]) {
  test(`live training: the network's top three for the photo, compared with a test image (${lang}, ${width}px)`, async () => {
    const { page, errors, close } = await openPage(site, `?lang=${lang}#live-training`, { locale, width, height, deviceScaleFactor: scale });
    await setInputFiles(page, "#live-data-file", archive);
    await page.waitForFunction(() => /parameters|个参数/.test(document.getElementById("live-status")?.innerText ?? ""), null, { timeout: 60_000 });
    await page.setInputFiles("#live-photo-file", photoFile());
    await page.waitForFunction(() => document.querySelectorAll("#live-photo-guesses .live-card-row").length === 3, null, { timeout: 30_000 });
    await checkPictures(page, "live");
    const classes = lang === "en"
      ? ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
      : ["飞机", "汽车", "鸟", "猫", "鹿", "狗", "青蛙", "马", "船", "卡车"];
    const top = await guesses(page);
    assert.equal(new Set(top.map(([c]) => c)).size, 3, JSON.stringify(top));
    for (const [name, p] of top) {
      assert.ok(classes.includes(name), name);
      assert.ok(p >= 0 && p <= 100, `${p}`);
    }
    // Most likely first; three of ten probabilities add up to at most 100 %.
    assert.ok(top[0][1] >= top[1][1] && top[1][1] >= top[2][1], JSON.stringify(top));
    const sum = top.reduce((s, [, p]) => s + p, 0);
    assert.ok(sum <= 100.05, `${sum}`);
    // Untrained: it says so, and that the MLP is weak on real photos.
    assert.match(await text(page, "live-photo-note"), lang === "en" ? /not been trained yet/ : /还没有训练/);
    assert.match(await text(page, "live-photo"), lang === "en" ? /about 50%/ : /约 50%/);
    // Beside it, a test image of the top class with the network's probability for it.
    await page.waitForFunction(() => /\d/.test(document.getElementById("live-photo-example-caption")?.innerText ?? ""));
    assert.ok((await inkedPixels(page, "live-photo-example")) > 500);
    assert.ok((await text(page, "live-photo-example-caption")).includes(top[0][0]));
    // The student says it is a cat: a test cat, and both probabilities of "cat".
    await page.selectOption("#live-photo-compare", "3");
    await page.waitForFunction((cat) => (document.getElementById("live-photo-example-caption")?.innerText ?? "").includes(cat), classes[3]);
    assert.match(await text(page, "live-photo-example-caption"), /\d+\.\d%.*\d+\.\d%/);

    // Trained a little: the guesses are asked for again, after the updates.
    await page.click("#live-run");
    await page.waitForFunction(
      () => /[1-9][\d,]* (weight updates|次权重更新)/.test(document.getElementById("live-photo")?.innerText ?? ""),
      null,
      { timeout: 30_000 },
    );
    await page.click("#live-run");
    await page.waitForFunction(() => /Resume|继续/.test(document.getElementById("live-run")?.innerText ?? ""));
    await page.waitForTimeout(500);
    assert.equal((await guesses(page)).length, 3);
    await page.locator("#live-photo").screenshot({ path: join(ARTIFACTS, `own-photo-live-${lang}.png`) });

    // Not an image: the message; no guesses about a photo that is not there.
    await page.setInputFiles("#live-photo-file", { name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
    await page.waitForFunction(() => /not an image|不是图片/.test(document.getElementById("live-photo-status")?.innerText ?? ""));
    assert.equal(await page.locator("#live-photo .photo-extra").isHidden(), true);
    assert.deepEqual(errors, []);
    await close();
  });
}
