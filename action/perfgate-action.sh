#!/usr/bin/env bash
# The gate step of action.yml: run perfgate as the inputs say, post the sticky comment,
# write the outputs, and exit with perfgate's code (0 pass, 1 regression, 2 input error).
# perfgate itself writes the step summary and the annotations (it sees GITHUB_ACTIONS).
# Inputs arrive as INPUT_* variables (action.yml maps them); tests/action_steps.rs runs
# this script against a local stand-in of the GitHub API.
set -uo pipefail

perfgate=${PERFGATE:-perfgate}
mode=${INPUT_MODE:-ab}
suite=${INPUT_SUITE:-auto}
cargo_bench=${INPUT_CARGO_BENCH:-}
import=${INPUT_IMPORT:-}
base=${INPUT_BASE:-}
baseline=${INPUT_BASELINE:-}
thresholds=${INPUT_THRESHOLDS:-thresholds.toml}
out=${PERFGATE_OUT_DIR:-${RUNNER_TEMP:-/tmp}/perfgate}
mkdir -p "$out" 2>/dev/null || true
verdict="$out/verdict.json"
read -r -a extra <<< "${INPUT_ARGS:-}"

fail() { # message: an input error, as an annotation; exit 2
  echo "::error title=perfgate action::$1"
  echo "exit-code=2" >> "${GITHUB_OUTPUT:-/dev/null}"
  exit 2
}

case "$mode" in ab | baseline | instructions) ;; *) fail "mode must be ab, baseline or instructions, got '$mode'" ;; esac
for flag in INPUT_COMMENT INPUT_QUICK; do
  case "${!flag:-false}" in true | false) ;; *) fail "${flag#INPUT_} must be true or false, got '${!flag}'" ;; esac
done
if [ -n "$cargo_bench" ] && [ -n "$import" ]; then fail "give cargo-bench or import, not both"; fi
if [ -n "$cargo_bench$import" ] && [ "$mode" != baseline ]; then
  fail "cargo-bench and import are gated against a committed baseline: set mode: baseline"
fi
mkdir -p "$out" || fail "cannot create $out"

suite_args=()
case "$suite" in
  auto) if [ -f perfgate.toml ]; then suite_args=(--suite perfgate.toml); fi ;;
  builtin) ;;
  *) [ -f "$suite" ] || fail "suite: $suite not found"; suite_args=(--suite "$suite") ;;
esac
quick=()
if [ "${INPUT_QUICK:-false}" = true ]; then quick=(--quick); fi
gate=(--thresholds "$thresholds")

set -x
if [ -n "$cargo_bench$import" ]; then
  [ -n "$baseline" ] || fail "baseline: needed with cargo-bench and import (a name under baselines/ or a path)"
  if [ -n "$cargo_bench" ]; then
    cargo bench --bench "$cargo_bench" -- --noplot || fail "cargo bench --bench $cargo_bench failed"
    format=criterion
    path=target/criterion
  else
    format=${import%%:*}
    path=${import#*:}
    [ "$format" != "$import" ] || fail "import: expected FORMAT:PATH, got '$import'"
  fi
  "$perfgate" import "$format" "$path" --out "$out/results.json" || fail "perfgate import $format $path failed"
  "$perfgate" compare "$baseline" "$out/results.json" "${gate[@]}" --out "$verdict" "${extra[@]}"
elif [ "$mode" = baseline ]; then
  baseline_args=()
  if [ -n "$baseline" ]; then baseline_args=(--baseline "$baseline"); fi
  "$perfgate" run "${suite_args[@]}" "${baseline_args[@]}" "${quick[@]}" "${gate[@]}" \
    --out "$out/results.json" --verdict-out "$verdict" "${extra[@]}"
else
  base_args=()
  if [ -n "$base" ]; then base_args=(--base "$base"); fi
  metric=()
  if [ "$mode" = instructions ]; then
    [ ${#suite_args[@]} -eq 0 ] || fail "mode instructions counts the built-in suite; a command suite has no instruction counts"
    metric=(--metric instructions)
  fi
  "$perfgate" ab "${suite_args[@]}" "${base_args[@]}" "${metric[@]}" "${quick[@]}" "${gate[@]}" \
    --out "$verdict" --results-out "$out/ab-results.json" "${extra[@]}"
fi
code=$?
set +x
echo "perfgate exited with $code (0 pass, 1 regression, 2 usage or input error)"

if [ "${INPUT_COMMENT:-true}" = true ] && [ -f "$verdict" ]; then
  report=()
  if [ -n "${REPORT_URL:-}" ]; then report=(--report-url "$REPORT_URL"); fi
  # Posts or updates the one comment; on a push build, a fork's read-only token or GitHub
  # failing after retries it warns and exits 0, so the gate's code stands.
  "$perfgate" comment "$verdict" --id "${INPUT_COMMENT_ID:-perfgate}" "${report[@]}" || code=2
fi

{
  echo "exit-code=$code"
  if [ -f "$verdict" ]; then echo "verdict=$verdict"; fi
} >> "${GITHUB_OUTPUT:-/dev/null}"
exit "$code"
