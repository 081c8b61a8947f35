//! The colours of the charts the lessons draw by hand on canvases, the same
//! as the page's (`www/style.css`: `--ink`, `--muted`, `--line`, `--accent`),
//! so a picture and the text around it match.

/// Text and the darkest marks.
pub const INK: &str = "#1b2233";
/// Axis labels, notes, the zero line.
pub const MUTED: &str = "#6b7487";
/// Grid lines.
pub const GRID: &str = "#e4e8f0";
/// Rules between rows.
pub const LINE: &str = "#dde2ec";
/// The app's blue: the main series, weights, what is selected.
pub const ACCENT: &str = "#3b4fd8";
/// Orange: the second series (activations), what pushes the other way.
pub const WARM: &str = "#d9622b";
/// Green: the true class.
pub const TRUE_CLASS: &str = "#1f9d55";
/// Red: a mistake.
pub const MISTAKE: &str = "#d62728";
