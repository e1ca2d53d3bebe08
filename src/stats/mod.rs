//! Statistics. Every function here takes validated input ([`Sample`]) or validates its
//! own; the rest of the code never re-checks for empty sets or NaN.
//!
//! Each definition matches a reference a user can re-check: percentiles = numpy's
//! `quantile(method="linear")`, Mann–Whitney = scipy's `mannwhitneyu(method="asymptotic")`,
//! Holm = statsmodels' `multipletests(method="holm")`. The bootstrap is explicitly seeded.

mod bootstrap;
mod holm;
mod mann_whitney;
mod percentile;
mod sample;
mod spread;
mod summary;

pub use bootstrap::{BootstrapError, ChangeInterval, bootstrap_change_ci, bootstrap_change_cis};
pub use holm::holm_adjust;
pub use mann_whitney::{MannWhitney, mann_whitney_u};
pub use percentile::percentile;
pub use sample::{Sample, SampleError};
pub use spread::{RunSpread, SpreadError};
pub use summary::Summary;

mod paired;
mod wilcoxon;
pub use paired::{PAIRED_CONFIDENCE, PairedChange, paired_change};
pub use wilcoxon::{Wilcoxon, WilcoxonError, WilcoxonMethod, wilcoxon_signed_rank};
