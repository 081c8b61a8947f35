//! The computation graph as SVG: one box per tape node (its label, forward
//! value and, once the backward pass reaches it, its gradient), one arrow per
//! parent with the local derivative on it. The node being visited and the
//! arrows its gradient flows along are highlighted.

use web_sys::Element;

use super::replay::Replay;
use super::trace::{Kind, Trace};
use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::number::format_value;
use crate::lessons::kit::svg;

const BOX_W: f64 = 124.0;
const BOX_H: f64 = 70.0;
const COLUMN: f64 = 200.0;
const ROW: f64 = 104.0;
const MARGIN: f64 = 20.0;

/// The drawing's size in its own units (the page scales it).
pub fn size(trace: &Trace) -> (f64, f64) {
    (
        2.0 * MARGIN + (trace.depth() - 1) as f64 * COLUMN + BOX_W,
        2.0 * MARGIN + (trace.height().max(1) - 1) as f64 * ROW + BOX_H + 12.0,
    )
}

/// Top-left corner of node `i`'s box.
fn corner(trace: &Trace, i: usize) -> (f64, f64) {
    let n = &trace.nodes[i];
    let (_, height) = size(trace);
    let in_column = trace.nodes.iter().filter(|m| m.depth == n.depth).count() as f64;
    let middle = height / 2.0 - BOX_H / 2.0;
    (
        MARGIN + n.depth as f64 * COLUMN,
        middle + (n.row as f64 - (in_column - 1.0) / 2.0) * ROW,
    )
}

/// The graph of `trace` with the backward pass as far as `replay` got.
pub fn draw(trace: &Trace, replay: &Replay, lang: Lang) -> WebResult<Element> {
    let (width, height) = size(trace);
    let picture = svg::canvas(width, height, "bp-graph")?;
    picture.set_id("backprop-graph");
    picture.set_attribute("role", "img")?;
    picture.set_attribute("aria-label", lang.text(Key::BackpropGraphDescription))?;
    picture.set_attribute("style", &format!("min-width: {}px", svg::num(width * 0.8)))?;
    let defs = svg::add(&picture, "defs", &[])?;
    for (id, class) in [
        ("bp-arrow", "bp-arrowhead"),
        ("bp-arrow-hot", "bp-arrowhead hot"),
    ] {
        let marker = svg::add(
            &defs,
            "marker",
            &[
                ("id", id),
                ("viewBox", "0 0 10 10"),
                ("refX", "9"),
                ("refY", "5"),
                ("markerUnits", "userSpaceOnUse"),
                ("markerWidth", "11"),
                ("markerHeight", "11"),
                ("orient", "auto-start-reverse"),
            ],
        )?;
        svg::add(
            &marker,
            "path",
            &[("d", "M0 0L10 5L0 10z"), ("class", class)],
        )?;
    }

    let current = replay.current();
    let edges = svg::add(&picture, "g", &[("class", "bp-edges")])?;
    for (i, node) in trace.nodes.iter().enumerate() {
        for &(p, local) in &node.parents {
            let (px, py) = corner(trace, p);
            let (cx, cy) = corner(trace, i);
            let (x1, y1) = (px + BOX_W, py + BOX_H / 2.0);
            let (x2, y2) = (cx, cy + BOX_H / 2.0);
            let state = if current == Some(i) {
                " hot"
            } else if replay.is_final(i) {
                " done"
            } else {
                ""
            };
            let marker = if current == Some(i) {
                "url(#bp-arrow-hot)"
            } else {
                "url(#bp-arrow)"
            };
            svg::add(
                &edges,
                "path",
                &[
                    (
                        "d",
                        &format!(
                            "M{} {}L{} {}",
                            svg::num(x1),
                            svg::num(y1),
                            svg::num(x2),
                            svg::num(y2)
                        ),
                    ),
                    ("class", &format!("bp-edge{state}")),
                    ("marker-end", marker),
                ],
            )?;
            let (mx, my) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0 - 7.0);
            let label = svg::text(
                &edges,
                mx,
                my,
                &format!("bp-local{state}"),
                &format!("×{}", format_value(local)),
            )?;
            label.set_attribute("data-local", &local.to_string())?;
        }
    }

    let nodes = svg::add(&picture, "g", &[("class", "bp-nodes")])?;
    for (i, node) in trace.nodes.iter().enumerate() {
        let (x, y) = corner(trace, i);
        let mut class = String::from("bp-node");
        match node.kind {
            Kind::Param(_) => class.push_str(" param"),
            Kind::Data(_) => class.push_str(" data"),
            Kind::Op(_) => {}
        }
        if i == trace.output {
            class.push_str(" output");
        }
        if current == Some(i) {
            class.push_str(" current");
        } else if replay.is_final(i) {
            class.push_str(" final");
        } else if replay.is_reached(trace, i) {
            class.push_str(" reached");
        }
        let group = svg::add(
            &nodes,
            "g",
            &[("class", &class), ("data-node", &i.to_string())],
        )?;
        svg::add(
            &group,
            "rect",
            &[
                ("x", &svg::num(x)),
                ("y", &svg::num(y)),
                ("width", &svg::num(BOX_W)),
                ("height", &svg::num(BOX_H)),
                ("rx", "10"),
            ],
        )?;
        let cx = x + BOX_W / 2.0;
        svg::text(&group, cx, y + 20.0, "bp-label", &node.label)?;
        svg::text(
            &group,
            cx,
            y + 40.0,
            "bp-value",
            &format!("= {}", format_value(node.value)),
        )?;
        if replay.is_reached(trace, i) {
            let grad = svg::text(
                &group,
                cx,
                y + 60.0,
                "bp-grad",
                &lang.fill(
                    Key::BackpropGradOnNode,
                    &[("grad", &format_value(replay.adjoint(i)))],
                ),
            )?;
            grad.set_attribute("data-grad", &replay.adjoint(i).to_string())?;
        }
    }
    Ok(picture)
}
