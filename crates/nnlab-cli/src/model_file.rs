//! Model files on disk: nnlab's JSON, or a PyTorch `state_dict` in
//! safetensors (`nnlab::nn::state_dict`). Writing picks the format by the
//! file's extension; reading looks at the bytes, so a renamed file loads.

use crate::error::{CliError, CliResult};
use crate::output;
use nnlab::nn::saved::SavedModel;
use nnlab::nn::Mlp;
use std::path::Path;

/// The two formats a model is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// nnlab's own JSON (`.json`, and any other extension, as before safetensors).
    Json,
    /// `.safetensors`: what PyTorch, Paddle and NumPy load.
    Safetensors,
}

impl Format {
    /// The format a file called `path` gets.
    pub fn of(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("safetensors") => Format::Safetensors,
            _ => Format::Json,
        }
    }
}

/// A model file of either format, read and checked.
pub fn read(path: &Path) -> CliResult<Mlp> {
    let bytes = std::fs::read(path).map_err(|source| CliError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Mlp::from_model_file(&bytes).map_err(|source| CliError::Data {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes `model` to `path` in the format its extension names.
pub fn write(path: &Path, model: &SavedModel) -> CliResult<()> {
    let bytes = match Format::of(path) {
        Format::Json => model.to_json()?.into_bytes(),
        Format::Safetensors => model.to_safetensors()?,
    };
    output::write_file(path, &bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_by_extension() {
        assert_eq!(Format::of(Path::new("m.safetensors")), Format::Safetensors);
        assert_eq!(
            Format::of(Path::new("dir/M.SafeTensors")),
            Format::Safetensors
        );
        assert_eq!(Format::of(Path::new("m.json")), Format::Json);
        assert_eq!(Format::of(Path::new("model")), Format::Json);
    }
}
