//! The network drawn as columns of neurons joined by their weights. A
//! layer of 30,000 inputs cannot be drawn neuron by neuron, so wide columns
//! show their first and last few neurons around a "⋮"; the count under each
//! gap says how many weights and biases it really holds.

use nnlab::nn::{thousands, MlpSpec};
use web_sys::Element;

use crate::error::WebResult;
use crate::i18n::{Key, Lang};
use crate::lessons::kit::svg;

/// Most neurons drawn in a column before it is cut with "⋮".
pub const MAX_SHOWN: usize = 8;
/// Neurons drawn at each end of a cut column.
const END_SHOWN: usize = 3;

/// One place in a drawn column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Neuron number `n` (0-based) of the layer.
    Neuron(usize),
    /// The neurons left out.
    Ellipsis,
}

/// The slots of a column of `n` neurons.
pub fn slots(n: usize) -> Vec<Slot> {
    if n <= MAX_SHOWN {
        (0..n).map(Slot::Neuron).collect()
    } else {
        (0..END_SHOWN)
            .map(Slot::Neuron)
            .chain([Slot::Ellipsis])
            .chain((n - END_SHOWN..n).map(Slot::Neuron))
            .collect()
    }
}

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 380.0;
const SPACING: f64 = 30.0;
const CENTRE: f64 = 178.0;
const RADIUS: f64 = 9.0;

/// The SVG drawing of `spec`.
pub fn draw(spec: &MlpSpec, lang: Lang) -> WebResult<Element> {
    let picture = svg::canvas(WIDTH, HEIGHT, "net-drawing")?;
    picture.set_id("network-drawing");
    picture.set_attribute("role", "img")?;
    picture.set_attribute("aria-label", lang.text(Key::NetworkDrawingDescription))?;
    let sizes: Vec<usize> = std::iter::once(spec.input)
        .chain(spec.layers.iter().copied())
        .collect();
    let columns = sizes.len();
    let left = 70.0;
    let step = (WIDTH - 2.0 * left) / (columns.max(2) - 1) as f64;
    let x_of = |c: usize| left + step * c as f64;
    let y_of = |k: usize, count: usize| CENTRE + (k as f64 - (count as f64 - 1.0) / 2.0) * SPACING;
    let layout: Vec<Vec<Slot>> = sizes.iter().map(|&n| slots(n)).collect();

    let edges = svg::add(&picture, "g", &[("class", "net-edges")])?;
    for c in 1..columns {
        let (from, to) = (&layout[c - 1], &layout[c]);
        let mut path = String::new();
        for (a, sa) in from.iter().enumerate() {
            for (b, sb) in to.iter().enumerate() {
                if matches!(sa, Slot::Neuron(_)) && matches!(sb, Slot::Neuron(_)) {
                    path.push_str(&format!(
                        "M{} {}L{} {}",
                        svg::num(x_of(c - 1) + RADIUS),
                        svg::num(y_of(a, from.len())),
                        svg::num(x_of(c) - RADIUS),
                        svg::num(y_of(b, to.len())),
                    ));
                }
            }
        }
        svg::add(&edges, "path", &[("d", &path), ("class", "net-edge")])?;
        let params = sizes[c - 1]
            .saturating_mul(sizes[c])
            .saturating_add(sizes[c]);
        let label = lang.fill(Key::NetworkParamsBetween, &[("n", &thousands(params))]);
        svg::text(
            &picture,
            (x_of(c - 1) + x_of(c)) / 2.0,
            HEIGHT - 14.0,
            "net-params",
            &label,
        )?;
    }

    let last = columns - 1;
    for (c, column) in layout.iter().enumerate() {
        let x = x_of(c);
        let class = match c {
            0 => "net-neuron input",
            c if c == last => "net-neuron output",
            _ => "net-neuron",
        };
        let group = svg::add(&picture, "g", &[("class", "net-column")])?;
        for (k, slot) in column.iter().enumerate() {
            let y = y_of(k, column.len());
            match slot {
                Slot::Neuron(_) => {
                    svg::add(
                        &group,
                        "circle",
                        &[
                            ("cx", &svg::num(x)),
                            ("cy", &svg::num(y)),
                            ("r", &svg::num(RADIUS)),
                            ("class", class),
                        ],
                    )?;
                }
                Slot::Ellipsis => {
                    svg::text(&group, x, y + 6.0, "net-ellipsis", "⋮")?;
                }
            }
        }
        let title = if c == 0 {
            lang.text(Key::NetworkInputColumn).to_string()
        } else {
            format!("Linear-{c}")
        };
        svg::text(&group, x, 24.0, "net-title", &title)?;
        svg::text(&group, x, HEIGHT - 52.0, "net-count", &thousands(sizes[c]))?;
        if c > 0 && c < last {
            if let Some(name) = spec.activation.layer_name() {
                svg::text(&group, x, 44.0, "net-activation", name)?;
            }
        }
    }
    Ok(picture)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_columns_are_cut() {
        assert_eq!(
            slots(3),
            vec![Slot::Neuron(0), Slot::Neuron(1), Slot::Neuron(2)]
        );
        assert_eq!(slots(8).len(), 8);
        assert_eq!(
            slots(100),
            vec![
                Slot::Neuron(0),
                Slot::Neuron(1),
                Slot::Neuron(2),
                Slot::Ellipsis,
                Slot::Neuron(97),
                Slot::Neuron(98),
                Slot::Neuron(99),
            ]
        );
    }
}
