//! The bench binary's command line, as `cargo bench` and criterion users give it: a filter,
//! `--bench`, `--list`, `--exact`, and criterion's other flags (a few applied, the rest
//! accepted and ignored).

use std::sync::OnceLock;
use std::time::Duration;

use super::context::Settings;

/// What the standalone bench binary was asked to do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Args {
    /// Substring (or, with `exact`, the whole id) a benchmark must match.
    pub filter: Option<String>,
    /// Match the filter exactly.
    pub exact: bool,
    /// List the benchmarks instead of running them.
    pub list: bool,
    /// Measure (`--bench`, as `cargo bench` passes); without it every benchmark runs once,
    /// as a test (what `cargo test --benches` does).
    pub bench: bool,
    /// Settings overriding the benches' own.
    pub overrides: Overrides,
}

/// Settings given on the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Overrides {
    /// `--sample-size N`.
    pub sample_size: Option<u32>,
    /// `--measurement-time SECONDS`.
    pub measurement_time: Option<Duration>,
    /// `--warm-up-time SECONDS`.
    pub warm_up_time: Option<Duration>,
}

/// Criterion flags taking a value that are accepted and ignored.
const IGNORED_WITH_VALUE: &[&str] = &[
    "--save-baseline",
    "-s",
    "--baseline",
    "-b",
    "--baseline-lenient",
    "--load-baseline",
    "--color",
    "-c",
    "--format",
    "--output-format",
    "--plotting-backend",
    "--profile-time",
    "--significance-level",
    "--noise-threshold",
    "--confidence-level",
    "--nresamples",
];

/// Criterion and libtest flags without a value that are accepted and ignored.
const IGNORED: &[&str] = &[
    "--noplot",
    "-n",
    "--discard-baseline",
    "--quiet",
    "--verbose",
    "-v",
    "--nocapture",
    "--show-output",
    "--ignored",
    "--include-ignored",
];

impl Args {
    /// Parses the arguments after the program name.
    pub fn parse(args: &[String]) -> Result<Args, String> {
        let mut out = Args::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
                _ => (arg.as_str(), None),
            };
            let mut value = |name: &str| {
                inline
                    .clone()
                    .or_else(|| it.next().cloned())
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            let seconds = |name: &str, v: String| {
                v.parse::<f64>()
                    .ok()
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .map(Duration::from_secs_f64)
                    .ok_or_else(|| format!("{name}: expected seconds > 0, got {v:?}"))
            };
            match flag {
                "--bench" => out.bench = true,
                "--test" => out.bench = false,
                "--list" => out.list = true,
                "--exact" => out.exact = true,
                "--sample-size" => {
                    let v = value(flag)?;
                    let n =
                        v.parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                            format!("--sample-size: expected a count ≥ 1, got {v:?}")
                        })?;
                    out.overrides.sample_size = Some(n);
                }
                "--measurement-time" => {
                    out.overrides.measurement_time = Some(seconds(flag, value(flag)?)?)
                }
                "--warm-up-time" => out.overrides.warm_up_time = Some(seconds(flag, value(flag)?)?),
                f if IGNORED_WITH_VALUE.contains(&f) => {
                    value(f)?;
                }
                f if IGNORED.contains(&f) => {}
                f if f.starts_with('-') => return Err(format!("unknown flag {f}")),
                _ if out.filter.is_none() => out.filter = Some(arg.clone()),
                _ => return Err(format!("a second filter {arg:?}: give one")),
            }
        }
        Ok(out)
    }

    /// Whether benchmark `id` is selected.
    pub fn selects(&self, id: &str) -> bool {
        match (&self.filter, self.exact) {
            (None, _) => true,
            (Some(f), true) => id == f,
            (Some(f), false) => id.contains(f.as_str()),
        }
    }
}

static OVERRIDES: OnceLock<Overrides> = OnceLock::new();

/// Records the command line's overrides for [`apply_overrides`] (once per process).
pub fn set_overrides(overrides: Overrides) {
    let _ = OVERRIDES.set(overrides);
}

/// Applies the command line's overrides to a `Criterion`'s settings.
pub fn apply_overrides(settings: &mut Settings) {
    if let Some(o) = OVERRIDES.get() {
        if let Some(n) = o.sample_size {
            settings.sample_size = n;
        }
        if let Some(t) = o.measurement_time {
            settings.measurement_time = t;
        }
        if let Some(t) = o.warm_up_time {
            settings.warm_up_time = t;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, String> {
        let v: Vec<String> = line.split_whitespace().map(String::from).collect();
        Args::parse(&v)
    }

    #[test]
    fn cargo_bench_lines_parse() {
        let a = parse("parse/ --bench").unwrap();
        assert!(a.bench && !a.list && a.filter.as_deref() == Some("parse/"));
        assert!(a.selects("parse/1024") && !a.selects("encode/1"));
        let a = parse("--bench --exact parse/1024 --noplot --save-baseline main").unwrap();
        assert!(a.selects("parse/1024") && !a.selects("parse/10240"));
        let a = parse("--list").unwrap();
        assert!(a.list && !a.bench);
        let a = parse("--bench --sample-size 20 --measurement-time=2").unwrap();
        assert_eq!(a.overrides.sample_size, Some(20));
        assert_eq!(a.overrides.measurement_time, Some(Duration::from_secs(2)));
    }

    #[test]
    fn bad_lines_name_the_flag() {
        assert!(parse("--frobnicate").unwrap_err().contains("--frobnicate"));
        assert!(
            parse("--sample-size x")
                .unwrap_err()
                .contains("--sample-size")
        );
        assert!(
            parse("--warm-up-time")
                .unwrap_err()
                .contains("--warm-up-time")
        );
        assert!(parse("a b").unwrap_err().contains("second filter"));
    }
}
