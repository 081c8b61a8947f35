//! `nnlab data check`: what a CIFAR-10 path holds — image counts, the
//! training batches present, the class names with their image counts and,
//! for an archive, its checksums — or the one-line reason it is unusable.

use crate::checksum;
use crate::cifar;
use crate::cli::CheckArgs;
use crate::download::OFFICIAL_MD5;
use crate::error::{CliError, CliResult};
use crate::{output, progress};
use nnlab::data::Cifar10;
use nnlab::nn::thousands;
use std::fmt::Write as _;
use std::path::Path;

pub fn run(args: &CheckArgs) -> CliResult<()> {
    let path = cifar::resolve(args.path.as_deref());
    let data = cifar::load(&path, false)?;
    let mut text = report(&path, &data);
    if path.is_file() {
        let bar = progress::bytes(
            Some(path.metadata().map_or(0, |m| m.len())),
            "checksums",
            false,
        );
        let sums = checksum::of_file(&path, &bar).map_err(|source| CliError::Read {
            path: path.clone(),
            source,
        })?;
        bar.finish_and_clear();
        let official = if sums.md5 == OFFICIAL_MD5 {
            "the official archive's"
        } else {
            "not the official archive's, but the contents read as CIFAR-10"
        };
        let _ = writeln!(text, "md5       {} ({official})", sums.md5);
        let _ = writeln!(text, "sha256    {}", sums.sha256);
    }
    output::emit(None, text.as_bytes())
}

/// Counts and classes, one fact a line.
fn report(path: &Path, data: &Cifar10) -> String {
    let mut text = String::new();
    let _ = writeln!(text, "path      {}", path.display());
    let batches: Vec<String> = data.train_batches().iter().map(u8::to_string).collect();
    let missing: Vec<String> = data
        .missing_train_batches()
        .iter()
        .map(u8::to_string)
        .collect();
    let _ = write!(
        text,
        "training  {} images (data_batch {})",
        thousands(data.train.len()),
        batches.join(", ")
    );
    if !missing.is_empty() {
        let _ = write!(text, "; missing data_batch {}", missing.join(", "));
    }
    text.push('\n');
    let _ = writeln!(text, "test      {} images", thousands(data.test.len()));
    let _ = writeln!(text, "classes   label  name        training  test");
    let train_counts = data.train.label_counts();
    let test_counts = data.test.label_counts();
    for (label, name) in data.train.class_names().iter().enumerate() {
        let _ = writeln!(
            text,
            "          {label:>5}  {name:<10}  {:>8}  {:>4}",
            train_counts[label], test_counts[label]
        );
    }
    text
}
