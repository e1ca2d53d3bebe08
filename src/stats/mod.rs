//! Statistics. Every function here takes validated input ([`Sample`]); the rest of the
//! code never re-checks for empty sets or NaN.

mod bootstrap;
mod holm;
mod mann_whitney;
mod percentile;
mod sample;
mod spread;
mod summary;

pub use bootstrap::{BootstrapError, ChangeInterval, bootstrap_change_ci};
pub use holm::holm_adjust;
pub use mann_whitney::{MannWhitney, mann_whitney_u};
pub use percentile::percentile;
pub use sample::{Sample, SampleError};
pub use spread::{RunSpread, SpreadError};
pub use summary::Summary;
