//! Downloading a file over HTTP(S) into an open file, with a progress bar
//! and its checksums. Nothing here decides whether the result is kept: see
//! `fetch`, which downloads into a temporary file and renames it only once
//! the md5 is right.

use crate::checksum::{self, Sums};
use crate::error::{CliError, CliResult};
use crate::progress;
use std::fs::File;
use std::io::BufWriter;
use std::time::Duration;

/// The official address of CIFAR-10's binary version.
pub const OFFICIAL_URL: &str = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";
/// The md5 the CIFAR-10 page publishes for that file.
pub const OFFICIAL_MD5: &str = "c32a1d4ab5d03f1284b67883e8d87530";

/// Give up on a server that does not answer or stalls this long.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// GET `url` into `file`; the sums of what arrived. An HTTP error status, a
/// connection that breaks or a body shorter than its Content-Length is an
/// error.
pub fn download(url: &str, file: &mut File) -> CliResult<Sums> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(CONNECT_TIMEOUT))
        .timeout_per_read(Some(READ_TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    let response = agent
        .get(url)
        .call()
        .map_err(|e| CliError::Fetch(format!("cannot download {url}: {e}")))?;
    let status = response.status();
    if !status.is_success() {
        return Err(CliError::Fetch(format!(
            "cannot download {url}: the server answered HTTP {status}"
        )));
    }
    let bar = progress::bytes(response.body().content_length(), "downloading", false);
    let mut body = response.into_body().into_reader();
    let copied = checksum::copy_hashing(&mut body, &mut BufWriter::new(file), &bar);
    bar.finish_and_clear();
    copied.map_err(|e| {
        CliError::Fetch(format!(
            "the download of {url} stopped after {} bytes: {e}",
            bar.position()
        ))
    })
}
