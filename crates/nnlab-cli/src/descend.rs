//! `nnlab descend`: one optimiser run on one surface, as data or as a figure.

use crate::cli::{DescendArgs, Format};
use crate::error::{CliError, CliResult};
use crate::{figure, hyper, output, parse};
use nnlab::descent::{trajectory, Trajectory};
use nnlab::optim::{Hyper, OptimizerKind};
use nnlab::surfaces::{self, Surface};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// A validated run: what the JSON output echoes back besides the path.
pub struct Settings {
    pub surface: Surface,
    pub kind: OptimizerKind,
    pub hyper: Hyper,
    pub start: Vec<f64>,
    pub steps: usize,
}

pub fn run(args: &DescendArgs) -> CliResult<()> {
    let settings = settings(args)?;
    let size = parse::size(&args.size)?;
    if args.format == Format::Png && args.out.is_none() {
        return Err(CliError::Usage("png output needs --out FILE".into()));
    }
    if let Some(out) = &args.out {
        output::check_writable(out)?;
    }
    let path = trajectory(
        &settings.surface,
        settings.kind,
        settings.hyper,
        &settings.start,
        settings.steps,
    )?;
    let bytes = match args.format {
        Format::Json => json(&settings, &path)?.into_bytes(),
        Format::Csv => csv(&settings, &path).into_bytes(),
        Format::Svg => figure::svg(&settings, &path, size)?.into_bytes(),
        Format::Png => figure::png(&settings, &path, size)?,
    };
    output::emit(args.out.as_deref(), &bytes)
}

/// Names, numbers and the start point checked; defaults filled in.
pub fn settings(args: &DescendArgs) -> CliResult<Settings> {
    let surface = surfaces::by_name(&args.surface)?;
    let kind = OptimizerKind::from_name(&args.optimizer)?;
    let hyper = hyper::resolve(kind, &args.hyper)?;
    let start = match &args.start {
        Some(text) => parse::numbers("start", text)?,
        None => surface.default_start.clone(),
    };
    surface.check_point(&start)?;
    if args.steps == 0 {
        return Err(CliError::Usage("steps: must be at least 1".into()));
    }
    Ok(Settings {
        surface,
        kind,
        hyper,
        start,
        steps: args.steps,
    })
}

/// JSON report. serde_json writes f64 in shortest round-trip form (parsing gives the
/// same bits back) and NaN/±inf as `null`.
#[derive(Serialize)]
struct Report<'a> {
    surface: &'a str,
    formula: &'a str,
    optimizer: &'a str,
    hyper: BTreeMap<&'static str, f64>,
    start: &'a [f64],
    steps: usize,
    points: &'a [Vec<f64>],
    losses: &'a [f64],
}

fn json(s: &Settings, path: &Trajectory) -> CliResult<String> {
    let report = Report {
        surface: s.surface.name,
        formula: s.surface.formula_text,
        optimizer: s.kind.name(),
        hyper: hyper::used(s.kind, &s.hyper),
        start: &s.start,
        steps: s.steps,
        points: &path.points,
        losses: &path.losses,
    };
    let mut text = serde_json::to_string(&report)
        .map_err(|e| CliError::Usage(format!("cannot write JSON: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// `step,x,y,loss` (or `step,x,loss` in 1-D), one row per point.
fn csv(s: &Settings, path: &Trajectory) -> String {
    let mut out = String::from(if s.surface.dim == 1 {
        "step,x,loss\n"
    } else {
        "step,x,y,loss\n"
    });
    for (step, (point, loss)) in path.points.iter().zip(&path.losses).enumerate() {
        let _ = write!(out, "{step}");
        for &c in point.iter().chain([loss]) {
            let _ = write!(out, ",{}", csv_number(c));
        }
        out.push('\n');
    }
    out
}

/// Shortest round-trip form with an exponent for very large or small magnitudes
/// (as serde_json writes it: "0.99", "1.2e30"); non-finite as NaN / inf / -inf,
/// which spreadsheet and pandas readers understand.
fn csv_number(v: f64) -> String {
    match v {
        v if v.is_nan() => "NaN".into(),
        f64::INFINITY => "inf".into(),
        f64::NEG_INFINITY => "-inf".into(),
        // A finite f64 always serialises.
        v => serde_json::to_string(&v).unwrap_or_else(|_| v.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::csv_number;

    #[test]
    fn csv_numbers_round_trip_and_stay_short() {
        assert_eq!(csv_number(0.99), "0.99");
        assert_eq!(csv_number(-1.5), "-1.5");
        assert_eq!(csv_number(1.2031976731111916e30), "1.2031976731111916e+30");
        assert_eq!(csv_number(f64::NAN), "NaN");
        assert_eq!(csv_number(f64::NEG_INFINITY), "-inf");
        let v = 0.1 + 0.2; // 0.30000000000000004: every digit is kept
        assert_eq!(csv_number(v).parse::<f64>().unwrap().to_bits(), v.to_bits());
    }
}
