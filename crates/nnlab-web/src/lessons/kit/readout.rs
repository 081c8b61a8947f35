//! What a pointer (or the arrow keys) reads on a chart: the chart's drawing
//! code records where its plot lies in CSS pixels and what it drew there
//! ([`Panel`]s); this module finds the point or bin under a pixel and words
//! the values. No browser types, so the look-ups are tested natively; the
//! overlay and the listeners are [`super::hover`].

use super::format::format_number;
use crate::i18n::{Key, Lang};

/// How a number on an axis or in a series is written.
pub type Text = fn(f64) -> String;

/// A data range drawn over a pixel span (either way round); `log` for a
/// logarithmic axis, where equal pixel steps are equal factors.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// The pixels of `values.0` and `values.1`.
    pub pixels: (f64, f64),
    /// The data values at the two ends.
    pub values: (f64, f64),
    /// A log axis (both values must then be above 0).
    pub log: bool,
}

impl Axis {
    /// A linear axis: `values` drawn from `pixels.0` to `pixels.1`.
    pub fn linear(pixels: (f64, f64), values: (f64, f64)) -> Axis {
        Axis {
            pixels,
            values,
            log: false,
        }
    }

    /// A logarithmic axis.
    pub fn log(pixels: (f64, f64), values: (f64, f64)) -> Axis {
        Axis {
            pixels,
            values,
            log: true,
        }
    }

    /// `v` as the axis measures it (its log for a log axis).
    fn measure(&self, v: f64) -> f64 {
        if self.log {
            v.max(f64::MIN_POSITIVE).log10()
        } else {
            v
        }
    }

    /// The pixel of value `v` (the first end for an axis without a span).
    pub fn pixel(&self, v: f64) -> f64 {
        let (a, b) = (self.measure(self.values.0), self.measure(self.values.1));
        let t = if b != a {
            (self.measure(v) - a) / (b - a)
        } else {
            0.0
        };
        self.pixels.0 + t * (self.pixels.1 - self.pixels.0)
    }

    /// The value drawn at pixel `px`.
    pub fn value(&self, px: f64) -> f64 {
        let (p0, p1) = self.pixels;
        let t = if p1 != p0 { (px - p0) / (p1 - p0) } else { 0.0 };
        let (a, b) = (self.measure(self.values.0), self.measure(self.values.1));
        let m = a + t * (b - a);
        if self.log {
            10f64.powf(m)
        } else {
            m
        }
    }

    /// The pixel span, low pixel first.
    fn span(&self) -> (f64, f64) {
        let (a, b) = self.pixels;
        (a.min(b), a.max(b))
    }
}

/// A plot area: the x axis left to right, the y axis bottom to top.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plot {
    /// Data x to pixels.
    pub x: Axis,
    /// Data y to pixels (its first pixel is the bottom).
    pub y: Axis,
}

impl Plot {
    /// A linear plot from the pixels of its lower-left corner `(x0, y0)` and
    /// upper-right corner `(x1, y1)` (what plotters' `backend_coord` gives).
    pub fn from_corners(
        lower_left: (f64, f64),
        upper_right: (f64, f64),
        x: (f64, f64),
        y: (f64, f64),
    ) -> Plot {
        Plot {
            x: Axis::linear((lower_left.0, upper_right.0), x),
            y: Axis::linear((lower_left.1, upper_right.1), y),
        }
    }

    /// [`Plot::from_corners`] from a plotters chart's backend pixels.
    pub fn from_backend(
        lower_left: (i32, i32),
        upper_right: (i32, i32),
        x: (f64, f64),
        y: (f64, f64),
    ) -> Plot {
        let px = |(a, b): (i32, i32)| (f64::from(a), f64::from(b));
        Plot::from_corners(px(lower_left), px(upper_right), x, y)
    }

    /// The same plot with a logarithmic y axis.
    pub fn log_y(mut self) -> Plot {
        self.y.log = true;
        self
    }

    /// The plot's pixel box `(left, top, right, bottom)`.
    pub fn rect(&self) -> Rect {
        let ((l, r), (t, b)) = (self.x.span(), self.y.span());
        (l, t, r, b)
    }

    /// Where `(x, y)` is drawn, kept inside the plot (charts clamp what
    /// leaves their range to the edge, and so do the markers).
    pub fn pixel(&self, (x, y): (f64, f64)) -> (f64, f64) {
        let (l, t, r, b) = self.rect();
        (self.x.pixel(x).clamp(l, r), self.y.pixel(y).clamp(t, b))
    }
}

/// A pixel box `(left, top, right, bottom)`.
pub type Rect = (f64, f64, f64, f64);

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Its name in the page's language ("" for the only line of a chart).
    pub name: String,
    /// Its CSS colour (the marker's).
    pub color: String,
    /// `(x, y)` in x order; points with a non-finite value are left out.
    pub points: Vec<(f64, f64)>,
}

impl Series {
    /// A line named `name`, drawn in `color`, through the finite `points`.
    pub fn new(name: &str, color: &str, points: impl IntoIterator<Item = (f64, f64)>) -> Series {
        Series {
            name: name.to_string(),
            color: color.to_string(),
            points: points
                .into_iter()
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect(),
        }
    }

    /// The index of the point whose x is nearest `x` (points in x order).
    fn nearest(&self, x: f64) -> Option<usize> {
        let after = self.points.partition_point(|p| p.0 < x);
        let before = after.checked_sub(1);
        match (before, (after < self.points.len()).then_some(after)) {
            (Some(b), Some(a)) => Some(if x - self.points[b].0 <= self.points[a].0 - x {
                b
            } else {
                a
            }),
            (b, a) => b.or(a),
        }
    }
}

/// Lines against a common x (steps, epochs, iterations).
#[derive(Clone, Debug)]
pub struct Curves {
    /// Where they are drawn.
    pub plot: Plot,
    /// The x axis's name ("step").
    pub x_name: String,
    /// The y axis's name, said for a line without a name ("loss").
    pub y_name: String,
    /// How x values are written (whole steps by default).
    pub x_text: Text,
    /// How y values are written ([`format_number`] by default).
    pub y_text: Text,
    /// The lines.
    pub series: Vec<Series>,
    /// Every x some line has a point at, in order, once: the stops.
    stops: Vec<f64>,
}

/// A line's point more than this many pixels left or right of the read x is
/// not read there (a sparse test curve next to a dense training curve).
pub const NEAR_PX: f64 = 16.0;

impl Curves {
    /// `series` drawn on `plot` against an x axis named `x_name`.
    pub fn new(plot: Plot, x_name: &str, series: Vec<Series>) -> Curves {
        let mut stops: Vec<f64> = series
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.0))
            .collect();
        stops.sort_by(f64::total_cmp);
        stops.dedup();
        Curves {
            plot,
            x_name: x_name.to_string(),
            y_name: String::new(),
            x_text: whole,
            y_text: format_number,
            series,
            stops,
        }
    }

    /// The same curves with y named `name` and written by `text`.
    pub fn with_y(mut self, name: &str, text: Text) -> Curves {
        self.y_name = name.to_string();
        self.y_text = text;
        self
    }

    /// The stop nearest pixel column `px` (there is at least one stop).
    fn stop_at(&self, px: f64) -> usize {
        let x = self.plot.x.value(px);
        let after = self.stops.partition_point(|&s| s < x);
        let candidates = [after.checked_sub(1), Some(after)];
        candidates
            .into_iter()
            .flatten()
            .filter(|&i| i < self.stops.len())
            .min_by(|&a, &b| {
                let d = |i: usize| (self.plot.x.pixel(self.stops[i]) - px).abs();
                d(a).total_cmp(&d(b))
            })
            .unwrap_or(0)
    }

    fn reading(&self, stop: usize, lang: Lang) -> Reading {
        let x = self.stops[stop];
        let (l, t, r, b) = self.plot.rect();
        let at = self.plot.x.pixel(x).clamp(l, r);
        let mut markers = Vec::new();
        let mut lines = Vec::new();
        for s in &self.series {
            let Some(i) = s.nearest(x) else { continue };
            let (px, py) = s.points[i];
            if (self.plot.x.pixel(px) - self.plot.x.pixel(x)).abs() > NEAR_PX {
                continue;
            }
            let name = if s.name.is_empty() {
                &self.y_name
            } else {
                &s.name
            };
            let value = (self.y_text)(py);
            let text = if px != x {
                // Its own x, when it is a neighbour of the one read.
                let at = (self.x_text)(px);
                let parts = [("name", name.as_str()), ("axis", &self.x_name)];
                lang.fill(
                    Key::ReadoutValueAt,
                    &[parts[0], parts[1], ("x", &at), ("value", &value)],
                )
            } else if name.is_empty() {
                value
            } else {
                lang.fill(Key::ReadoutValue, &[("name", name), ("value", &value)])
            };
            markers.push((self.plot.pixel((px, py)), s.color.clone()));
            lines.push((s.color.clone(), text));
        }
        Reading {
            span: (at, at),
            top: t,
            bottom: b,
            markers,
            title: if self.x_name.is_empty() {
                (self.x_text)(x)
            } else {
                format!("{} {}", self.x_name, (self.x_text)(x))
            },
            lines,
        }
    }
}

/// A histogram: `counts` in equal bins over `range`, drawn in the box `rect`.
#[derive(Clone, Debug)]
pub struct Bins {
    /// The bars' box `(left, top, right, bottom)` in CSS pixels.
    pub rect: Rect,
    /// The values the first bin starts and the last bin ends at.
    pub range: (f64, f64),
    /// Values per bin, low to high.
    pub counts: Vec<u32>,
    /// What the histogram shows ("weights, layer 2"), said first.
    pub title: String,
    /// The bars' CSS colour.
    pub color: String,
    /// How the bin ends are written.
    pub value_text: Text,
}

impl Bins {
    /// The bin under pixel column `px` (the nearest end bin outside the box).
    fn bin_at(&self, px: f64) -> usize {
        let (l, _, r, _) = self.rect;
        let n = self.counts.len();
        if r <= l || n == 0 {
            return 0;
        }
        let t = (px - l) / (r - l);
        ((t * n as f64).floor().max(0.0) as usize).min(n - 1)
    }

    /// The values bin `i` covers.
    pub fn bin_range(&self, i: usize) -> (f64, f64) {
        let (lo, hi) = self.range;
        let w = (hi - lo) / self.counts.len().max(1) as f64;
        (lo + w * i as f64, lo + w * (i + 1) as f64)
    }

    fn reading(&self, i: usize, lang: Lang) -> Reading {
        let (l, t, r, b) = self.rect;
        let n = self.counts.len().max(1) as f64;
        let x0 = l + (r - l) * i as f64 / n;
        let x1 = l + (r - l) * (i + 1) as f64 / n;
        let (lo, hi) = self.bin_range(i);
        let count = self.counts.get(i).copied().unwrap_or(0);
        let text = lang.fill(
            Key::ReadoutBin,
            &[
                ("lo", &(self.value_text)(lo)),
                ("hi", &(self.value_text)(hi)),
                ("count", &count.to_string()),
            ],
        );
        Reading {
            span: (x0, x1),
            top: t,
            bottom: b,
            markers: Vec::new(),
            title: self.title.clone(),
            lines: vec![(self.color.clone(), text)],
        }
    }
}

/// One readable part of a canvas: lines or a histogram.
#[derive(Clone, Debug)]
pub enum Panel {
    /// Lines against x.
    Curves(Curves),
    /// A histogram.
    Bins(Bins),
}

impl Panel {
    /// Its pixel box.
    pub fn rect(&self) -> Rect {
        match self {
            Panel::Curves(c) => c.plot.rect(),
            Panel::Bins(b) => b.rect,
        }
    }

    /// How many places the read-out can stop at (points' x, or bins).
    pub fn stops(&self) -> usize {
        match self {
            Panel::Curves(c) => c.stops.len(),
            Panel::Bins(b) => b.counts.len(),
        }
    }

    /// The stop under pixel column `px`.
    pub fn stop_at(&self, px: f64) -> usize {
        match self {
            Panel::Curves(c) => c.stop_at(px),
            Panel::Bins(b) => b.bin_at(px),
        }
    }

    /// What stop `stop` reads (`stop < self.stops()`).
    pub fn reading(&self, stop: usize, lang: Lang) -> Reading {
        match self {
            Panel::Curves(c) => c.reading(stop, lang),
            Panel::Bins(b) => b.reading(stop, lang),
        }
    }
}

/// A place the read-out stands: a panel and one of its stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    /// The panel's index.
    pub panel: usize,
    /// The stop's index in it.
    pub stop: usize,
}

/// Pointers this far outside a panel still read it (a finger is broad).
const SLACK_PX: f64 = 6.0;

/// Where the pointer at `(x, y)` (CSS pixels) reads: the panel it is over
/// (a canvas with one panel reads it anywhere), at the stop nearest its x.
pub fn cursor_at(panels: &[Panel], (x, y): (f64, f64)) -> Option<Cursor> {
    let inside = |p: &Panel| {
        let (l, t, r, b) = p.rect();
        x >= l - SLACK_PX && x <= r + SLACK_PX && y >= t - SLACK_PX && y <= b + SLACK_PX
    };
    let panel = match panels {
        [only] => Some(0).filter(|_| only.stops() > 0),
        _ => panels.iter().position(|p| inside(p) && p.stops() > 0),
    }?;
    Some(Cursor {
        panel,
        stop: panels[panel].stop_at(x),
    })
}

/// A key that moves the read-out (see [`step`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// ← (`-1`), → (`+1`), with Shift ten at a time.
    By(i32),
    /// Home.
    First,
    /// End.
    Last,
    /// ↑ / ↓: the previous or next panel (`-1` / `+1`).
    Panel(i32),
}

impl Move {
    /// The move of key `key` (a `KeyboardEvent.key`), with Shift or not.
    pub fn of_key(key: &str, shift: bool) -> Option<Move> {
        let by = if shift { 10 } else { 1 };
        Some(match key {
            "ArrowLeft" => Move::By(-by),
            "ArrowRight" => Move::By(by),
            "Home" => Move::First,
            "End" => Move::Last,
            "ArrowUp" => Move::Panel(-1),
            "ArrowDown" => Move::Panel(1),
            _ => return None,
        })
    }
}

/// Where `how` takes the read-out from `from`. Without one yet, any key
/// starts at the latest point of the first panel (Home at its first):
/// the value a student most often wants.
pub fn step(panels: &[Panel], from: Option<Cursor>, how: Move) -> Option<Cursor> {
    let readable = |i: usize| panels.get(i).is_some_and(|p| p.stops() > 0);
    let last = |i: usize| panels[i].stops() - 1;
    let Some(at) = from.filter(|c| readable(c.panel)) else {
        let panel = (0..panels.len()).find(|&i| readable(i))?;
        let stop = if how == Move::First { 0 } else { last(panel) };
        return Some(Cursor { panel, stop });
    };
    let stop = at.stop.min(last(at.panel));
    Some(match how {
        Move::By(d) => Cursor {
            panel: at.panel,
            stop: (stop as i64 + i64::from(d)).clamp(0, last(at.panel) as i64) as usize,
        },
        Move::First => Cursor { stop: 0, ..at },
        Move::Last => Cursor {
            stop: last(at.panel),
            ..at
        },
        Move::Panel(d) => {
            let mut panel = at.panel as i64 + i64::from(d);
            while panel >= 0 && (panel as usize) < panels.len() && !readable(panel as usize) {
                panel += i64::from(d);
            }
            if panel < 0 || panel as usize >= panels.len() {
                return Some(Cursor { stop, ..at });
            }
            let panel = panel as usize;
            // The same place across: the same share of the way along.
            let share = stop as f64 / last(at.panel).max(1) as f64;
            Cursor {
                panel,
                stop: (share * last(panel) as f64).round() as usize,
            }
        }
    })
}

/// What the read-out shows at one place.
#[derive(Clone, Debug, PartialEq)]
pub struct Reading {
    /// The crosshair's columns: one x for a point, a bin's two edges.
    pub span: (f64, f64),
    /// The crosshair's top and bottom pixel.
    pub top: f64,
    /// The crosshair's bottom pixel.
    pub bottom: f64,
    /// A marker on each line read: where, in what colour.
    pub markers: Vec<((f64, f64), String)>,
    /// The first line: the x read, or the histogram's name.
    pub title: String,
    /// One line per value, with the colour of what it reads.
    pub lines: Vec<(String, String)>,
}

impl Reading {
    /// All of it as one sentence, for a screen reader.
    pub fn sentence(&self, lang: Lang) -> String {
        let mut parts = vec![self.title.clone()];
        parts.extend(self.lines.iter().map(|(_, t)| t.clone()));
        parts.retain(|p| !p.is_empty());
        parts.join(lang.text(Key::ReadoutSeparator))
    }
}

/// A whole number of steps ("1200").
pub fn whole(v: f64) -> String {
    format!("{v:.0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// x 0…100 over pixels 50…250, y 0…2 over pixels 180 (bottom)…20 (top).
    fn plot() -> Plot {
        Plot::from_backend((50, 180), (250, 20), (0.0, 100.0), (0.0, 2.0))
    }

    #[test]
    fn pixels_and_values_map_both_ways() {
        let p = plot();
        // 2 px per step: step 30 is at 50 + 60 = 110; loss 0.5 a quarter up: 180 − 40 = 140.
        assert_eq!(p.x.pixel(30.0), 110.0);
        assert_eq!(p.y.pixel(0.5), 140.0);
        assert_eq!(p.x.value(110.0), 30.0);
        assert_eq!(p.y.value(140.0), 0.5);
        assert_eq!(p.rect(), (50.0, 20.0, 250.0, 180.0));
        // Off the range: kept at the plot's edge.
        assert_eq!(p.pixel((200.0, -1.0)), (250.0, 180.0));
    }

    #[test]
    fn a_log_axis_steps_in_factors() {
        // 1e-3 … 10 (four decades) over 200 (bottom) … 0: 50 px a decade.
        let y = Axis::log((200.0, 0.0), (1e-3, 10.0));
        assert!((y.pixel(0.01) - 150.0).abs() < 1e-9);
        assert!((y.pixel(1.0) - 50.0).abs() < 1e-9);
        assert!((y.value(100.0) - 0.1).abs() < 1e-12);
        assert!((y.value(y.pixel(0.37)) - 0.37).abs() < 1e-12);
    }

    fn loss_and_test() -> Curves {
        let train = Series::new(
            "train",
            "blue",
            [
                (0.0, 2.0),
                (10.0, 1.5),
                (20.0, 1.0),
                (30.0, f64::NAN),
                (40.0, 0.5),
            ],
        );
        let test = Series::new("test", "orange", [(0.0, 2.1), (40.0, 0.75)]);
        Curves::new(plot(), "step", vec![train, test])
    }

    #[test]
    fn the_nearest_step_is_read_with_every_line_that_has_a_point_near_it() {
        let c = loss_and_test();
        // Stops: 0, 10, 20, 40 (step 30's loss is not a number and is left out).
        assert_eq!(c.stops, vec![0.0, 10.0, 20.0, 40.0]);
        // Pixel 95 is step 22.5: nearest stop 20 (pixel 90); the test curve's
        // points are 40 px away, too far to be read there.
        let r = Panel::Curves(c.clone()).reading(c.stop_at(95.0), Lang::En);
        assert_eq!(r.title, "step 20");
        assert_eq!(r.span, (90.0, 90.0));
        assert_eq!(r.lines, vec![("blue".into(), "train: 1.000".into())]);
        assert_eq!(r.markers, vec![((90.0, 100.0), "blue".into())]);
        // Pixel 140 is step 45: the last stop, 40, where both lines have a point.
        let r = c.reading(c.stop_at(140.0), Lang::En);
        assert_eq!(r.title, "step 40");
        assert_eq!(
            r.lines,
            vec![
                ("blue".into(), "train: 0.5000".into()),
                ("orange".into(), "test: 0.7500".into())
            ]
        );
        assert_eq!(r.sentence(Lang::En), "step 40, train: 0.5000, test: 0.7500");
        // Left of the plot: the first stop.
        assert_eq!(c.stop_at(0.0), 0);
    }

    #[test]
    fn a_neighbouring_point_is_read_with_its_own_step() {
        // Train every step, test at step 3 only: read at step 2, test is 2 px away.
        let train = Series::new("train", "blue", [(1.0, 1.0), (2.0, 0.9), (4.0, 0.7)]);
        let test = Series::new("test", "orange", [(3.0, 0.8)]);
        let c = Curves::new(plot(), "step", vec![train, test]).with_y("loss", whole);
        let r = c.reading(1, Lang::En);
        assert_eq!(r.title, "step 2");
        assert_eq!(r.lines[1].1, "test (step 3): 1");
        assert_eq!(c.reading(1, Lang::Zh).lines[1].1, "test（step 3）：1");
        // A line without a name says the y axis's.
        let solo = Curves::new(plot(), "step", vec![Series::new("", "red", [(5.0, 0.25)])])
            .with_y("loss", format_number);
        assert_eq!(solo.reading(0, Lang::En).lines[0].1, "loss: 0.2500");
    }

    fn histogram() -> Bins {
        // 4 bins over −1 … 1 drawn in x 100 … 180: 20 px, 0.5 wide each.
        Bins {
            rect: (100.0, 10.0, 180.0, 60.0),
            range: (-1.0, 1.0),
            counts: vec![1, 0, 2, 7],
            title: "weights".into(),
            color: "green".into(),
            value_text: format_number,
        }
    }

    #[test]
    fn the_bin_under_the_pointer_is_read_with_its_range_and_count() {
        let b = histogram();
        assert_eq!(b.bin_at(100.0), 0);
        assert_eq!(b.bin_at(139.9), 1);
        assert_eq!(b.bin_at(140.0), 2);
        assert_eq!(b.bin_at(500.0), 3);
        assert_eq!(b.bin_at(-5.0), 0);
        let r = b.reading(2, Lang::En);
        assert_eq!(r.span, (140.0, 160.0));
        assert_eq!(r.title, "weights");
        assert_eq!(r.lines[0].1, "0 to 0.5000: 2 values");
        assert_eq!(b.reading(3, Lang::Zh).lines[0].1, "0.5000 到 1.000：7 个值");
    }

    #[test]
    fn pointers_read_the_panel_they_are_over() {
        let mut other = histogram();
        other.rect = (200.0, 10.0, 280.0, 60.0);
        let panels = vec![Panel::Bins(histogram()), Panel::Bins(other)];
        assert_eq!(
            cursor_at(&panels, (250.0, 30.0)),
            Some(Cursor { panel: 1, stop: 2 })
        );
        // Between the two, and far below: nothing.
        assert_eq!(cursor_at(&panels, (190.0, 30.0)), None);
        assert_eq!(cursor_at(&panels, (150.0, 200.0)), None);
        // One panel is read from anywhere on its canvas.
        let one = vec![Panel::Curves(loss_and_test())];
        assert_eq!(
            cursor_at(&one, (240.0, 5.0)),
            Some(Cursor { panel: 0, stop: 3 })
        );
        // Nothing drawn yet: nothing to read.
        let empty = vec![Panel::Curves(Curves::new(plot(), "step", Vec::new()))];
        assert_eq!(cursor_at(&empty, (100.0, 100.0)), None);
    }

    #[test]
    fn keys_walk_the_stops_and_the_panels() {
        let panels = vec![Panel::Curves(loss_and_test()), Panel::Bins(histogram())];
        let at = |panel, stop| Some(Cursor { panel, stop });
        // The first key starts at the latest point; Home at the first.
        assert_eq!(step(&panels, None, Move::By(-1)), at(0, 3));
        assert_eq!(step(&panels, None, Move::First), at(0, 0));
        assert_eq!(step(&panels, at(0, 3), Move::By(-1)), at(0, 2));
        assert_eq!(step(&panels, at(0, 2), Move::By(10)), at(0, 3));
        assert_eq!(step(&panels, at(0, 1), Move::By(-10)), at(0, 0));
        assert_eq!(step(&panels, at(0, 1), Move::Last), at(0, 3));
        // ↓: the next panel, the same share of the way along (2 of 3 → 2 of 3).
        assert_eq!(step(&panels, at(0, 2), Move::Panel(1)), at(1, 2));
        assert_eq!(step(&panels, at(1, 2), Move::Panel(1)), at(1, 2));
        assert_eq!(step(&[], None, Move::Last), None);
        assert_eq!(Move::of_key("ArrowRight", true), Some(Move::By(10)));
        assert_eq!(Move::of_key("a", false), None);
    }
}
