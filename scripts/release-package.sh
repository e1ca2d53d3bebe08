#!/usr/bin/env bash
# Builds the release archive of perfgate for one target and its checksum:
# dist/perfgate-TARGET.tar.gz (the binary, README.md, LICENSE files when present) and
# dist/perfgate-TARGET.tar.gz.sha256 ("<sha256>  <file>", as `sha256sum -c` reads it).
# Then unpacks the archive and runs `perfgate --version` from it, when it can run here.
# Used by .github/workflows/release.yml; locally: scripts/release-package.sh "$(rustc -vV | sed -n 's/^host: //p')"
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: scripts/release-package.sh TARGET (e.g. x86_64-unknown-linux-gnu)}
host=$(rustc -vV | sed -n 's/^host: //p')
if [ "$target" = "$host" ] && [ -z "${CARGO_BUILD_TARGET:-}" ]; then
  cargo build --release --locked
  bin=target/release/perfgate
else
  cargo build --release --locked --target "$target"
  bin="target/$target/release/perfgate"
fi

archive="perfgate-$target.tar.gz"
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$bin" README.md "$stage/"
mkdir -p dist
tar -czf "dist/$archive" -C "$stage" .
(cd dist && { sha256sum "$archive" 2>/dev/null || shasum -a 256 "$archive"; } > "$archive.sha256")
echo "dist/$archive"
cat "dist/$archive.sha256"

if [ "$target" = "$host" ]; then
  check=$(mktemp -d)
  tar -xzf "dist/$archive" -C "$check"
  "$check/perfgate" --version
  rm -rf "$check"
fi
