//! Optimiser hyper-parameters from the command line: the ones given, the
//! optimiser's PyTorch defaults for the rest, validated by the core.

use crate::cli::HyperArgs;
use crate::error::CliResult;
use nnlab::optim::{Hyper, OptimizerKind};
use std::collections::BTreeMap;

/// `args` over the defaults of `kind`; NaN, ∞, a non-positive learning rate,
/// a momentum outside [0, 1), … are refused with the core's message.
pub fn resolve(kind: OptimizerKind, args: &HyperArgs) -> CliResult<Hyper> {
    let defaults = Hyper::defaults(kind);
    let hyper = Hyper {
        lr: args.lr.unwrap_or(defaults.lr),
        momentum: args.momentum.unwrap_or(defaults.momentum),
        beta1: args.beta1.unwrap_or(defaults.beta1),
        beta2: args.beta2.unwrap_or(defaults.beta2),
        alpha: args.alpha.unwrap_or(defaults.alpha),
        eps: args.eps.unwrap_or(defaults.eps),
    };
    hyper.validate()?;
    Ok(hyper)
}

/// The hyper-parameters `kind` actually reads, by name ("lr", "momentum", …).
pub fn used(kind: OptimizerKind, hyper: &Hyper) -> BTreeMap<&'static str, f64> {
    kind.hyper_names()
        .iter()
        .filter_map(|&name| {
            let value = match name {
                "lr" => hyper.lr,
                "momentum" => hyper.momentum,
                "beta1" => hyper.beta1,
                "beta2" => hyper.beta2,
                "alpha" => hyper.alpha,
                "eps" => hyper.eps,
                _ => return None,
            };
            Some((name, value))
        })
        .collect()
}

/// "adam (beta1 0.9, beta2 0.999, eps 1e-8, lr 0.001)" for headers and logs
/// (Debug formatting: the shortest round-trip form, with an exponent for
/// very small or large values).
pub fn describe(kind: OptimizerKind, hyper: &Hyper) -> String {
    let values: Vec<String> = used(kind, hyper)
        .into_iter()
        .map(|(name, value)| format!("{name} {value:?}"))
        .collect();
    format!("{} ({})", kind.name(), values.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adam_is_described_by_the_four_values_it_reads() {
        let hyper = Hyper::defaults(OptimizerKind::Adam);
        // BTreeMap order: alphabetical.
        assert_eq!(
            describe(OptimizerKind::Adam, &hyper),
            "adam (beta1 0.9, beta2 0.999, eps 1e-8, lr 0.001)"
        );
        let sgd = Hyper {
            lr: 1e20,
            ..Hyper::defaults(OptimizerKind::Sgd)
        };
        assert_eq!(describe(OptimizerKind::Sgd, &sgd), "sgd (lr 1e20)");
    }
}
