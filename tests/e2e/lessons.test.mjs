// End-to-end: every lesson the menu lists (the menu is built from the one
// table of lessons, crates/nnlab-web/src/lessons/table.rs), in Chinese and in
// English: it opens from its link, its head names its part of the lecture,
// its title and — in a visible .key-sentence block under the title — the
// lecture's key sentence, in the page's language; and nothing logs an error.
//
// Run: node tests/e2e/run.mjs tests/e2e/lessons.test.mjs
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

/** Han characters: a Chinese text has several, an English one none. */
const HAN = /\p{Script=Han}/gu;

for (const [locale, lang] of [
  ["zh-CN", "zh"],
  ["en-US", "en"],
]) {
  test(`every lesson in the menu shows its part, title and key sentence (${lang})`, async () => {
    const { page, errors, close } = await openPage(site, "", { locale });
    const slugs = await page.locator(".nav-link").evaluateAll((links) => links.map((a) => a.dataset.lesson));
    assert.ok(slugs.length >= 21, `the menu lists ${slugs.length} lessons`);
    assert.equal(new Set(slugs).size, slugs.length, "each lesson once");
    const sentences = new Set();
    for (const slug of slugs) {
      await page.goto(`${site.url}#${slug}`);
      await page.waitForFunction((s) => document.querySelector(".lesson-head") && location.hash.startsWith(`#${s}`), slug);
      const head = await page.evaluate(() => {
        const q = (s) => document.querySelector(s);
        const block = q(".lesson-head .key-sentence");
        const box = block?.getBoundingClientRect();
        const style = block && getComputedStyle(block);
        const title = q(".lesson-head .lesson-title");
        return {
          part: q(".lesson-head .lesson-part")?.innerText ?? "",
          title: title?.innerText ?? "",
          sentence: q(".lesson-head .key-sentence p")?.innerText ?? "",
          label: q(".lesson-head .key-sentence-label")?.innerText ?? "",
          visible: !!box && box.width > 100 && box.height > 10 && style.visibility !== "hidden" && style.display !== "none",
          underTitle: !!box && !!title && box.top >= title.getBoundingClientRect().bottom - 1,
        };
      });
      assert.ok(head.title.length > 1, `${slug}: a title`);
      assert.ok(head.part.length > 1, `${slug}: its part of the lecture`);
      assert.ok(head.visible, `${slug}: the key sentence is visible`);
      assert.ok(head.underTitle, `${slug}: the key sentence sits under the title`);
      assert.ok(head.sentence.length > 10, `${slug}: a key sentence (${head.sentence})`);
      const han = (head.sentence.match(HAN) ?? []).length + (head.title.match(HAN) ?? []).length;
      if (lang === "zh") assert.ok(han >= 4, `${slug}: the zh head is Chinese: ${head.title} / ${head.sentence}`);
      else assert.equal(han, 0, `${slug}: the en head has no Chinese left: ${head.title} / ${head.sentence}`);
      sentences.add(head.sentence);
    }
    // Each section's own sentence, except lessons that share one of the lecture's.
    assert.ok(sentences.size >= slugs.length - 4, `${sentences.size} sentences for ${slugs.length} lessons`);
    assert.deepEqual(errors, []);
    await close();
  });
}
