//! f32 storage with a shape: the values networks compute on.
//!
//! Row-major, contiguous, owned. Matrices are `[rows, cols]`; a dense layer's
//! weight is `[out, in]` as in PyTorch; a bias is `[out]`; a scalar is `[]`.

use serde::{Deserialize, Serialize};

/// An n-dimensional array of f32: a shape and its row-major values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tensor {
    shape: Vec<usize>,
    data: Vec<f32>,
}

impl Tensor {
    /// A tensor from its shape and row-major data. Panics if the sizes disagree
    /// (a programming error, not bad user input).
    pub fn new(shape: &[usize], data: Vec<f32>) -> Self {
        assert_eq!(
            shape.iter().product::<usize>(),
            data.len(),
            "shape {shape:?} does not hold {} values",
            data.len()
        );
        Tensor {
            shape: shape.to_vec(),
            data,
        }
    }

    /// All zeros.
    pub fn zeros(shape: &[usize]) -> Self {
        Tensor::new(shape, vec![0.0; shape.iter().product()])
    }

    /// Every element `value`.
    pub fn full(shape: &[usize], value: f32) -> Self {
        Tensor::new(shape, vec![value; shape.iter().product()])
    }

    /// A 0-dimensional tensor holding one value.
    pub fn scalar(value: f32) -> Self {
        Tensor::new(&[], vec![value])
    }

    /// The size of each dimension, outermost first.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The values, row-major.
    pub fn data(&self) -> &[f32] {
        &self.data
    }

    /// The values, row-major, for writing in place.
    pub fn data_mut(&mut self) -> &mut [f32] {
        &mut self.data
    }

    /// The values, row-major, taken out of the tensor without a copy.
    pub fn into_data(self) -> Vec<f32> {
        self.data
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// True if some dimension is 0.
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// Rows and columns of a 2-D tensor. Panics for other ranks.
    pub fn dims2(&self) -> (usize, usize) {
        match self.shape[..] {
            [r, c] => (r, c),
            _ => panic!("expected a matrix, got shape {:?}", self.shape),
        }
    }

    /// The single value of a tensor with one element.
    pub fn item(&self) -> f32 {
        assert_eq!(
            self.data.len(),
            1,
            "item() of a tensor with shape {:?}",
            self.shape
        );
        self.data[0]
    }

    /// Row `i` of a matrix.
    pub fn row(&self, i: usize) -> &[f32] {
        let (_, c) = self.dims2();
        &self.data[i * c..(i + 1) * c]
    }

    /// Same data, new shape with the same number of elements.
    pub fn reshape(mut self, shape: &[usize]) -> Self {
        assert_eq!(shape.iter().product::<usize>(), self.data.len());
        self.shape = shape.to_vec();
        self
    }
}
