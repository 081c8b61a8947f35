// End-to-end: the lecture's opening and closing lessons (issue 13), in
// Chinese and English, driven like a person would:
// - what-is-dl opens when the URL names no lesson; its AI ⊃ ML ⊃ DL regions
//   open by click and by keyboard (Tab, Enter/Space, digits, →), the open one
//   ringed in orange, its definition beside it, the region in the link;
// - why-now draws the lecture's table on a log scale, measures this browser
//   with the core's GEMM while the page keeps drawing, and puts the result on
//   the chart in the column the measured speed says;
// - summary maps every other lesson of the menu (drawing, key sentence, link)
//   and shows the closing message and the Paddle code beside nnlab's.
// Every page fits a 390-pixel phone, in presenter mode too; no console errors.
//
// Run: DIST=dist node tests/e2e/run.mjs tests/e2e/intro-lessons.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { ARTIFACTS, openPage, startSite } from "./lib/site.mjs";
import { countPixels } from "./lib/canvas.mjs";
import { text, waitForText } from "./lib/controls.mjs";

let site;
before(async () => {
  site = await startSite();
});
after(async () => {
  await site?.close();
});

const HAN = /\p{Script=Han}/u;
const LANGS = [
  { lang: "zh", locale: "zh-CN" },
  { lang: "en", locale: "en-US" },
];

/**
 * Pixels of what `selector` shows on screen (an SVG drawing, say) for which
 * `test(r, g, b)` holds: the element's screenshot, decoded by the page.
 */
async function screenPixels(page, selector, test) {
  const png = await page.locator(selector).screenshot();
  return page.evaluate(
    async ([b64, test]) => {
      const image = new Image();
      image.src = `data:image/png;base64,${b64}`;
      await image.decode();
      const canvas = document.createElement("canvas");
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext("2d");
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const is = new Function("r", "g", "b", test);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (is(data[i], data[i + 1], data[i + 2])) n += 1;
      return n;
    },
    [png.toString("base64"), test],
  );
}

/** The open region's ring: #d9480f (what_is_dl/view.rs). */
const ORANGE = "return r > 190 && g > 50 && g < 110 && b < 50;";
/** "Your browser" on the chart: #c2255c (why_now/chart.rs). */
const MAGENTA = "return r > 170 && g < 70 && b > 70 && b < 120;";

/** The page's fragment query as pairs. */
const linkQuery = (page) => page.evaluate(() => Object.fromEntries(new URLSearchParams(location.hash.split("?")[1] ?? "")));

/** Waits until the URL (rewritten every 250 ms) says `key=value`. */
function waitForLink(page, key, value) {
  return page.waitForFunction(
    ([k, v]) => new URLSearchParams(location.hash.split("?")[1] ?? "").get(k) === v,
    [key, value],
  );
}

/** Whether the page is wider than the window (a phone would scroll sideways). */
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The lesson's visible text has no Chinese (en) / is Chinese (zh). */
async function checkLanguage(page, lang, slug) {
  const body = await text(page, "#lesson");
  if (lang === "en") assert.ok(!HAN.test(body), `${slug}: Chinese left on the English page: ${body.match(/.{0,20}\p{Script=Han}.{0,20}/u)?.[0]}`);
  else assert.ok((body.match(/\p{Script=Han}/gu) ?? []).length > 200, `${slug}: the Chinese page is Chinese`);
}

for (const { lang, locale } of LANGS) {
  test(`what-is-dl (${lang}): opens first; regions open by click and keyboard; the link keeps the region`, async () => {
    const { page, errors, close } = await openPage(site, "", { locale });
    // No lesson in the URL: the lecture's first section, first in the menu.
    await page.waitForSelector("#wid-regions");
    assert.equal(await page.getAttribute("#lesson", "data-lesson"), "what-is-dl");
    const first = page.locator(".nav-link").first();
    assert.equal(await first.getAttribute("data-lesson"), "what-is-dl");
    assert.equal(await first.getAttribute("aria-current"), "page");
    await checkLanguage(page, lang, "what-is-dl");

    const detail = (lang === "zh" ? { ai: "人工智能", ml: "机器学习", dl: "深度学习" } : { ai: "Artificial intelligence", ml: "Machine learning", dl: "Deep learning" });
    assert.equal(await text(page, ".wid-detail-title"), detail.ai);
    assert.equal(await page.getAttribute('[data-region="ai"]', "aria-pressed"), "true");
    // The outer ring is orange; the DL region's box holds none of it yet.
    assert.ok((await screenPixels(page, "#wid-regions", ORANGE)) > 300, "the open region is ringed");
    // (The outer ring only grazes the corner of the DL region's box.)
    const grazing = await screenPixels(page, '[data-region="dl"] ellipse', ORANGE);
    assert.ok(grazing < 100, `${grazing} px`);

    // Click deep learning: its definition, its ring, its link.
    await page.locator('[data-region="dl"] ellipse').click();
    await waitForText(page, ".wid-detail-title", new RegExp(`^${detail.dl}$`));
    assert.match(await text(page, "#wid-detail-text"), lang === "zh" ? /从数据中学习表示/ : /learning representations from data/);
    assert.ok((await page.locator(".wid-examples li").count()) >= 3, "examples");
    assert.ok((await screenPixels(page, '[data-region="dl"] ellipse', ORANGE)) > 300, "DL is ringed");
    assert.equal(await page.getAttribute('[data-region="ai"]', "aria-pressed"), "false");
    await waitForLink(page, "region", "dl");

    // Keyboard: focus ML, Enter opens it; Tab to DL, Space opens it without scrolling the page.
    await page.locator('[data-region="ml"]').focus();
    await page.keyboard.press("Enter");
    await waitForText(page, ".wid-detail-title", new RegExp(`^${detail.ml}$`));
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.region), "dl");
    const scroll = await page.evaluate(() => window.scrollY);
    await page.keyboard.press(" ");
    await waitForText(page, ".wid-detail-title", new RegExp(`^${detail.dl}$`));
    assert.equal(await page.evaluate(() => window.scrollY), scroll, "Space did not scroll");
    // The shared keys: 1 = AI, → one level in, R back to AI.
    await page.keyboard.press("1");
    await waitForText(page, ".wid-detail-title", new RegExp(`^${detail.ai}$`));
    await page.keyboard.press("ArrowRight");
    await waitForText(page, ".wid-detail-title", new RegExp(`^${detail.ml}$`));
    await waitForLink(page, "region", "ml");
    await page.keyboard.press("r");
    await waitForText(page, ".wid-detail-title", new RegExp(`^${detail.ai}$`));

    // The two paradigms: rules + data → answers, data + answers → rules.
    const flows = await page.locator(".wid-flow").evaluateAll((rows) =>
      rows.map((row) => [...row.querySelectorAll(".wid-chip, .wid-box")].map((e) => e.innerText.trim())),
    );
    const w = lang === "zh" ? ["规则", "数据", "答案", "经典程序设计", "机器学习"] : ["Rules", "Data", "Answers", "Classical programming", "Machine learning"];
    assert.deepEqual(flows, [
      [w[0], w[1], w[3], w[2]],
      [w[1], w[2], w[4], w[0]],
    ]);
    assert.match(await text(page, "#wid-definition"), lang === "zh" ? /学习数据表示的多级方法[\s\S]*足够大的规模/ : /multi-stage way to learn data representations[\s\S]*large enough scale/);
    assert.match(await text(page, "#wid-brain"), lang === "zh" ? /深度学习模型并不是大脑模型/ : /not models of the brain/);
    await page.screenshot({ path: join(ARTIFACTS, `what-is-dl-${lang}.png`) });
    assert.deepEqual(errors, []);
    await close();

    // A link opens the region it names.
    const linked = await openPage(site, `#what-is-dl?region=ml&lang=${lang}`, { locale });
    await linked.page.waitForSelector("#wid-regions");
    assert.equal(await linked.page.getAttribute('[data-region="ml"]', "aria-pressed"), "true");
    assert.equal(await text(linked.page, ".wid-detail-title"), detail.ml);
    assert.deepEqual(linked.errors, []);
    await linked.close();
  });

  test(`why-now (${lang}): the table on a log scale, this browser measured and placed on it`, async () => {
    const { page, errors, close } = await openPage(site, `#why-now?decade=1990`, { locale });
    await page.waitForFunction(() => document.getElementById("why-canvas")?.width > 0);
    await checkLanguage(page, lang, "why-now");
    assert.equal(await page.getAttribute('.why-decade[data-decade="1990"]', "aria-pressed"), "true");
    assert.match(await text(page, "#why-decade-title"), /1990/);
    // The three rows of the table are drawn in their colours; no browser yet.
    for (const [name, rgb] of [["data", "#2f9e44"], ["memory", "#e67700"], ["compute", "#3b4fd8"]]) {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(rgb.slice(i, i + 2), 16));
      const n = await countPixels(page, "why-canvas", `return Math.abs(r-${r})<24 && Math.abs(g-${g})<24 && Math.abs(b-${b})<24;`);
      assert.ok(n > 200, `${name} line drawn (${n} px)`);
    }
    assert.equal(await countPixels(page, "why-canvas", MAGENTA), 0, "nothing measured yet");
    assert.equal(await text(page, "#why-gflops"), "—");

    // Space measures; the page keeps drawing frames while it does.
    await page.keyboard.press(" ");
    await page.waitForFunction(() => Number(document.getElementById("why-progress")?.getAttribute("aria-valuenow")) > 0);
    const frames = await page.evaluate(
      () =>
        new Promise((done) => {
          let n = 0;
          const start = performance.now();
          const tick = () => (performance.now() - start < 500 ? (n++, requestAnimationFrame(tick)) : done(n));
          requestAnimationFrame(tick);
        }),
    );
    assert.ok(frames >= 10, `${frames} frames in half a second while measuring`);
    const running = Number(await page.getAttribute("#why-progress", "aria-valuenow"));
    assert.ok(running > 0 && running < 100, `progress shown while measuring (${running} %)`);
    await waitForText(page, "#why-measure", lang === "zh" ? /再测一次/ : /Measure again/, 30_000);

    // The result: the nearest column of the lecture's compute row, worked out here from the speed shown.
    const gflops = Number(await text(page, "#why-gflops"));
    assert.ok(gflops > 0.05 && gflops < 5000, `${gflops} GFLOP/s`);
    const level = Math.log10(gflops * 1e9);
    const logs = [4, 6, 7, 9, 11, 15];
    const decades = [1970, 1980, 1990, 2000, 2010, 2020];
    let nearest = 0;
    logs.forEach((l, i) => {
      if (Math.abs(l - level) <= Math.abs(logs[nearest] - level)) nearest = i;
    });
    // The speed is shown rounded to 0.1: only a speed within rounding of a boundary could differ.
    const column = Number(await text(page, "#why-column"));
    assert.equal(column, decades[nearest], `${gflops} GFLOP/s is nearest the ${decades[nearest]} column`);
    assert.match(await text(page, "#why-status"), new RegExp(`≈ (the )?${column}`));
    assert.ok((await countPixels(page, "why-canvas", MAGENTA)) > 80, "your browser is on the chart");
    await page.screenshot({ path: join(ARTIFACTS, `why-now-${lang}.png`) });

    // Choose decades: a click on the chart's first column, the digit keys, → wrapping round.
    const box = await page.locator("#why-canvas").boundingBox();
    await page.mouse.click(box.x + 46 + (box.width - 58) / 12, box.y + box.height / 2);
    await waitForText(page, "#why-decade-title", /1970/);
    await waitForLink(page, "decade", "1970");
    await page.keyboard.press("6");
    await waitForText(page, "#why-decade-title", /2020/);
    await page.keyboard.press("ArrowRight");
    await waitForText(page, "#why-decade-title", /1970/);
    assert.match(await text(page, ".why-decade-list"), /10 KF[\s\S]*8080/);
    // R forgets the measurement.
    await page.keyboard.press("r");
    await waitForText(page, "#why-gflops", /^—$/);
    assert.equal(await countPixels(page, "why-canvas", MAGENTA), 0);

    // The drivers, the timeline, the investment.
    assert.equal(await page.locator(".why-driver").count(), 3);
    const years = await page.locator(".why-event-year").allInnerTexts();
    for (const y of ["1989", "1997", "2012"]) assert.ok(years.includes(y), `${y} on the timeline`);
    const widths = await page.locator(".why-bar").evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().width));
    assert.ok(Math.abs(widths[0] / widths[1] - 19 / 394) < 0.01, `bars in the ratio 19 : 394 (${widths})`);
    assert.match(await text(page, "#why-money"), lang === "zh" ? /21 倍/ : /21 times/);
    assert.deepEqual(errors, []);
    await close();
  });

  test(`summary (${lang}): a card, drawing and link for every other lesson; the closing message; Paddle beside nnlab`, async () => {
    const { page, errors, close } = await openPage(site, "#summary", { locale });
    await page.waitForSelector(".sum-lesson");
    await checkLanguage(page, lang, "summary");
    const menu = await page.locator(".nav-link").evaluateAll((links) => links.map((a) => a.dataset.lesson));
    assert.equal(menu.at(-1), "summary", "the last lesson of the menu");
    const cards = await page.locator(".sum-lesson").evaluateAll((links) =>
      links.map((a) => ({ slug: a.dataset.lesson, href: a.getAttribute("href"), sentence: a.querySelector(".sum-lesson-sentence")?.innerText ?? "" })),
    );
    assert.deepEqual(
      cards.map((c) => c.slug),
      menu.slice(0, -1),
      "every other lesson, in menu order",
    );
    for (const c of cards) {
      assert.equal(c.href, `#${c.slug}`);
      assert.ok(c.sentence.length > 20, `${c.slug}: its key sentence`);
    }
    // Each card has a drawing; the drawings differ.
    await page.waitForFunction(() => [...document.querySelectorAll(".sum-thumb")].every((c) => c.width > 0));
    const thumbs = await page.locator(".sum-thumb").evaluateAll((canvases) =>
      canvases.map((c) => {
        const { data } = c.getContext("2d").getImageData(0, 0, c.width, c.height);
        let ink = 0;
        let hash = 0;
        for (let i = 0; i < data.length; i += 4) {
          const background = data[i] === 0xf4 && data[i + 1] === 0xf6 && data[i + 2] === 0xfa;
          if (!background) {
            ink += 1;
            hash = (hash * 31 + i) | 0;
          }
        }
        return { ink, hash };
      }),
    );
    assert.equal(thumbs.length, cards.length);
    thumbs.forEach((t, i) => assert.ok(t.ink > 60, `${cards[i].slug}: a drawing (${t.ink} px)`));
    assert.ok(new Set(thumbs.map((t) => t.hash)).size >= cards.length - 1, "the drawings differ");

    assert.match(await text(page, "#sum-message"), lang === "zh" ? /短期期望不切实际[\s\S]*长远看前景光明/ : /unrealistic[\s\S]*bright/);
    assert.match(await text(page, "#sum-paddle"), /paddle\.optimizer\.Adam\(learning_rate=0\.001/);
    assert.match(await text(page, "#sum-paddle"), /batch_size=64/);
    assert.match(await text(page, "#sum-nnlab"), /nnlab train --optimizer adam --lr 0\.001 --batch 64 \\\s+--epochs 30 --layers 100,256,256,10/);
    assert.match(await text(page, "#sum-nnlab"), /nnlab summary --preset lecture/);
    await page.screenshot({ path: join(ARTIFACTS, `summary-${lang}.png`), fullPage: true });

    // A card is a link: the key sentence on the card is the lesson's own.
    const neurons = cards.find((c) => c.slug === "neurons");
    await page.click('.sum-lesson[data-lesson="neurons"]');
    await page.waitForFunction(() => location.hash.startsWith("#neurons") && document.querySelector("#lesson")?.dataset.lesson === "neurons");
    assert.equal(await text(page, ".lesson-head .key-sentence p"), neurons.sentence);
    assert.deepEqual(errors, []);
    await close();
  });
}

test("the three lessons fit a 390-pixel phone, in presenter mode too", async () => {
  for (const { lang, locale } of LANGS) {
    for (const slug of ["what-is-dl", "why-now", "summary"]) {
      for (const present of [0, 1]) {
        const { page, errors, close } = await openPage(site, `#${slug}?lang=${lang}&present=${present}`, { locale, width: 390, height: 844, wait: ".lesson-head" });
        await page.waitForSelector(".lesson-head");
        // Canvases take their size from the page a frame or two after it opens.
        await page.waitForTimeout(800);
        assert.ok((await overflow(page)) <= 0, `${slug} ${lang} present=${present}: ${await overflow(page)} px wider than the phone`);
        if (present === 0) await page.screenshot({ path: join(ARTIFACTS, `${slug}-${lang}-phone.png`), fullPage: true });
        assert.deepEqual(errors, []);
        await close();
      }
    }
  }
});
