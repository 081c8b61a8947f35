//! How many Web Workers train: one per core, up to [`DEFAULT_MAX`] (the
//! training Worker and helpers that each compute part of every batch; see
//! `nnlab_worker::helpers`). `?workers=N` in the page's address (1 to
//! [`LIMIT`]) overrides it, e.g. `?workers=1` to compare with one Worker.

/// Workers used by default at most: past four, the copies of the weights
/// and gradients between Workers eat what another core would add.
pub const DEFAULT_MAX: usize = 4;
/// The most `?workers=` may ask for.
pub const LIMIT: usize = 8;

/// The Workers for a page whose address has the query `search` on a machine
/// with `cores` logical processors (`navigator.hardwareConcurrency`).
pub fn requested(search: &str, cores: usize) -> usize {
    let asked = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("workers="))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=LIMIT).contains(n));
    asked.unwrap_or_else(|| cores.clamp(1, DEFAULT_MAX))
}

/// For this page on this machine.
pub fn detect() -> usize {
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
    fn one_per_core_up_to_four_unless_the_address_says() {
        assert_eq!(requested("", 2), 2);
        assert_eq!(requested("", 16), 4);
        assert_eq!(requested("", 0), 1);
        assert_eq!(requested("?workers=1", 16), 1);
        assert_eq!(requested("?lang=zh&workers=6", 2), 6);
        // Out of range or not a number: the default.
        assert_eq!(requested("?workers=0", 2), 2);
        assert_eq!(requested("?workers=99", 2), 2);
        assert_eq!(requested("?workers=two", 3), 3);
    }
}
