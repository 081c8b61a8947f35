//! The command line, as clap derives it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// nnlab — the lecture "First look at neural networks" from the terminal:
/// optimiser paths on loss surfaces (data or slide figures), model tables, and the
/// lecture's network trained on CIFAR-10.
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
    /// Train the lecture's network on CIFAR-10 and print loss and accuracy per epoch.
    Train(TrainArgs),
    /// Test a saved model on CIFAR-10's test set: loss, accuracy, confusion matrix.
    Eval(EvalArgs),
    /// Hand-made features against end-to-end learning: standardised pixels, HOG + hue
    /// histogram (both into softmax regression) and the lecture's MLP, on the same images
    /// and budget; prints each one's test accuracy.
    Features(FeaturesArgs),
    /// Write a Python script that rebuilds a saved model in PyTorch, Paddle or NumPy, loads
    /// its weights and prints its CIFAR-10 test accuracy (the figure `eval` gives).
    Export(ExportArgs),
    /// Get the CIFAR-10 archive, or check what a path holds.
    #[command(subcommand)]
    Data(DataCommand),
}

#[derive(Debug, Args)]
pub struct DescendArgs {
    /// Loss surface: rosenbrock, beale, himmelblau, ill-conditioned, saddle, plateau, double-well.
    #[arg(long)]
    pub surface: String,
    /// Optimiser: sgd, momentum, nesterov, adagrad, rmsprop, adam.
    #[arg(long)]
    pub optimizer: String,
    #[command(flatten)]
    pub hyper: HyperArgs,
    /// Number of steps (the output has steps + 1 points).
    #[arg(long, default_value_t = 100, allow_negative_numbers = true)]
    pub steps: usize,
    /// Start point "X" or "X,Y" (write --start=-1.5,2 for negatives) [default: the surface's].
    #[arg(long, allow_hyphen_values = true)]
    pub start: Option<String>,
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
    #[arg(long, requires = "input", allow_hyphen_values = true)]
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

/// The optimiser's hyper-parameters; each one left out takes the optimiser's
/// PyTorch default (see `hyper::resolve`).
#[derive(Debug, Args)]
pub struct HyperArgs {
    /// Learning rate [default: the optimiser's PyTorch default].
    #[arg(long, allow_negative_numbers = true)]
    pub lr: Option<f64>,
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
}

/// Where CIFAR-10 is read from.
#[derive(Debug, Args)]
pub struct DataPathArgs {
    /// CIFAR-10: the cifar-10-binary.tar.gz archive, or a folder with its .bin files
    /// [default: $NNLAB_CIFAR10, else data/cifar-10-binary.tar.gz].
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,
}

/// What every training run on CIFAR-10 shares (`train`, `features`): where
/// the data is, how much of it, how long, which seed.
#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub data: DataPathArgs,
    /// Passes over the training set (the lecture's total_epoch).
    #[arg(long, default_value_t = 30, allow_negative_numbers = true)]
    pub epochs: usize,
    /// Train on only the first N training images (all 50,000 by default).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub train_size: Option<usize>,
    /// Seed of the initial weights and of the shuffles.
    #[arg(long, default_value_t = 0, allow_negative_numbers = true)]
    pub seed: u64,
    /// No progress bars on stderr (standard output is the same).
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub run: RunArgs,
    /// Optimiser: sgd, momentum, nesterov, adagrad, rmsprop, adam.
    #[arg(long, default_value = "adam")]
    pub optimizer: String,
    #[command(flatten)]
    pub hyper: HyperArgs,
    /// Images per mini-batch (the incomplete last batch of an epoch is skipped, as in the lecture).
    #[arg(long, default_value_t = 64, allow_negative_numbers = true)]
    pub batch: usize,
    /// Weight initialiser: zeros, small-uniform, small-normal, xavier-uniform, xavier-normal,
    /// he-uniform, he-normal, pytorch.
    #[arg(long, default_value = "pytorch")]
    pub init: String,
    /// Layer widths after the 3072 inputs, the last being the 10 classes.
    #[arg(long, default_value = "100,256,256,10", allow_hyphen_values = true)]
    pub layers: String,
    /// Activation after every layer but the last: relu, sigmoid, tanh, identity.
    #[arg(long, default_value = "relu")]
    pub activation: String,
    /// Save the trained model to this file: safetensors if it ends in .safetensors
    /// (a PyTorch state_dict: see `nnlab export`), nnlab's JSON otherwise.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Start from a saved model (.json or .safetensors, e.g. a pre-trained one) instead of fresh weights;
    /// its file fixes the layers and activation.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["layers", "init", "activation"])]
    pub from: Option<PathBuf>,
}

/// `nnlab features`: the budget of `train`; the pipelines and their settings are the lesson's.
#[derive(Debug, Args)]
pub struct FeaturesArgs {
    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// The model file `nnlab train --save` wrote (.json or .safetensors).
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,
    #[command(flatten)]
    pub data: DataPathArgs,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The framework the script uses: pytorch, paddle (the lecture's), or numpy (none).
    #[arg(long)]
    pub framework: String,
    /// The model: a .safetensors file, or a .json one (its .safetensors twin is written beside it).
    #[arg(long, value_name = "FILE")]
    pub model: PathBuf,
    /// Where the script goes ("-" for standard output) [default: MODEL_FRAMEWORK.py beside the model].
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DataCommand {
    /// Put cifar-10-binary.tar.gz into a folder: copied from $NNLAB_CIFAR10 or --from when
    /// set, downloaded from the official address otherwise; checked before it is kept.
    Fetch(FetchArgs),
    /// Say what a CIFAR-10 path holds (image counts, class names), or what is wrong with it.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct FetchArgs {
    /// Folder to put cifar-10-binary.tar.gz in (created if needed).
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub dest: PathBuf,
    /// Copy this local cifar-10-binary.tar.gz instead of downloading [default: $NNLAB_CIFAR10].
    #[arg(long, value_name = "PATH", conflicts_with = "url")]
    pub from: Option<PathBuf>,
    /// Download from this address instead (a mirror) [default: the official one,
    /// https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz].
    #[arg(long)]
    pub url: Option<String>,
    /// The md5 the file must have, 32 hex digits [default: the official archive's for a
    /// download; none for a local copy, which may be a re-encoded variant].
    #[arg(long, value_name = "HEX")]
    pub md5: Option<String>,
    /// Fetch again even if the folder already holds a readable archive.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The archive or folder [default: $NNLAB_CIFAR10, else data/cifar-10-binary.tar.gz].
    pub path: Option<PathBuf>,
}
