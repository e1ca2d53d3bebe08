//! Statistics. Every function here takes validated input ([`Sample`]); the rest of the
//! code never re-checks for empty sets or NaN.

mod percentile;
mod sample;
mod summary;

pub use percentile::percentile;
pub use sample::{Sample, SampleError};
pub use summary::Summary;
