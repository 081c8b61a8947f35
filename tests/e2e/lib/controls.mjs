// Reading and setting what a lesson shows: an element's text, waiting for
// it to change, a slider's value.

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
