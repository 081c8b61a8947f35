//! `nnlab export`: a Python script that rebuilds a saved network in PyTorch,
//! Paddle or NumPy (`nnlab::python`), next to the safetensors file it loads.

use crate::cli::ExportArgs;
use crate::error::CliResult;
use crate::model_file::{self, Format};
use crate::output;
use nnlab::python::{self, Framework};
use std::path::Path;

pub fn run(args: &ExportArgs) -> CliResult<()> {
    let framework = Framework::from_name(&args.framework)?;
    let net = model_file::read(&args.model)?;
    // The script loads safetensors: a JSON model gets its safetensors twin beside it.
    let weights = match Format::of(&args.model) {
        Format::Safetensors => args.model.clone(),
        Format::Json => {
            let twin = args.model.with_extension("safetensors");
            model_file::write(&twin, &net.to_saved())?;
            eprintln!("wrote {} (the weights the script loads)", twin.display());
            twin
        }
    };
    let weights_name = file_name(&weights);
    let script = python::script(framework, &net.spec, &weights_name);
    match args.out.as_deref() {
        Some(path) if path == Path::new("-") => output::emit(None, script.as_bytes()),
        out => {
            let path = out
                .map(Path::to_path_buf)
                .unwrap_or_else(|| weights.with_file_name(framework.script_name(&weights_name)));
            output::write_file(&path, script.as_bytes())?;
            eprintln!(
                "wrote {}: run `python {} {} cifar-10-binary.tar.gz` beside it",
                path.display(),
                file_name(&path),
                weights_name
            );
            Ok(())
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
