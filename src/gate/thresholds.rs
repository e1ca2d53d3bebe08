//! thresholds.toml: comparison-wide settings (`[gate]`), defaults per benchmark
//! (`[defaults]`) and `[[rule]]` tables whose `match` glob overrides keys per benchmark.
//! Every error names the file, the line and the key.

use std::path::Path;

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

use super::limits::{
    InconclusivePolicy, Limits, MachinePolicy, MissingPolicy, NewPolicy, TimingPolicy,
    parse_percent,
};
use crate::error::InputError;

/// Parsed thresholds: global settings, defaults, and rules resolved per benchmark by
/// [`Thresholds::for_benchmark`].
#[derive(Debug, Clone)]
pub struct Thresholds {
    /// File the thresholds came from, or "built-in defaults".
    pub file: String,
    /// Family-wise significance level over all timing tests of one comparison against a
    /// committed baseline (`[gate] alpha`).
    pub alpha: f64,
    /// Family-wise significance level of the paired tests of `perfgate ab` (`[ab] alpha`).
    pub ab_alpha: f64,
    /// What timing checks do when the baseline comes from another machine.
    pub machine_mismatch: MachinePolicy,
    /// Whether timing checks can fail the gate.
    pub timing: TimingPolicy,
    /// Bootstrap resamples per confidence interval.
    pub bootstrap_resamples: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// Settings for benchmarks no rule matches.
    pub defaults: Limits,
    /// Limit on the paired P50 change of `perfgate ab` (`[ab] p50`; `None`: off).
    pub ab_p50: Option<f64>,
    /// Against a baseline of fewer than three runs (no usable run-to-run spread), the
    /// smallest timing change called real (`[gate] single_run_change`; `None`: never).
    pub single_run_change: Option<f64>,
    rules: Vec<Rule>,
}

/// One `[[rule]]`: the keys it sets, each with its line.
#[derive(Debug, Clone)]
struct Rule {
    pattern: String,
    matcher: GlobMatcher,
    line: usize,
    keys: Partial,
}

/// Keys a `[defaults]` table or a rule may set, each with the line it is on.
#[derive(Debug, Clone, Default)]
struct Partial {
    p10: Option<(Option<f64>, usize)>,
    p50: Option<(Option<f64>, usize)>,
    p95: Option<(Option<f64>, usize)>,
    p99: Option<(Option<f64>, usize)>,
    alloc_bytes: Option<(Option<f64>, usize)>,
    allocs: Option<(Option<f64>, usize)>,
    noise_floor: Option<(f64, usize)>,
    inconclusive: Option<(InconclusivePolicy, usize)>,
    missing: Option<(MissingPolicy, usize)>,
    new: Option<(NewPolicy, usize)>,
    instructions: Option<(Option<f64>, usize)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    gate: Option<RawGate>,
    defaults: Option<RawKeys>,
    #[serde(default)]
    rule: Vec<RawKeys>,
    ab: Option<RawAb>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAb {
    p50: Option<Spanned<String>>,
    alpha: Option<Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGate {
    alpha: Option<Spanned<f64>>,
    machine_mismatch: Option<Spanned<String>>,
    timing: Option<Spanned<String>>,
    bootstrap_resamples: Option<Spanned<i64>>,
    seed: Option<Spanned<i64>>,
    single_run_change: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeys {
    #[serde(rename = "match")]
    pattern: Option<Spanned<String>>,
    p10: Option<Spanned<String>>,
    p50: Option<Spanned<String>>,
    p95: Option<Spanned<String>>,
    p99: Option<Spanned<String>>,
    alloc_bytes: Option<Spanned<String>>,
    allocs: Option<Spanned<String>>,
    noise_floor: Option<Spanned<String>>,
    inconclusive: Option<Spanned<String>>,
    missing: Option<Spanned<String>>,
    new: Option<Spanned<String>>,
    instructions: Option<Spanned<String>>,
}

/// The built-in defaults are the repository's commented thresholds.toml, compiled in, so
/// the two can never disagree.
const BUILT_IN: &str = include_str!("../../thresholds.toml");

impl Thresholds {
    /// What a key absent from a thresholds file means.
    fn unset() -> Self {
        Thresholds {
            file: String::new(),
            alpha: 0.01,
            ab_alpha: 0.01,
            machine_mismatch: MachinePolicy::Warn,
            timing: TimingPolicy::Gate,
            bootstrap_resamples: 2000,
            seed: 42,
            defaults: Limits::DEFAULT,
            ab_p50: Some(0.02),
            single_run_change: Some(0.25),
            rules: Vec::new(),
        }
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        let mut t = Thresholds::parse(BUILT_IN, Path::new("thresholds.toml"))
            .expect("the committed thresholds.toml is valid");
        t.file = "built-in defaults".to_string();
        t
    }
}

/// Turns byte offsets into 1-based line numbers.
struct Lines<'a>(&'a str);

impl Lines<'_> {
    fn of(&self, offset: usize) -> usize {
        let end = offset.min(self.0.len());
        self.0.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }
}

impl Thresholds {
    /// Reads and validates a thresholds file.
    pub fn load(path: &Path) -> Result<Self, InputError> {
        let text = crate::error::read_text(path)?;
        Self::parse(&text, path)
    }

    /// Parses thresholds from `text`; errors name `path`, the line and the key.
    pub fn parse(text: &str, path: &Path) -> Result<Self, InputError> {
        let lines = Lines(text);
        let fail = |line: usize, key: &str, cause: String| {
            InputError::file(path, format!("line {line}: key `{key}`: {cause}"))
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| lines.of(s.start));
            InputError::file(path, format!("line {line}: {}", e.message().trim()))
        })?;
        let mut out = Thresholds {
            file: path.display().to_string(),
            ..Thresholds::unset()
        };
        if let Some(gate) = raw.gate {
            if let Some(a) = gate.alpha {
                let line = lines.of(a.span().start);
                out.alpha = probability(*a.get_ref()).map_err(|c| fail(line, "alpha", c))?;
            }
            if let Some(m) = gate.machine_mismatch {
                out.machine_mismatch = word(&m, "machine_mismatch", &lines, &fail)?;
            }
            if let Some(m) = gate.timing {
                out.timing = word(&m, "timing", &lines, &fail)?;
            }
            if let Some(r) = gate.bootstrap_resamples {
                let line = lines.of(r.span().start);
                out.bootstrap_resamples = usize::try_from(*r.get_ref())
                    .ok()
                    .filter(|&n| (100..=1_000_000).contains(&n))
                    .ok_or_else(|| {
                        fail(
                            line,
                            "bootstrap_resamples",
                            "must be between 100 and 1000000".into(),
                        )
                    })?;
            }
            if let Some(p) = gate.single_run_change {
                let line = lines.of(p.span().start);
                out.single_run_change = parse_percent(p.get_ref(), true)
                    .map_err(|c| fail(line, "single_run_change", c))?;
            }
            if let Some(s) = gate.seed {
                let line = lines.of(s.span().start);
                out.seed = u64::try_from(*s.get_ref())
                    .map_err(|_| fail(line, "seed", "must be at least 0".into()))?;
            }
        }
        if let Some(defaults) = raw.defaults {
            if let Some(p) = &defaults.pattern {
                let line = lines.of(p.span().start);
                return Err(fail(
                    line,
                    "match",
                    "belongs in a [[rule]], not in [defaults]".into(),
                ));
            }
            let keys = partial(defaults, &lines, &fail)?;
            out.defaults = keys.apply(Limits::DEFAULT);
        }
        if let Some(ab) = raw.ab {
            if let Some(p) = ab.p50 {
                let line = lines.of(p.span().start);
                out.ab_p50 = parse_percent(p.get_ref(), true).map_err(|c| fail(line, "p50", c))?;
            }
            if let Some(a) = ab.alpha {
                let line = lines.of(a.span().start);
                out.ab_alpha = probability(*a.get_ref()).map_err(|c| fail(line, "alpha", c))?;
            }
        }
        for raw_rule in raw.rule {
            let Some(pattern) = raw_rule.pattern.clone() else {
                let at = [
                    &raw_rule.p10,
                    &raw_rule.p50,
                    &raw_rule.p95,
                    &raw_rule.p99,
                    &raw_rule.noise_floor,
                ]
                .into_iter()
                .flatten()
                .map(|s| s.span().start)
                .next()
                .unwrap_or(0);
                return Err(fail(
                    lines.of(at),
                    "match",
                    "every [[rule]] needs a glob".into(),
                ));
            };
            let line = lines.of(pattern.span().start);
            let matcher = Glob::new(pattern.get_ref())
                .map_err(|e| fail(line, "match", format!("bad glob: {e}")))?
                .compile_matcher();
            out.rules.push(Rule {
                pattern: pattern.into_inner(),
                matcher,
                line,
                keys: partial(raw_rule, &lines, &fail)?,
            });
        }
        Ok(out)
    }

    /// The settings for benchmark `name`: defaults overridden by every rule that matches.
    /// Two matching rules that set one key to different values are an error naming both
    /// lines and the key.
    pub fn for_benchmark(&self, name: &str) -> Result<Limits, InputError> {
        let matching: Vec<&Rule> = self
            .rules
            .iter()
            .filter(|r| r.matcher.is_match(name))
            .collect();
        let mut merged = Partial::default();
        macro_rules! merge {
            ($($key:ident),*) => {$(
                let mut chosen: Option<(&Rule, _)> = None;
                for rule in &matching {
                    let Some(value) = rule.keys.$key else { continue };
                    match chosen {
                        Some((first, v)) if v != value.0 => {
                            return Err(InputError::file(
                                &self.file,
                                format!(
                                    "line {}: key `{}`: rule {:?} and rule {:?} (line {}) both \
                                     match benchmark {name:?} but set different values",
                                    value.1, stringify!($key), rule.pattern, first.pattern,
                                    first.keys.$key.map_or(first.line, |k| k.1)
                                ),
                            ));
                        }
                        Some(_) => {}
                        None => chosen = Some((rule, value.0)),
                    }
                }
                merged.$key = chosen.map(|(r, v)| (v, r.line));
            )*};
        }
        merge!(
            p10,
            p50,
            p95,
            p99,
            alloc_bytes,
            allocs,
            noise_floor,
            inconclusive,
            missing,
            new,
            instructions
        );
        Ok(merged.apply(self.defaults))
    }

    /// Number of `[[rule]]` tables.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }
}

impl Partial {
    fn apply(&self, base: Limits) -> Limits {
        let pick = |v: Option<(Option<f64>, usize)>, d| v.map_or(d, |x| x.0);
        Limits {
            p10: pick(self.p10, base.p10),
            p50: pick(self.p50, base.p50),
            p95: pick(self.p95, base.p95),
            p99: pick(self.p99, base.p99),
            alloc_bytes: pick(self.alloc_bytes, base.alloc_bytes),
            allocs: pick(self.allocs, base.allocs),
            noise_floor: self.noise_floor.map_or(base.noise_floor, |x| x.0),
            inconclusive: self.inconclusive.map_or(base.inconclusive, |x| x.0),
            missing: self.missing.map_or(base.missing, |x| x.0),
            new: self.new.map_or(base.new, |x| x.0),
            instructions: pick(self.instructions, base.instructions),
        }
    }
}

/// A significance level: within (0, 1).
fn probability(alpha: f64) -> Result<f64, String> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(alpha)
    } else {
        Err(format!("{alpha} is not within (0, 1)"))
    }
}

type Fail<'a> = dyn Fn(usize, &str, String) -> InputError + 'a;

fn partial(raw: RawKeys, lines: &Lines, fail: &Fail) -> Result<Partial, InputError> {
    let percent = |v: &Option<Spanned<String>>, key: &str, allow_off: bool| {
        v.as_ref()
            .map(|s| {
                let line = lines.of(s.span().start);
                parse_percent(s.get_ref(), allow_off)
                    .map(|p| (p, line))
                    .map_err(|cause| fail(line, key, cause))
            })
            .transpose()
    };
    let noise_floor = percent(&raw.noise_floor, "noise_floor", false)?
        .map(|(p, line)| (p.expect("off is refused"), line));
    Ok(Partial {
        p10: percent(&raw.p10, "p10", true)?,
        p50: percent(&raw.p50, "p50", true)?,
        p95: percent(&raw.p95, "p95", true)?,
        p99: percent(&raw.p99, "p99", true)?,
        alloc_bytes: percent(&raw.alloc_bytes, "alloc_bytes", true)?,
        allocs: percent(&raw.allocs, "allocs", true)?,
        noise_floor,
        inconclusive: raw
            .inconclusive
            .map(|s| word(&s, "inconclusive", lines, fail).map(|v| (v, lines.of(s.span().start))))
            .transpose()?,
        missing: raw
            .missing
            .map(|s| word(&s, "missing", lines, fail).map(|v| (v, lines.of(s.span().start))))
            .transpose()?,
        new: raw
            .new
            .map(|s| word(&s, "new", lines, fail).map(|v| (v, lines.of(s.span().start))))
            .transpose()?,
        instructions: percent(&raw.instructions, "instructions", true)?,
    })
}

/// Parses a policy word ("warn", "fail", ...) through the enum's serde names.
fn word<T: DeserializeOwned>(
    s: &Spanned<String>,
    key: &str,
    lines: &Lines,
    fail: &Fail,
) -> Result<T, InputError> {
    let value = serde_json::Value::String(s.get_ref().clone());
    serde_json::from_value(value).map_err(|e| {
        let cause = e.to_string();
        let cause = cause.split(" at line").next().unwrap_or(&cause).to_string();
        fail(lines.of(s.span().start), key, cause)
    })
}

#[cfg(test)]
mod tests;
