//! The progress bars on stderr. indicatif draws nothing when stderr is not a
//! terminal (logs, tests), so callers need not check.

use indicatif::{ProgressBar, ProgressState, ProgressStyle};

/// How often bars redraw at most; training steps take about a millisecond,
/// so every position update would otherwise cost a terminal write.
const REDRAWS_PER_SECOND: u8 = 10;

const BYTES_TEMPLATE: &str = "{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}";
const SPINNER_TEMPLATE: &str = "{prefix} {spinner} {bytes} {bytes_per_sec}";
/// `{rate}` is ours: samples per second as a whole number.
const SAMPLES_TEMPLATE: &str = "{prefix} [{bar:30}] {pos}/{len} {rate} {msg} eta {eta}";

/// A bar over `total` bytes ("12.3 MiB/162.6 MiB, 40 MiB/s"), or a spinner
/// with the byte count when the total is unknown. Hidden if `quiet`.
pub fn bytes(total: Option<u64>, what: &str, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let (bar, template) = match total {
        Some(total) => (ProgressBar::new(total), BYTES_TEMPLATE),
        None => (ProgressBar::new_spinner(), SPINNER_TEMPLATE),
    };
    bar.set_style(style(template));
    bar.set_prefix(what.to_string());
    limit_redraws(bar)
}

/// One epoch's bar, counting training samples, with samples/s and the
/// running loss as its message. Hidden if `quiet`.
pub fn samples(samples: u64, prefix: String, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(samples);
    bar.set_style(style(SAMPLES_TEMPLATE).with_key(
        "rate",
        |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0} samples/s", state.per_sec());
        },
    ));
    bar.set_prefix(prefix);
    limit_redraws(bar)
}

fn style(template: &str) -> ProgressStyle {
    // The templates above are fixed and tested below; the default style is a
    // harmless fallback should one ever fail to parse.
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

fn limit_redraws(bar: ProgressBar) -> ProgressBar {
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(
        REDRAWS_PER_SECOND,
    ));
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_parse() {
        for template in [BYTES_TEMPLATE, SPINNER_TEMPLATE, SAMPLES_TEMPLATE] {
            assert!(ProgressStyle::with_template(template).is_ok(), "{template}");
        }
    }
}
