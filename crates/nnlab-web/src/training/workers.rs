//! How many Web Workers may train: one per core, up to [`DEFAULT_MAX`] (the
//! training Worker and helpers that each own rows of every layer; see
//! `nnlab_worker::team`), used only while trials of the run's own steps (at
//! its start and every 20 s of training) find them faster than one.
//! `?workers=N` in the page's address (1 to
//! [`LIMIT`]) overrides both, e.g. `?workers=1` to compare with one Worker.

/// Workers offered by default at most: each exchange waits for the slowest
/// Worker, and the page needs a core to draw.
pub const DEFAULT_MAX: usize = 4;

/// What the page asks the training Worker for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Requested {
    /// Workers in all, the training Worker included.
    pub workers: usize,
    /// Measure before using them (the default), or use them (asked for).
    pub measure: bool,
}
/// The most `?workers=` may ask for.
pub const LIMIT: usize = 8;

/// The Workers for a page whose address has the query `search` on a machine
/// with `cores` logical processors (`navigator.hardwareConcurrency`).
pub fn requested(search: &str, cores: usize) -> Requested {
    let asked = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("workers="))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=LIMIT).contains(n));
    match asked {
        Some(workers) => Requested {
            workers,
            measure: false,
        },
        None => Requested {
            workers: cores.clamp(1, DEFAULT_MAX),
            measure: true,
        },
    }
}

/// For this page on this machine.
pub fn detect() -> Requested {
    let window = web_sys::window();
    let search = window
        .as_ref()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let cores = window.map_or(1.0, |w| w.navigator().hardware_concurrency());
    requested(&search, cores as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_per_core_up_to_four_measured_unless_the_address_says() {
        let measured = |workers| Requested {
            workers,
            measure: true,
        };
        let asked = |workers| Requested {
            workers,
            measure: false,
        };
        assert_eq!(requested("", 2), measured(2));
        assert_eq!(requested("", 16), measured(4));
        assert_eq!(requested("", 0), measured(1));
        assert_eq!(requested("?workers=1", 16), asked(1));
        assert_eq!(requested("?lang=zh&workers=6", 2), asked(6));
        // Out of range or not a number: the default.
        assert_eq!(requested("?workers=0", 2), measured(2));
        assert_eq!(requested("?workers=99", 2), measured(2));
        assert_eq!(requested("?workers=two", 3), measured(3));
    }
}
