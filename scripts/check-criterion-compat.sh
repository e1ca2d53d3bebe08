#!/usr/bin/env bash
# Type-checks (cargo check; --run: builds and runs) the benches of examples/criterion-compat twice: against perfgate-bench (as
# committed: `criterion = { package = "perfgate-bench", … }`) and against real criterion
# (a copy with only that dependency line replaced). Both must build: the example uses every
# criterion item perfgate-bench promises to support. The criterion build needs crates.io.
#
# usage: scripts/check-criterion-compat.sh [--run]   (--run: also run both in test mode)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
example="$repo/examples/criterion-compat"
work=${COMPAT_DIR:-$repo/target/criterion-compat}
mkdir -p "$work"
mode=(check --benches)
[ "${1:-}" = "--run" ] && mode=(test --benches)

echo "criterion-compat: against perfgate-bench" >&2
CARGO_TARGET_DIR="$work/target-harness" cargo "${mode[@]}" --locked --quiet \
  --manifest-path "$example/Cargo.toml"

echo "criterion-compat: against criterion 0.5" >&2
copy="$work/with-criterion"
rm -rf "$copy"
mkdir -p "$copy"
cp -r "$example/benches" "$example/src" "$copy/"
sed -e 's|^criterion = .*|criterion = "0.5"|' \
  "$example/Cargo.toml" > "$copy/Cargo.toml"
grep -q '^criterion = "0.5"' "$copy/Cargo.toml"
CARGO_TARGET_DIR="$work/target-criterion" cargo "${mode[@]}" --quiet \
  --manifest-path "$copy/Cargo.toml"
echo "criterion-compat: both build" >&2
