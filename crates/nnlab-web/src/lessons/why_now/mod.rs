//! Lesson: the key factors behind deep learning's rise. The lecture's table
//! of data set sizes, memory and compute per decade (1970–2020) as a
//! log-scale chart; this browser's own GFLOP/s, measured with the core's GEMM
//! kernel (the one the Dense layer runs) and placed on the chart; the three
//! drivers (data, hardware, algorithms); LeNet 1989, LSTM 1997 and 2012 on a
//! timeline; and the investment that followed.
//!
//! - [`decades`]: the lecture's table, as numbers and as it prints;
//! - [`meter`]: the GEMM throughput meter, run in slices so the page keeps drawing;
//! - [`model`]: the chosen decade and the measurement (tested natively);
//! - [`query`]: the chosen decade in a link (`decade=2010`);
//! - [`chart`]: the log-scale chart on a canvas;
//! - [`view`]: the page.

pub mod chart;
pub mod decades;
pub mod meter;
pub mod model;
pub mod query;
pub mod view;
