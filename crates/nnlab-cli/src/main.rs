//! `nnlab`: the command-line front end of nnlab.
//!
//! - `nnlab descend`: an optimiser's path on a loss surface as JSON or CSV data, or
//!   as an SVG/PNG figure for slides (drawn by `nnlab-figures`, like the web app).
//! - `nnlab summary`: the lecture's model table for an MLP.
//! - `nnlab train`: the lecture's network trained on CIFAR-10, epoch by epoch.
//! - `nnlab eval`: a saved model's test loss, accuracy and confusion matrix.
//! - `nnlab features`: hand-made features (HOG + hues) against raw pixels and
//!   the lecture's MLP, on the same images and budget.
//! - `nnlab data fetch` / `nnlab data check`: get CIFAR-10, or see what a path holds.
//!
//! Every error is one line on stderr ("error: …") and a non-zero exit status.

#![warn(missing_docs)]

mod checksum;
mod cifar;
mod cli;
mod data_check;
mod descend;
mod download;
mod error;
mod eval;
mod evaluate;
mod export;
mod features;
mod fetch;
mod figure;
mod hyper;
mod model_file;
mod output;
mod parse;
mod progress;
mod run;
mod summary;
mod train;

use clap::Parser;
use cli::{Cli, Command, DataCommand};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(e),
    };
    let result = match cli.command {
        Command::Descend(args) => descend::run(&args),
        Command::Summary(args) => summary::run(&args),
        Command::Train(args) => train::run(&args),
        Command::Eval(args) => eval::run(&args),
        Command::Features(args) => features::run(&args),
        Command::Export(args) => export::run(&args),
        Command::Data(DataCommand::Fetch(args)) => fetch::run(&args),
        Command::Data(DataCommand::Check(args)) => data_check::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Names from files and paths are quoted, never obeyed by the terminal.
            eprintln!("error: {}", nnlab::printable(&e.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// Help and version print as clap has them; usage errors are cut down to one line
/// (clap adds a usage block and a "try --help" hint).
fn clap_exit(e: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            // Printing help can only fail on a closed stdout; nothing useful to add then.
            let _ = e.print();
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(2)
        }
        _ => {
            eprintln!("{}", nnlab::printable(&one_line(&e.render().to_string())));
            ExitCode::from(2)
        }
    }
}

/// clap's message without its usage block and hints, joined into one line:
/// "error: the following required arguments were not provided: --surface <SURFACE>".
fn one_line(text: &str) -> String {
    text.lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("tip:"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn clap_messages_become_one_line() {
        let text = "error: the following required arguments were not provided:\n  --surface <SURFACE>\n\nUsage: nnlab descend --surface <SURFACE>\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(text),
            "error: the following required arguments were not provided: --surface <SURFACE>"
        );
    }
}
