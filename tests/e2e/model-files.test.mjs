// End-to-end: taking the trained network out of the page and bringing it
// back (issue 15). Save as safetensors (a PyTorch state_dict with its
// metadata), as nnlab's JSON and as PyTorch / Paddle / NumPy scripts; load
// both weight formats back; the network is kept on the device while it
// trains, and after a reload the page offers to continue it. Where Python
// with numpy + safetensors is at hand (NNLAB_PYTHON, set by scripts/setup.sh),
// the page's NumPy script runs on the test archive and prints an accuracy.
// The data is a small generated archive; none is committed.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/model-files.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, downloadBytes, openPage, setInputFiles, startSite } from "./lib/site.mjs";
import { writeCifarArchive } from "./lib/cifar-fixture.mjs";
import { waitForText } from "./lib/controls.mjs";

let site;
let dir;
let archive;

before(async () => {
  site = await startSite();
  dir = mkdtempSync(join(tmpdir(), "nnlab-model-files-"));
  archive = join(dir, "cifar-10-binary.tar.gz");
  writeCifarArchive(archive, { perBatch: 200, test: 200 });
});

after(async () => {
  await site?.close();
});

const updates = (page) =>
  page.evaluate(() => Number((document.getElementById("live-updates")?.innerText ?? "0").replace(/,/g, "")) || 0);

/** Loads the archive into live training and trains until `n` updates, then pauses. */
async function train(page, n) {
  await page.waitForFunction(() => /parameters/.test(document.getElementById("live-status")?.innerText ?? ""), null, {
    timeout: 60_000,
  });
  await page.click("#live-run");
  await page.waitForFunction((n) => Number((document.getElementById("live-updates")?.innerText ?? "0").replace(/,/g, "")) >= n, n, {
    timeout: 60_000,
  });
  await page.click("#live-run");
}

/** Saves in `format`; resolves to { name, bytes }. */
async function save(page, format) {
  await page.selectOption("#live-save-format", format);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#live-save")]);
  return { name: download.suggestedFilename(), bytes: await downloadBytes(download) };
}

/** The JSON header of a safetensors file. */
function header(bytes) {
  const n = Number(bytes.readBigUInt64LE(0));
  return JSON.parse(bytes.subarray(8, 8 + n).toString("utf8"));
}

test("save in five forms, load both weight formats back", async () => {
  const { page, errors, close } = await openPage(site, "#live-training");
  await setInputFiles(page, "#live-data-file", archive);
  await train(page, 5);

  // The menu offers every form, in the page's language.
  const options = await page.locator("#live-save-format option").allInnerTexts();
  assert.deepEqual(options, [
    "safetensors (PyTorch, Paddle)",
    "nnlab JSON",
    "PyTorch script (.py)",
    "Paddle script (.py)",
    "NumPy script (.py)",
  ]);

  const st = await save(page, "safetensors");
  assert.equal(st.name, "nnlab-model.safetensors");
  const h = header(st.bytes);
  assert.deepEqual(h["0.weight"].shape, [100, 3072]);
  assert.deepEqual(h["6.weight"].shape, [10, 256]);
  assert.equal(h["0.weight"].dtype, "F32");
  assert.equal(h.__metadata__.activation, "relu");
  assert.equal(h.__metadata__.widths, "[3072,100,256,256,10]");
  assert.match(h.__metadata__.input, /^x = byte \/ 255/);
  // 401,518 float32 values after the header.
  assert.equal(st.bytes.length, 8 + Number(st.bytes.readBigUInt64LE(0)) + 401_518 * 4);

  const json = await save(page, "json");
  assert.equal(json.name, "nnlab-model.json");
  const model = JSON.parse(json.bytes.toString("utf8"));
  assert.equal(model.format, "nnlab-mlp");
  // The same first weight in both files (JSON writes the shortest decimal of the float32).
  assert.equal(Math.fround(model.layers[0].weight.data[0]), st.bytes.readFloatLE(8 + Number(st.bytes.readBigUInt64LE(0)) + h["0.weight"].data_offsets[0]));

  const scripts = {};
  for (const [format, name, needle] of [
    ["pytorch", "nnlab-model_pytorch.py", "nn.Linear(3072, 100), nn.ReLU(),"],
    ["paddle", "nnlab-model_paddle.py", 'value.T if name.endswith(".weight")'],
    ["numpy", "nnlab-model_numpy.py", 'x = relu(x @ state["0.weight"].T + state["0.bias"])'],
  ]) {
    const script = await save(page, format);
    assert.equal(script.name, name);
    const text = script.bytes.toString("utf8");
    assert.ok(text.includes(needle), `${format}: ${needle}`);
    assert.ok(text.includes('"nnlab-model.safetensors"'), `${format} loads the weights file`);
    scripts[format] = join(dir, name);
    writeFileSync(scripts[format], script.bytes);
  }
  const weights = join(dir, "nnlab-model.safetensors");
  writeFileSync(weights, st.bytes);
  const jsonPath = join(dir, "nnlab-model.json");
  writeFileSync(jsonPath, json.bytes);

  // Both weight files load back.
  for (const file of [weights, jsonPath]) {
    const before = await page.locator("#live-status").innerText();
    await setInputFiles(page, "#live-load-file", file);
    await page.waitForFunction(
      (before) => {
        const said = document.getElementById("live-status")?.innerText ?? "";
        return said !== before && /loaded from a file/.test(said);
      },
      before,
      { timeout: 30_000 },
    ).catch(async () => {
      // The same text twice in a row: the status was already "loaded from a file".
      await waitForText(page, "#live-status", /loaded from a file/);
    });
  }
  // A cut safetensors file is refused with a message naming the format.
  const cut = join(dir, "cut.safetensors");
  writeFileSync(cut, st.bytes.subarray(0, 5000));
  await setInputFiles(page, "#live-load-file", cut);
  await waitForText(page, "#live-status", /That did not work: .*safetensors/, 30_000);

  const python = process.env.NNLAB_PYTHON;
  if (python) {
    const out = execFileSync(python, [scripts.numpy, weights, archive], { encoding: "utf8" });
    assert.match(out, /^test accuracy \d+\.\d\d% \(\d+ of 200\)/);
  } else {
    console.log("# NNLAB_PYTHON not set: the page's NumPy script was not run");
  }
  await page.screenshot({ path: join(ARTIFACTS, "model-files.png") });
  assert.deepEqual(errors, []);
  await close();
});

test("the trained network is kept on the device and a reload offers to continue it", async () => {
  const { page, context, errors, close } = await openPage(site, "#live-training");
  await setInputFiles(page, "#live-data-file", archive);
  await train(page, 3);
  // Pausing keeps it at once.
  await waitForText(page, "#live-kept", /Kept on this device at .*updates/, 30_000);
  assert.equal(await page.locator("#live-resume").isVisible(), false);
  const kept = await updates(page);

  // A reload in the same browser profile: the page offers the earlier run.
  const again = await context.newPage();
  const laterErrors = [];
  again.on("console", (msg) => msg.type() === "error" && laterErrors.push(msg.text()));
  await page.close();
  await again.goto(new URL("#live-training", site.url).href);
  await waitForText(again, "#live-kept", /A network trained here before is kept on this device/, 60_000);
  const offer = await again.locator("#live-kept").innerText();
  assert.match(offer, new RegExp(`${kept} updates`));
  // The data has to be there to continue; the dropped archive was kept too, or is given again.
  if (!(await again.locator("#live-status").innerText()).includes("parameters")) {
    await setInputFiles(again, "#live-data-file", archive);
  }
  await again.waitForFunction(() => /parameters/.test(document.getElementById("live-status")?.innerText ?? ""), null, {
    timeout: 60_000,
  });
  await again.click("#live-resume");
  await waitForText(again, "#live-status", /loaded from a file/, 30_000);
  assert.equal(await again.locator("#live-resume").isVisible(), false);
  await again.screenshot({ path: join(ARTIFACTS, "model-files-resumed.png") });
  assert.deepEqual(errors, []);
  assert.deepEqual(laterErrors, []);
  await close();
});
