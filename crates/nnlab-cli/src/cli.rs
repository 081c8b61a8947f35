//! The command line, as clap derives it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// nnlab — the lecture "First look at neural networks" from the terminal:
/// optimiser paths on loss surfaces (data or slide figures) and model tables.
#[derive(Debug, Parser)]
#[command(name = "nnlab", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run an optimiser on a loss surface and print the path (JSON, CSV) or draw it (SVG, PNG).
    Descend(DescendArgs),
    /// Print the layer table of a multi-layer perceptron, as in the lecture.
    Summary(SummaryArgs),
}

#[derive(Debug, Args)]
pub struct DescendArgs {
    /// Loss surface: rosenbrock, beale, himmelblau, ill-conditioned, saddle, plateau, double-well.
    #[arg(long)]
    pub surface: String,
    /// Optimiser: sgd, momentum, nesterov, adagrad, rmsprop, adam.
    #[arg(long)]
    pub optimizer: String,
    /// Learning rate [default: the optimiser's PyTorch default].
    #[arg(long, allow_negative_numbers = true)]
    pub lr: Option<f64>,
    /// Number of steps (the output has steps + 1 points).
    #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
    pub steps: usize,
    /// Start point "X" or "X,Y" (write --start=-1.5,2 for negatives) [default: the surface's].
    #[arg(long, allow_hyphen_values = true)]
    pub start: Option<String>,
    /// Momentum factor μ (momentum, nesterov) [default: 0.9].
    #[arg(long, allow_negative_numbers = true)]
    pub momentum: Option<f64>,
    /// Adam's β1 [default: 0.9].
    #[arg(long, allow_negative_numbers = true)]
    pub beta1: Option<f64>,
    /// Adam's β2 [default: 0.999].
    #[arg(long, allow_negative_numbers = true)]
    pub beta2: Option<f64>,
    /// RMSProp's α [default: 0.99].
    #[arg(long, allow_negative_numbers = true)]
    pub alpha: Option<f64>,
    /// ε of the adaptive methods [default: 1e-10 for adagrad, 1e-8 otherwise].
    #[arg(long, allow_negative_numbers = true)]
    pub eps: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// Write to this file instead of standard output (required for png).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Figure size in pixels for svg and png, "WIDTHxHEIGHT".
    #[arg(long, default_value = "1200x900")]
    pub size: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Svg,
    Png,
}

#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// A network from the lecture.
    #[arg(long, value_enum, conflicts_with_all = ["input", "layers"])]
    pub preset: Option<Preset>,
    /// Input size, e.g. 3072 for a 32×32 colour image.
    #[arg(long, requires = "layers")]
    pub input: Option<usize>,
    /// Layer widths, the last being the number of classes, e.g. 100,256,256,10.
    #[arg(long, requires = "input")]
    pub layers: Option<String>,
    /// Batch size shown in the shapes.
    #[arg(long, default_value_t = 10)]
    pub batch: usize,
    /// Activation after every layer but the last: relu, sigmoid, tanh, identity.
    #[arg(long, default_value = "relu")]
    pub activation: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Preset {
    /// 100×100 colour images: 30000 → 100 → 256 → 256 → 10.
    Lecture,
    /// CIFAR-10's 32×32 colour images: 3072 → 100 → 256 → 256 → 10.
    LectureCifar,
}
