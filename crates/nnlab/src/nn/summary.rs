//! The lecture's model table, in the style of `paddle.summary`: one row per
//! layer with its input and output shape for a given batch size and its
//! parameter count, then the totals.
//!
//! ```text
//! ---------------------------------------------------------------------------
//!  Layer (type)       Input Shape          Output Shape         Param #
//! ===========================================================================
//!    Linear-1        [[10, 30000]]          [10, 100]          3,000,100
//!     ReLU-1          [[10, 100]]           [10, 100]              0
//! …
//! ```

use std::fmt;

use super::{count_text, thousands, MlpSpec};

/// One layer of the table. Activations are rows of their own with 0 parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryRow {
    /// Layer type and its 1-based number among layers of that type: "Linear-1", "ReLU-1".
    pub name: String,
    /// Shape of the input for the table's batch size, e.g. `[10, 30000]`.
    pub input_shape: Vec<usize>,
    /// Shape of the output, e.g. `[10, 100]`.
    pub output_shape: Vec<usize>,
    /// Weights and biases of the layer (0 for activations).
    pub params: usize,
}

impl SummaryRow {
    /// As Paddle prints it: a list of input shapes, `[[10, 30000]]`.
    pub fn input_text(&self) -> String {
        format!("[{}]", shape_text(&self.input_shape))
    }

    /// `[10, 100]`.
    pub fn output_text(&self) -> String {
        shape_text(&self.output_shape)
    }

    /// With thousands separators: `3,000,100` (see [`count_text`]).
    pub fn params_text(&self) -> String {
        count_text(self.params)
    }
}

/// The whole table. `Display` renders it as text; front ends can also lay out
/// [`Summary::rows`] themselves (the web shows an HTML table).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// One row per layer and activation, input side first.
    pub rows: Vec<SummaryRow>,
    /// Parameters of the whole network.
    pub total_params: usize,
}

impl Summary {
    /// The table for `spec` fed batches of `batch` samples.
    pub fn new(spec: &MlpSpec, batch: usize) -> Summary {
        let mut rows = Vec::new();
        let last = spec.layers.len().saturating_sub(1);
        let mut activations = 0;
        for (l, (inputs, outputs)) in spec.layer_sizes().enumerate() {
            rows.push(SummaryRow {
                name: format!("Linear-{}", l + 1),
                input_shape: vec![batch, inputs],
                output_shape: vec![batch, outputs],
                params: inputs.saturating_mul(outputs).saturating_add(outputs),
            });
            match spec.activation.layer_name() {
                Some(kind) if l < last => {
                    activations += 1;
                    rows.push(SummaryRow {
                        name: format!("{kind}-{activations}"),
                        input_shape: vec![batch, outputs],
                        output_shape: vec![batch, outputs],
                        params: 0,
                    });
                }
                _ => {}
            }
        }
        Summary {
            total_params: spec.param_count(),
            rows,
        }
    }

    /// Every parameter of an MLP is trained.
    pub fn trainable_params(&self) -> usize {
        self.total_params
    }

    /// Always 0: every parameter of an MLP is trained (the table prints the line as Paddle does).
    pub fn non_trainable_params(&self) -> usize {
        0
    }
}

/// Column headers and Paddle's minimum column widths.
const HEADERS: [&str; 4] = ["Layer (type)", "Input Shape", "Output Shape", "Param #"];
const MIN_WIDTHS: [usize; 4] = [15, 20, 20, 15];

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cells: Vec<[String; 4]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.name.clone(),
                    r.input_text(),
                    r.output_text(),
                    r.params_text(),
                ]
            })
            .collect();
        // Each column is centred, at least Paddle's width, and wide enough for
        // its longest cell plus a space either side.
        let mut widths = MIN_WIDTHS;
        for row in &cells {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count() + 2);
            }
        }
        let line = |cells: [&str; 4]| -> String {
            let padded: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| format!("{c:^w$}"))
                .collect();
            padded.join(" ").trim_end().to_string()
        };
        let table_width = widths.iter().sum::<usize>() + widths.len() - 1;
        let (thin, thick) = ("-".repeat(table_width), "=".repeat(table_width));

        writeln!(f, "{thin}")?;
        writeln!(f, "{}", line(HEADERS))?;
        writeln!(f, "{thick}")?;
        for row in &cells {
            writeln!(f, "{}", line([&row[0], &row[1], &row[2], &row[3]]))?;
        }
        writeln!(f, "{thick}")?;
        writeln!(f, "Total params: {}", count_text(self.total_params))?;
        writeln!(
            f,
            "Trainable params: {}",
            count_text(self.trainable_params())
        )?;
        writeln!(
            f,
            "Non-trainable params: {}",
            thousands(self.non_trainable_params())
        )?;
        writeln!(f, "{thin}")
    }
}

/// `[10, 100]`.
fn shape_text(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("[{}]", dims.join(", "))
}
