//! The lecture's table "Designed by LiMu-CS329 and edit by ouxinyu": what data,
//! memory and compute looked like in each decade from 1970 to 2020, as
//! powers of ten for the chart and as the slide prints them for the table.

use crate::i18n::Key;

/// The table's columns.
pub const DECADES: [usize; 6] = [1970, 1980, 1990, 2000, 2010, 2020];

/// One row of the table that the chart draws as a line.
pub struct Series {
    /// Its name in the legend and the table.
    pub name: Key,
    /// log₁₀ of the value in each decade.
    pub log10: [f64; 6],
    /// The line's colour.
    pub rgb: [u8; 3],
}

/// Data: the largest data set the slide lists for each decade, in samples —
/// 10² (Iris), 10³, 10⁴, 10⁷ (100×100 RGB), 10⁹ (32×32 RGB), 10¹² (social networks).
pub const DATA: Series = Series {
    name: Key::WhyRowData,
    log10: [2.0, 3.0, 4.0, 7.0, 9.0, 12.0],
    rgb: [0x2f, 0x9e, 0x44],
};

/// Memory: 1 KB, 100 KB, 10 MB, 100 MB, 1 GB, 100 GB, in bytes.
pub const RAM: Series = Series {
    name: Key::WhyRowRam,
    log10: [3.0, 5.0, 7.0, 8.0, 9.0, 11.0],
    rgb: [0xe6, 0x77, 0x00],
};

/// Compute: 10 KF, 1 MF, 10 MF, 1 GF, 100 GF, more than 1 PF, in floating
/// point operations per second (the chips of the slide's "GPU" row).
pub const FLOPS: Series = Series {
    name: Key::WhyRowFlops,
    log10: [4.0, 6.0, 7.0, 9.0, 11.0, 15.0],
    rgb: [0x3b, 0x4f, 0xd8],
};

/// The three lines of the chart, in the order of the table.
pub const SERIES: [&Series; 3] = [&DATA, &RAM, &FLOPS];

/// The slide's memory row as printed.
pub const RAM_CELLS: [&str; 6] = ["1 KB", "100 KB", "10 MB", "100 MB", "1 GB", "100 GB"];
/// The slide's compute row as printed (F = FLOP/s).
pub const FLOPS_CELLS: [&str; 6] = ["10 KF", "1 MF", "10 MF", "1 GF", "100 GF", "> 1 PF"];
/// The slide's chip row (it is headed "GPU"; the first four are Intel CPUs).
pub const CHIP_CELLS: [&str; 6] = [
    "8080",
    "80186",
    "80486",
    "Intel Core",
    "nVidia GPU · CUDA",
    "8× P3 Volta · TPU",
];
/// The slide's last row (headed "TPU"): how much compute grew since the decade before.
pub const GROWTH_CELLS: [&str; 6] = ["", "100×", "10×", "100×", "1000×", "10000×"];

/// Where a measured speed falls among the decades of the compute row.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Equivalent {
    /// The year whose compute it matches, read off the line between two
    /// decades on the log scale (kept within 1970–2020).
    pub year: f64,
    /// The column whose compute is nearest on the log scale.
    pub nearest: usize,
    /// Below the 1970 column or above the 2020 one.
    pub outside: bool,
}

/// Where `flops_per_second` falls on the compute row.
pub fn equivalent(flops_per_second: f64) -> Option<Equivalent> {
    if !(flops_per_second > 0.0 && flops_per_second.is_finite()) {
        return None;
    }
    let level = flops_per_second.log10();
    let logs = FLOPS.log10;
    // The nearest column; on a tie (exactly between two), the later one.
    let mut nearest = 0;
    for (i, &l) in logs.iter().enumerate() {
        if (l - level).abs() <= (logs[nearest] - level).abs() {
            nearest = i;
        }
    }
    let last = logs.len() - 1;
    let (year, outside) = if level < logs[0] {
        (DECADES[0] as f64, true)
    } else if level > logs[last] {
        (DECADES[last] as f64, true)
    } else {
        let i = (0..last)
            .find(|&i| level <= logs[i + 1])
            .unwrap_or(last - 1);
        let t = (level - logs[i]) / (logs[i + 1] - logs[i]);
        let span = (DECADES[i + 1] - DECADES[i]) as f64;
        (DECADES[i] as f64 + t * span, false)
    };
    Some(Equivalent {
        year,
        nearest,
        outside,
    })
}

/// The growth from one decade's compute to the next, as the slide's last row
/// should read it: 10^(log₁₀ now − log₁₀ before).
pub fn growth(decade: usize) -> Option<f64> {
    let now = FLOPS.log10.get(decade)?;
    let before = FLOPS.log10.get(decade.checked_sub(1)?)?;
    Some(10f64.powf(now - before))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_speed_finds_its_decade() {
        // 1 GF is the 2000 column exactly.
        let e = equivalent(1e9).unwrap();
        assert_eq!((e.year, e.nearest, e.outside), (2000.0, 3, false));
        // 20 GFLOP/s: log 10.301, between 2000 (9) and 2010 (11): 2000 + 10·1.301/2 = 2006.5,
        // nearer 11 than 9.
        let e = equivalent(2e10).unwrap();
        assert!((e.year - 2006.505).abs() < 1e-3, "{}", e.year);
        assert_eq!(e.nearest, 4);
        // 3 GFLOP/s: log 9.477, nearer 9 (2000).
        assert_eq!(equivalent(3e9).unwrap().nearest, 3);
        // Exactly between 1 GF and 100 GF: the later column.
        assert_eq!(equivalent(1e10).unwrap().nearest, 4);
        // Off the table on either side.
        let slow = equivalent(1e3).unwrap();
        assert_eq!((slow.year, slow.nearest, slow.outside), (1970.0, 0, true));
        let fast = equivalent(1e16).unwrap();
        assert_eq!((fast.year, fast.nearest, fast.outside), (2020.0, 5, true));
        assert_eq!(equivalent(0.0), None);
        assert_eq!(equivalent(f64::NAN), None);
    }

    #[test]
    fn the_slides_growth_row_against_its_compute_row() {
        // 10 KF → 1 MF = 100×, 1 MF → 10 MF = 10×, 10 MF → 1 GF = 100×:
        // the slide's 100×, 10×, 100×.
        assert_eq!(growth(1), Some(100.0));
        assert_eq!(growth(2), Some(10.0));
        assert_eq!(growth(3), Some(100.0));
        // 1 GF → 100 GF is 100×, where the slide prints 1000×.
        assert_eq!(growth(4), Some(100.0));
        assert_eq!(growth(0), None);
        // The rows line up with the columns.
        for s in SERIES {
            assert!(s.log10.windows(2).all(|w| w[0] < w[1]), "rising");
        }
    }
}
