//! Feature engineering versus end-to-end learning (the lecture's
//! 特征工程 slide): the hand-made image features of classic computer vision,
//! and the three pipelines the lesson races on the same images.
//!
//! - [`grey`]: a colour image as brightness (scikit-image's `rgb2gray`).
//! - [`hog`]: histograms of oriented gradients (Dalal–Triggs), per cell and
//!   as block-normalised feature vector, as scikit-image computes them.
//! - [`colour_histogram`]: the fraction of pixels per tenth of the hue circle.
//! - [`extract`]: both for one image or a whole dataset (334 values per
//!   CIFAR-10 image).
//! - [`standardise`]: mean 0 and deviation 1 per input, fitted on the
//!   training set.
//! - [`pipeline`]: `raw-linear`, `features-linear` and `mlp`, trained by the
//!   ordinary [`Trainer`](crate::train::Trainer).
//!
//! The HOG of an image with a vertical edge in the middle: all the gradient
//! is horizontal (0°, the first bin), in the two middle columns of cells.
//!
//! ```
//! use nnlab::features::hog::{cell_histograms, HogParams};
//!
//! // 32×32, dark left half (0.0), bright right half (1.0).
//! let grey: Vec<f64> = (0..32 * 32).map(|i| if i % 32 < 16 { 0.0 } else { 1.0 }).collect();
//! let cells = cell_histograms(&grey, 32, 32, HogParams::DALAL_TRIGGS)?;
//! assert_eq!((cells.rows(), cells.cols()), (4, 4));
//! // Columns 15 and 16 have |g_col| = 1; each cell holds 8 of them: 8/64.
//! assert_eq!(cells.cell(0, 1)[0], 0.125);
//! assert_eq!(cells.cell(0, 2)[0], 0.125);
//! assert!(cells.cell(0, 0).iter().all(|&v| v == 0.0));
//! # Ok::<(), nnlab::Error>(())
//! ```

pub mod colour_histogram;
pub mod extract;
pub mod grey;
pub mod hog;
pub mod pipeline;
pub mod standardise;

pub use pipeline::{Pipeline, Prepared};
pub use standardise::{Standardised, Standardiser};
