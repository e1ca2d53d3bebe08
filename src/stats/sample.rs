//! A validated set of measurements: non-empty, finite, non-negative.

/// Why a set of values is not a valid sample.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SampleError {
    /// No values at all.
    #[error("no samples")]
    Empty,
    /// A value is NaN or infinite.
    #[error("sample {index} is not a finite number ({value})")]
    NotFinite {
        /// Position of the value in the input.
        index: usize,
        /// The value itself.
        value: f64,
    },
    /// A value is below zero (a duration cannot be).
    #[error("sample {index} is negative ({value})")]
    Negative {
        /// Position of the value in the input.
        index: usize,
        /// The value itself.
        value: f64,
    },
}

/// Measurements in the order taken, plus a sorted copy for order statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    values: Vec<f64>,
    sorted: Vec<f64>,
}

impl Sample {
    /// Validates `values`: at least one value, all finite and non-negative.
    pub fn new(values: Vec<f64>) -> Result<Self, SampleError> {
        if values.is_empty() {
            return Err(SampleError::Empty);
        }
        for (index, &value) in values.iter().enumerate() {
            if !value.is_finite() {
                return Err(SampleError::NotFinite { index, value });
            }
            if value < 0.0 {
                return Err(SampleError::Negative { index, value });
            }
        }
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        Ok(Sample { values, sorted })
    }

    /// The values in the order they were taken.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// The values in ascending order.
    pub fn sorted(&self) -> &[f64] {
        &self.sorted
    }

    /// Number of values (never zero).
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Always false: a `Sample` cannot be empty. Present for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_empty_nan_infinite_and_negative() {
        assert_eq!(Sample::new(vec![]), Err(SampleError::Empty));
        assert!(matches!(
            Sample::new(vec![1.0, f64::NAN]),
            Err(SampleError::NotFinite { index: 1, .. })
        ));
        assert!(matches!(
            Sample::new(vec![f64::INFINITY]),
            Err(SampleError::NotFinite { index: 0, .. })
        ));
        assert!(matches!(
            Sample::new(vec![1.0, 2.0, -3.0]),
            Err(SampleError::Negative { index: 2, .. })
        ));
    }

    #[test]
    fn keeps_order_taken_and_sorted_copy() {
        let s = Sample::new(vec![3.0, 1.0, 2.0]).unwrap();
        assert_eq!(s.values(), &[3.0, 1.0, 2.0]);
        assert_eq!(s.sorted(), &[1.0, 2.0, 3.0]);
        assert_eq!(s.len(), 3);
    }
}
