//! `nnlab eval`: a saved model on CIFAR-10's test set — loss, accuracy, and
//! the confusion matrix with each class's accuracy, as a table.

use crate::cli::EvalArgs;
use crate::error::CliResult;
use crate::{cifar, evaluate, model_file, output};
use nnlab::metrics::ConfusionMatrix;
use nnlab::nn::thousands;
use std::fmt::Write as _;

pub fn run(args: &EvalArgs) -> CliResult<()> {
    let net = model_file::read(&args.model)?;
    let path = cifar::resolve(args.data.data.as_deref());
    let data = cifar::load(&path, false)?;
    evaluate::check_fits(&net, &data.test, &args.model)?;
    let result = evaluate::evaluate(&net, &data.test)?;

    let mut text = String::new();
    let _ = writeln!(
        text,
        "model     {} ({} parameters)",
        args.model.display(),
        thousands(net.spec.param_count())
    );
    let _ = writeln!(
        text,
        "data      {} test images from {}",
        thousands(result.samples),
        path.display()
    );
    let _ = writeln!(
        text,
        "test loss {:.4}, accuracy {:.2}% ({} of {})\n",
        result.loss,
        100.0 * result.accuracy,
        thousands(result.confusion.correct() as usize),
        thousands(result.samples)
    );
    text.push_str("confusion matrix: rows are the true class, columns the predicted class\n");
    text.push_str(&confusion_table(data.test.class_names(), &result.confusion));
    output::emit(None, text.as_bytes())
}

/// Columns are headed by the first letters of the class names (as many as
/// the widest count needs, at least 5); each row ends with the class's
/// accuracy (recall: the diagonal over the row sum), "-" for a class with
/// no images.
pub fn confusion_table(names: &[String], m: &ConfusionMatrix) -> String {
    let max_count = m.counts().iter().copied().max().unwrap_or(0);
    let cell = max_count.to_string().len().max(5);
    let label = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let mut out = format!("{:label$}", "");
    for name in names {
        let short: String = name.chars().take(cell).collect();
        let _ = write!(out, "  {short:>cell$}");
    }
    out.push_str("  accuracy\n");
    for (c, name) in names.iter().enumerate() {
        let _ = write!(out, "{name:<label$}");
        for pred in 0..names.len() {
            let _ = write!(out, "  {:>cell$}", m.count(c, pred));
        }
        match m.recall(c) {
            Some(recall) => {
                let _ = writeln!(out, "  {:>7.2}%", 100.0 * recall);
            }
            None => out.push_str("         -\n"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_by_hand() {
        // 3 classes. cat: 3 right, 1 taken for a dog → 75%. dog: 2 right → 100%.
        // airplane: never seen → "-".
        let names: Vec<String> = ["cat", "dog", "airplane"].map(String::from).to_vec();
        let mut m = ConfusionMatrix::new(3);
        for (pred, label) in [(0, 0), (0, 0), (0, 0), (1, 0), (1, 1), (1, 1)] {
            m.add(pred, label);
        }
        let expected = [
            "            cat    dog  airpl  accuracy",
            "cat           3      1      0    75.00%",
            "dog           0      2      0   100.00%",
            "airplane      0      0      0         -",
            "",
        ]
        .join("\n");
        assert_eq!(confusion_table(&names, &m), expected);
    }
}
