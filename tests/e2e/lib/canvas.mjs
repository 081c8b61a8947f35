// A lesson's figures as pixels: the world ↔ pixel mapping of nnlab-figures'
// Frame (crates/nnlab-figures/src/frame.rs), and counting pixels by colour.

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

/** Pixels of canvas `id` that are drawn (not transparent) and not near-white. */
export function inkedPixels(page, id) {
  return page.evaluate((id) => {
    const canvas = document.getElementById(id);
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) n += 1;
    return n;
  }, id);
}
