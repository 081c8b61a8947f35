// End-to-end: hostile files dropped on the page (issue 14). A tar whose
// header claims a 100 GB data_batch_1.bin, a gzip bomb (1 GB of zeros in
// about 1 MB), random bytes: each gives a clear message, the page keeps
// running, and good data loads afterwards. Broken model files (cut-off JSON,
// wrong shapes) given to "Load model…" give a message, and Run still trains
// the network the page had. The files are made here, in a temporary folder;
// none is committed. Any console error fails a test.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/hostile-files.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { createGzip, gzipSync } from "node:zlib";
import { ARTIFACTS, openPage, setInputFiles, startSite } from "./lib/site.mjs";
import { writeCifarArchive } from "./lib/cifar-fixture.mjs";

let site;
let dir;

before(async () => {
  site = await startSite();
  dir = mkdtempSync(join(tmpdir(), "nnlab-hostile-"));
});

after(async () => {
  await site?.close();
});

/** A 512-byte ustar header for `name` whose size field says `size` in base-256 (GNU tar's form for sizes past 8 GB). */
function hugeHeader(name, size) {
  const h = Buffer.alloc(512, 0);
  h.write(name, 0, 100, "utf8");
  h.write("0000644\0", 100, "ascii");
  h.write("0000000\0", 108, "ascii");
  h.write("0000000\0", 116, "ascii");
  h[124] = 0x80;
  h.writeBigUInt64BE(BigInt(size), 128);
  h.write("15110115330\0", 136, "ascii");
  h.write("        ", 148, "ascii");
  h.write("0", 156, "ascii");
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}

/** 1 GB of zeros, gzipped as it is made (about 1 MB on disk). */
async function writeGzipBomb(path) {
  const chunk = Buffer.alloc(1 << 20);
  let left = 1024;
  const zeros = new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  });
  await pipeline(zeros, createGzip({ level: 9 }), createWriteStream(path));
}

const status = (page) => page.evaluate(() => document.getElementById("input-data-status")?.innerText ?? "");

/** The page still answers: another lesson opens and draws, then the data lesson comes back. */
async function stillRunning(page) {
  await page.click('a[data-lesson="derivative-and-gradient"]');
  await page.waitForSelector("main.lesson canvas");
  await page.click('a[data-lesson="input-data"]');
  await page.waitForSelector("#input-data-file", { state: "attached" });
}

test("hostile archives give a message, the page keeps running, and good data still loads", async () => {
  const claim = join(dir, "claims-100GB", "cifar-10-binary.tar.gz");
  const bomb = join(dir, "bomb", "cifar-10-binary.tar.gz");
  const random = join(dir, "random", "cifar-10-binary.tar.gz");
  const good = join(dir, "good", "cifar-10-binary.tar.gz");
  for (const path of [claim, bomb, random, good]) mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(
    claim,
    gzipSync(Buffer.concat([hugeHeader("cifar-10-batches-bin/data_batch_1.bin", 100e9), Buffer.alloc(4096, 7)])),
  );
  await writeGzipBomb(bomb);
  writeFileSync(random, Buffer.from(Array.from({ length: 100_000 }, () => Math.floor(Math.random() * 256))));
  writeCifarArchive(good, { perBatch: 100, test: 100 });

  const { page, errors, close } = await openPage(site, "#input-data");
  const cases = [
    [claim, /claims 100,000,000,000 bytes/],
    // The tar inside is all zeros: its end marker comes first.
    [bomb, /the archive is empty/],
    [random, /gzip/i],
  ];
  for (const [file, message] of cases) {
    await setInputFiles(page, "#input-data-file", file);
    await page.waitForFunction(
      (source) => {
        const said = document.getElementById("input-data-status")?.innerText ?? "";
        return /could not be loaded/.test(said) && new RegExp(source, "i").test(said);
      },
      message.source,
      { timeout: 120_000 },
    );
    await page.screenshot({ path: join(ARTIFACTS, `hostile-${file.split("/").at(-2)}.png`) });
    await stillRunning(page);
  }
  await setInputFiles(page, "#input-data-file", good);
  await page.waitForFunction(() => /CIFAR-10 is loaded/.test(document.getElementById("input-data-status")?.innerText ?? ""), null, {
    timeout: 60_000,
  });
  assert.match(await status(page), /500 training images, 100 test images/);
  assert.deepEqual(errors, []);
  await close();
});

test("broken model files give a message and Run still trains", async () => {
  const good = join(dir, "model-data.tar.gz");
  writeCifarArchive(good, { perBatch: 100, test: 100 });
  const { page, errors, close } = await openPage(site, "#live-training");
  await setInputFiles(page, "#live-data-file", good);
  await page.waitForFunction(() => /parameters/.test(document.getElementById("live-status")?.innerText ?? ""), null, { timeout: 60_000 });
  await page.selectOption("#live-save-format", "json");
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#live-save")]);
  const saved = join(dir, "model.json");
  await download.saveAs(saved);
  const json = readFileSync(saved, "utf8");

  const truncated = join(dir, "truncated.json");
  writeFileSync(truncated, json.slice(0, Math.floor(json.length / 2)));
  // The first layer's weights: a shape that does not match its numbers, and
  // a whole network for 12-value inputs (not CIFAR-10's 3072).
  const model = JSON.parse(json);
  const first = model.layers[0].weight;
  assert.deepEqual(first.shape, [100, 3072]);
  const inconsistent = join(dir, "inconsistent-shape.json");
  first.shape = [100, 3071];
  writeFileSync(inconsistent, JSON.stringify(model));
  const wrongInput = join(dir, "wrong-input.json");
  first.shape = [100, 12];
  first.data = first.data.slice(0, 1200);
  model.spec.input = 12;
  writeFileSync(wrongInput, JSON.stringify(model));
  const garbage = join(dir, "garbage.json");
  writeFileSync(garbage, Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 131) % 256)));

  let before = await page.locator("#live-status").innerText();
  for (const file of [truncated, inconsistent, wrongInput, garbage]) {
    await setInputFiles(page, "#live-load-file", file);
    await page.waitForFunction(
      (before) => {
        const said = document.getElementById("live-status")?.innerText ?? "";
        return said !== before && /^That did not work: .{10,}/.test(said);
      },
      before,
      { timeout: 30_000 },
    );
    before = await page.locator("#live-status").innerText();
    assert.match(await page.locator("#live-status").getAttribute("class"), /warning/);
  }
  await page.screenshot({ path: join(ARTIFACTS, "hostile-model.png") });
  await page.click("#live-run");
  await page.waitForFunction(() => Number((document.getElementById("live-updates")?.innerText ?? "0").replace(/,/g, "")) > 0, null, {
    timeout: 60_000,
  });
  // Training again: the old failure is no longer what the status says.
  assert.doesNotMatch(await page.locator("#live-status").innerText(), /did not work/);
  await page.click("#live-run");
  assert.deepEqual(errors, []);
  await close();
});
