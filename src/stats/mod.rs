//! Statistics. Every function here takes validated input ([`Sample`]) or validates its
//! own; the rest of the code never re-checks for empty sets or NaN.
//!
//! Each definition matches a reference a user can re-check: percentiles = numpy's
//! `quantile(method="linear")`, the run-level prediction test = scipy's Student t,
//! Holm = statsmodels' `multipletests(method="holm")`. The bootstrap is explicitly seeded.

mod bootstrap;
pub mod changepoint;
mod holm;
mod percentile;
mod prediction;
mod sample;
mod speed_factor;
mod spread;
mod summary;

pub use bootstrap::{BootstrapError, ChangeInterval, bootstrap_change_ci, bootstrap_change_cis};
pub use holm::holm_adjust;
pub use percentile::percentile;
pub use prediction::{Prediction, PredictionError, prediction_test};
pub use sample::{Sample, SampleError};
pub use speed_factor::{MIN_BENCHMARKS, SpeedFactors, run_factors, speed_factors};
pub use spread::{RunSpread, SpreadError};
pub use summary::Summary;

mod paired;
mod sequential;
pub mod sequential_sim;
mod wilcoxon;
pub use paired::{PAIRED_CONFIDENCE, PairedChange, paired_change, paired_change_at};
pub use sequential::{Call, INTERVAL_MISS, LookPlan, Looked, StopRule, sequential_calls};
pub use wilcoxon::{Wilcoxon, WilcoxonError, WilcoxonMethod, wilcoxon_signed_rank};
