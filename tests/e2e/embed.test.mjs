// End-to-end: a lesson embedded in slides. `embed=1` shows the lesson alone in
// an <iframe> (no menu, header or language switch) at a projected slide's
// 960×540 and a small 640×360, in English and Chinese; `hide=` hides the named
// controls; the keys still work inside. A host page on another origin (a
// second local server) drives the lesson with postMessage when the link lists
// its origin, and hears its state; a malformed message gets an error and
// changes nothing; a page whose origin is not listed is ignored without a
// word. The live-training lesson renders in the (not cross-origin-isolated)
// frame. Screenshots go to tests/artifacts/embed-*.png.
//
// Run: DIST=dist node --test tests/e2e/embed.test.mjs (DIST defaults to dist/).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ARTIFACTS, openPage, serve, startSite } from "./lib/site.mjs";

// The host page: an <iframe> of `?src=` at `?w=`×`?h=`, every message from the
// lesson's window recorded in `received`, and `send(message)` posting to it.
const HOST_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>slides</title>
<link rel="icon" href="data:,">
<style>body { margin: 0; background: #223; } iframe { display: block; border: 0; background: #fff; }</style>
</head><body>
<iframe id="lesson" title="lesson"></iframe>
<script>
  const params = new URLSearchParams(location.search);
  const frame = document.getElementById("lesson");
  frame.width = params.get("w");
  frame.height = params.get("h");
  const appOrigin = new URL(params.get("src")).origin;
  window.received = [];
  window.addEventListener("message", (event) => {
    if (event.origin === appOrigin && event.source === frame.contentWindow) window.received.push(event.data);
  });
  window.send = (message) => frame.contentWindow.postMessage(message, appOrigin);
  frame.src = params.get("src");
</script>
</body></html>`;

const SIZES = [
  [960, 540],
  [640, 360],
];

let site;
let host;
let stranger;
let hostDir;

before(async () => {
  site = await startSite();
  hostDir = mkdtempSync(join(tmpdir(), "nnlab-host-"));
  writeFileSync(join(hostDir, "host.html"), HOST_HTML);
  // Other ports are other origins; the host sends no isolation headers, like most slide hosts.
  host = await serve(hostDir, { isolated: false });
  stranger = await serve(hostDir, { isolated: false });
});

after(async () => {
  await site?.close();
  await host?.close();
  await stranger?.close();
  if (hostDir) rmSync(hostDir, { recursive: true, force: true });
});

const originOf = (url) => new URL(url).origin;

/** The host page of `server` with the app's `hash` in a w×h iframe; returns { page, frame, errors, close }. */
async function openHost(server, hash, [w, h] = [960, 540], locale = "en-US") {
  const src = `${site.url}index.html${hash}`;
  const { page, errors, close } = await openPage(site, `${server.url}host.html?w=${w}&h=${h}&src=${encodeURIComponent(src)}`, {
    locale,
    width: w,
    height: h,
    wait: null,
  });
  const frame = await (await page.waitForSelector("#lesson")).contentFrame();
  await frame.waitForSelector("#lesson .lesson-head", { state: "attached" });
  return { page, frame, errors, close };
}

const received = (page) => page.evaluate(() => window.received);

/** Posts `message` from the host and resolves to the first message the lesson posts after it. */
async function ask(page, message) {
  const before = (await received(page)).length;
  await page.evaluate((m) => window.send(m), message);
  await page.waitForFunction((n) => window.received.length > n, before, { timeout: 10_000 });
  return (await received(page))[before];
}

const visible = (frame, selector) => frame.locator(selector).first().isVisible();

test("embed=1 shows the lesson alone at 960×540 and 640×360, in English and Chinese; hide= hides controls; keys work", async () => {
  for (const [w, h] of SIZES) {
    for (const lang of ["en", "zh"]) {
      const { page, frame, errors, close } = await openHost(
        host,
        `#descent-2d?embed=1&hide=surface,export,budget&lang=${lang}`,
        [w, h],
      );
      await frame.waitForFunction(() => document.getElementById("descent-canvas")?.width > 0);
      for (const chrome of [".topbar", ".lesson-nav", ".lang-switch", "#presenter-toggle"]) {
        assert.equal(await visible(frame, chrome), false, `${chrome} is hidden (${w}×${h} ${lang})`);
      }
      for (const name of ["surface", "export", "budget"]) {
        const shown = await frame.$$eval(`[data-control="${name}"]`, (els) =>
          els.filter((e) => e.getClientRects().length > 0).length,
        );
        assert.equal(shown, 0, `hide=${name}`);
        assert.ok((await frame.locator(`[data-control="${name}"]`).count()) > 0, `${name} exists`);
      }
      assert.equal(await visible(frame, "#descent-surface"), false);
      assert.equal(await visible(frame, "#descent-export-png"), false);
      for (const shown of ["#descent-canvas", "#descent-runners", "#descent-play", ".lesson-title"]) {
        assert.ok(await visible(frame, shown), `${shown} is shown`);
      }
      // The lesson fills the frame's width and never overflows it sideways.
      const fit = await frame.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: innerWidth,
        canvas: document.getElementById("descent-canvas").getBoundingClientRect(),
        lang: document.documentElement.lang,
      }));
      assert.ok(fit.scroll <= fit.inner, `no sideways scroll: ${fit.scroll} > ${fit.inner}`);
      assert.ok(fit.canvas.right <= w && fit.canvas.width > w * 0.45, `the map fits: ${JSON.stringify(fit.canvas)}`);
      assert.ok(fit.canvas.height <= h, `the map is no taller than the frame: ${fit.canvas.height}`);
      assert.equal(fit.lang, lang === "zh" ? "zh-CN" : "en");
      await page.screenshot({ path: join(ARTIFACTS, `embed-descent-${lang}-${w}x${h}.png`) });

      // Space plays and pauses; → steps; R resets — keys pressed inside the frame.
      const play = frame.locator("#descent-play");
      const label = await play.innerText();
      // A click on the lesson (not on a control) gives the frame the keyboard.
      await frame.click(".lesson-title");
      await page.keyboard.press(" ");
      await frame.waitForFunction((l) => document.getElementById("descent-play").innerText !== l, label);
      await frame.waitForFunction(() => Number(document.getElementById("descent-steps").innerText) > 0);
      await page.keyboard.press(" ");
      await frame.waitForFunction((l) => document.getElementById("descent-play").innerText === l, label);
      await page.keyboard.press("r");
      await frame.waitForFunction(() => document.getElementById("descent-steps").innerText === "0");
      await page.keyboard.press("ArrowRight");
      await frame.waitForFunction(() => document.getElementById("descent-steps").innerText === "1");

      // The rewritten link keeps embed= and hide=.
      await frame.waitForFunction(() => /embed=1/.test(location.hash) && /hide=surface,export,budget/.test(location.hash));
      assert.equal(await frame.locator("#error-banner").isVisible(), false);
      assert.deepEqual(errors, [], `${w}×${h} ${lang}`);
      await close();
    }
  }
});

test("every lesson embeds without errors at 640×360, hide=head hides its head, and bad hide names are one compact notice", async () => {
  const slugs = [
    "depth", "how-it-works", "neurons", "network", "input-data", "weight-init", "training", "live-training",
    "loss-and-optimizer", "derivative-and-gradient", "gradient", "sgd", "local-minima", "descent-2d", "momentum", "backprop",
  ];
  for (const slug of slugs) {
    const { page, frame, errors, close } = await openHost(host, `#${slug}?embed=1&hide=head&lang=en`, [640, 360]);
    await frame.waitForFunction((s) => document.getElementById("lesson")?.dataset.lesson === s, slug);
    assert.equal(await visible(frame, ".lesson-head"), false, `${slug}: head hidden`);
    assert.equal(await visible(frame, ".lesson-nav"), false);
    assert.ok((await frame.locator("#lesson > *").count()) > 1, `${slug} renders`);
    const overflow = await frame.evaluate(() => document.documentElement.scrollWidth - innerWidth);
    assert.ok(overflow <= 0, `${slug}: ${overflow}px sideways overflow`);
    await page.waitForTimeout(150);
    assert.equal(await frame.locator("#error-banner").isVisible(), false, slug);
    assert.deepEqual(errors, [], slug);
    await close();
  }

  const { page, frame, errors, close } = await openHost(
    host,
    "#gradient?embed=1&hide=nope,surface,nope,zzz,nope&lang=en",
    [640, 360],
  );
  await frame.waitForSelector("#url-notices:not([hidden])");
  const items = await frame.locator("#url-notices li").allInnerTexts();
  assert.equal(items.length, 1, `one notice: ${items}`);
  assert.match(items[0], /hide=nope,zzz/);
  assert.match(items[0], /surface, step, speed/);
  assert.equal(await visible(frame, "#grad-surface"), false, "the known name is still hidden");
  const bar = await frame.locator("#url-notices").boundingBox();
  assert.ok(bar.height < 110, `the notice is compact: ${bar.height}px`);
  await page.screenshot({ path: join(ARTIFACTS, "embed-notice-640x360.png") });
  // Not embedded, hide= works too.
  const { page: p, close: closePlain } = await openPage(site, "#gradient?hide=export,legend&lang=en", {
    width: 1280,
    height: 800,
    wait: "#grad-canvas",
  });
  assert.ok(await p.locator(".lesson-nav").isVisible());
  assert.equal(await p.locator("#grad-export-png").isVisible(), false);
  assert.equal(await p.locator(".opt-legend").isVisible(), false);
  assert.ok(await p.locator("#grad-surface").isVisible());
  // Another lesson from the menu shows all its controls.
  await p.click('.nav-link[data-lesson="derivative-and-gradient"]');
  await p.waitForSelector("#deriv-canvas");
  assert.ok(await p.locator("#deriv-export-png").isVisible());
  await closePlain();
  assert.deepEqual(errors, []);
  await close();
});

test("a host page on another origin drives the embedded lesson and hears its state", async () => {
  const hostOrigin = originOf(host.url);
  const { page, frame, errors, close } = await openHost(
    host,
    `#descent-2d?embed=1&origin=${hostOrigin}&lang=en`,
  );
  // At start the lesson tells its (listed) embedding page where it is.
  await page.waitForFunction(() => window.received.length > 0);
  const hello = (await received(page))[0];
  assert.equal(hello.type, "state");
  assert.equal(hello.lesson, "descent-2d");
  assert.equal(hello.playing, false);
  assert.match(hello.query, /^s=rosenbrock&o=sgd:/);

  // set: the lesson is as the query says, and says so.
  let reply = await ask(page, { type: "set", query: "s=beale&o=adam:0.05&start=-1.5,2" });
  assert.equal(reply.type, "state");
  assert.equal(reply.lesson, "descent-2d");
  assert.match(reply.query, /^s=beale&o=adam:0\.05(:[0-9.]+)*&start=-1\.5,2&/);
  assert.equal(reply.playing, false);
  assert.equal(reply.notices, undefined);
  assert.equal(await frame.inputValue("#descent-surface"), "beale");
  assert.equal(await frame.isChecked("#runner-adam .runner-enable"), true);
  assert.equal(await frame.isChecked("#runner-sgd .runner-enable"), false);
  assert.equal(Number(await frame.inputValue("#runner-adam .runner-lr")), 0.05);
  assert.equal((await frame.locator("#descent-start").innerText()).replace(/−/g, "-"), "(-1.500, 2.000)");

  // step: one step.
  reply = await ask(page, { type: "step" });
  assert.equal(reply.type, "state");
  await frame.waitForFunction(() => document.getElementById("descent-steps").innerText === "1");

  // play / pause, each idempotent.
  reply = await ask(page, { type: "play" });
  assert.equal(reply.playing, true);
  await frame.waitForFunction(() => Number(document.getElementById("descent-steps").innerText) > 3);
  assert.match(await frame.locator("#descent-play").innerText(), /Pause/);
  reply = await ask(page, { type: "play" });
  assert.equal(reply.playing, true, "play while playing keeps playing");
  reply = await ask(page, { type: "pause" });
  assert.equal(reply.playing, false);
  reply = await ask(page, { type: "pause" });
  assert.equal(reply.playing, false, "pause while paused stays paused");
  await page.waitForTimeout(100); // the page draws the pause on its next frame
  const steps = await frame.locator("#descent-steps").innerText();
  await page.waitForTimeout(400);
  assert.equal(await frame.locator("#descent-steps").innerText(), steps, "paused");
  assert.match(await frame.locator("#descent-play").innerText(), /Play/);

  // Malformed or unknown messages: an error, and nothing changes.
  const state = await ask(page, { type: "get" });
  for (const bad of [
    { type: "jump" },
    { type: "set" },
    { type: "set", query: 5 },
    { query: "s=beale" },
    "step",
    ["step"],
    null,
    42,
    { type: "set", query: "s=beale&origin=https://evil.example" },
  ]) {
    reply = await ask(page, bad);
    assert.equal(reply.type, "error", JSON.stringify(bad));
    assert.equal(typeof reply.message, "string");
    assert.ok(reply.message.length > 10);
  }
  assert.match(reply.message, /origin=/);
  assert.deepEqual(await ask(page, { type: "get" }), state, "nothing changed");
  assert.equal(await frame.locator("#descent-steps").innerText(), steps);
  assert.equal(await frame.inputValue("#descent-surface"), "beale");

  // reset; a set with unusable values says what it did not use, in the page too.
  reply = await ask(page, { type: "reset" });
  assert.equal(reply.type, "state");
  await frame.waitForFunction(() => document.getElementById("descent-steps").innerText === "0");
  reply = await ask(page, { type: "set", query: "s=rosenbrock&speed=-4&lang=zh" });
  assert.match(reply.query, /^s=rosenbrock&/);
  assert.equal(reply.notices.length, 1);
  assert.match(reply.notices[0], /speed=-4/);
  await frame.waitForSelector("#url-notices:not([hidden])");
  assert.equal(await frame.evaluate(() => document.documentElement.lang), "zh-CN", "set can switch the language");

  // The lesson tells the host when its state changes by other means (the reader's click).
  const before = (await received(page)).length;
  await frame.selectOption("#descent-surface", "himmelblau");
  await page.waitForFunction(
    (n) => window.received.slice(n).some((m) => m.type === "state" && m.query.startsWith("s=himmelblau&")),
    before,
  );
  // And the link it rewrites keeps embed= and origin=.
  const hash = await frame.evaluate(() => decodeURIComponent(location.hash));
  assert.match(hash, new RegExp(`embed=1&origin=${hostOrigin.replace(/[.]/g, "\\.")}$`));

  // A lesson without play or step says so.
  await frame.evaluate(() => {
    location.hash = location.hash.replace(/^#descent-2d\?[^&]*/, "#network?p=cifar");
  });
  await frame.waitForSelector("#network-summary");
  reply = await ask(page, { type: "play" });
  assert.equal(reply.type, "error");
  assert.match(reply.message, /播放/);
  reply = await ask(page, { type: "get" });
  assert.equal(reply.lesson, "network");
  assert.equal(reply.playing, false);
  assert.match(reply.query, /p=cifar/);
  assert.deepEqual(errors, []);
  await close();
});

test("messages from an origin the link does not list are ignored, without a reply", async () => {
  const listed = originOf(host.url);
  // The stranger embeds the lesson, naming someone else as its host.
  const { page, frame, errors, close } = await openHost(
    stranger,
    `#descent-2d?embed=1&origin=${listed}&lang=en`,
  );
  await frame.waitForFunction(() => document.getElementById("descent-canvas")?.width > 0);
  for (const message of [{ type: "step" }, { type: "play" }, { type: "set", query: "s=beale" }, { type: "get" }, { type: "jump" }]) {
    await page.evaluate((m) => window.send(m), message);
  }
  await page.waitForTimeout(1500);
  assert.deepEqual(await received(page), [], "no reply, no announcement");
  assert.equal(await frame.locator("#descent-steps").innerText(), "0");
  assert.equal(await frame.inputValue("#descent-surface"), "rosenbrock");
  assert.match(await frame.locator("#descent-play").innerText(), /Play/);
  await close();

  // Without origin= the API is off, even for the embedding page.
  const off = await openHost(host, "#descent-2d?embed=1&lang=en");
  await off.frame.waitForFunction(() => document.getElementById("descent-canvas")?.width > 0);
  await off.page.evaluate(() => window.send({ type: "step" }));
  await off.page.evaluate(() => window.send({ type: "get" }));
  await off.page.waitForTimeout(1000);
  assert.deepEqual(await received(off.page), []);
  assert.equal(await off.frame.locator("#descent-steps").innerText(), "0");
  assert.deepEqual([...errors, ...off.errors], []);
  await off.close();
});

test("live training renders in a cross-origin frame (no isolation there)", async () => {
  const hostOrigin = originOf(host.url);
  const { page, frame, errors, close } = await openHost(
    host,
    `#live-training?embed=1&origin=${hostOrigin}&lang=en`,
  );
  await frame.waitForSelector("#live-data");
  await page.waitForFunction(() => window.received.length > 0); // the lesson's hello
  assert.equal(await frame.evaluate(() => self.crossOriginIsolated), false);
  for (const shown of ["#live-data", ".lesson-title"]) {
    assert.ok(await visible(frame, shown), `${shown} is shown`);
  }
  const reply = await ask(page, { type: "step" });
  assert.equal(reply.type, "error", "live training has no single step");
  await page.waitForTimeout(1500);
  assert.equal(await frame.locator("#error-banner").isVisible(), false);
  await page.screenshot({ path: join(ARTIFACTS, "embed-live-training-960x540.png") });
  assert.deepEqual(errors, []);
  await close();
});
