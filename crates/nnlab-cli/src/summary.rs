//! `nnlab summary`: the lecture's model table.

use crate::cli::{Preset, SummaryArgs};
use crate::error::{CliError, CliResult};
use crate::{output, parse};
use nnlab::nn::{Activation, MlpSpec, Summary};

pub fn run(args: &SummaryArgs) -> CliResult<()> {
    let spec = spec(args)?;
    spec.validate()?;
    if args.batch == 0 {
        return Err(CliError::Usage("batch: must be at least 1".into()));
    }
    output::emit(None, Summary::new(&spec, args.batch).to_string().as_bytes())
}

fn spec(args: &SummaryArgs) -> CliResult<MlpSpec> {
    let activation = Activation::from_name(&args.activation)?;
    match (args.preset, args.input, &args.layers) {
        (Some(Preset::Lecture), ..) => Ok(MlpSpec {
            activation,
            ..MlpSpec::lecture()
        }),
        (Some(Preset::LectureCifar), ..) => Ok(MlpSpec {
            activation,
            ..MlpSpec::lecture_cifar()
        }),
        (None, Some(input), Some(layers)) => Ok(MlpSpec {
            input,
            layers: parse::widths(layers)?,
            activation,
        }),
        _ => Err(CliError::Usage(
            "summary needs --preset lecture|lecture-cifar, or --input N --layers A,B,…".into(),
        )),
    }
}
