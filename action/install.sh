#!/usr/bin/env bash
# The install step of action.yml: put a perfgate binary in place and write its path to the
# step output `bin`. In order: the `perfgate-bin` input; the released binary for this
# runner, its SHA-256 checked against the release's .sha256 file (a mismatch stops with
# exit 2, never falls back); when there is no release for this version or platform, a
# build from the action's own source (cargo install --path).
set -euo pipefail

action_dir=${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}
dest=${PERFGATE_INSTALL_DIR:-${RUNNER_TEMP:-/tmp}/perfgate-bin}
output() { echo "bin=$1" >> "${GITHUB_OUTPUT:-/dev/null}"; echo "perfgate: $1 ($("$1" --version))"; }

if [ -n "${INPUT_PERFGATE_BIN:-}" ]; then
  [ -x "$INPUT_PERFGATE_BIN" ] || { echo "::error title=perfgate action::perfgate-bin: $INPUT_PERFGATE_BIN is not an executable"; exit 2; }
  output "$(cd "$(dirname "$INPUT_PERFGATE_BIN")" && pwd)/$(basename "$INPUT_PERFGATE_BIN")"
  exit 0
fi

version=${INPUT_VERSION:-$(sed -n 's/^version = "\(.*\)"$/\1/p' "$action_dir/Cargo.toml" | head -n 1)}
version=${version#v}
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-gnu ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-gnu ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  *) target="" ;;
esac
url=${PERFGATE_RELEASE_URL:-https://github.com/${PERFGATE_REPO:-perfgate/perfgate}/releases/download}
archive="perfgate-$target.tar.gz"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$dest"

if [ -n "$target" ] && curl -fsSL --retry 3 -o "$work/$archive" "$url/v$version/$archive" \
  && curl -fsSL --retry 3 -o "$work/$archive.sha256" "$url/v$version/$archive.sha256"; then
  expected=$(cut -d ' ' -f 1 "$work/$archive.sha256")
  actual=$(sha256sum "$work/$archive" 2>/dev/null || shasum -a 256 "$work/$archive")
  actual=${actual%% *}
  if [ "$expected" != "$actual" ]; then
    echo "::error title=perfgate action::$archive of v$version: SHA-256 $actual does not match the release's $expected; not installing it"
    exit 2
  fi
  tar -xzf "$work/$archive" -C "$dest"
  output "$dest/perfgate"
  exit 0
fi

echo "::notice title=perfgate action::no perfgate v$version release for ${target:-$(uname -sm)}; building it from the action's source"
cargo install --locked --quiet --path "$action_dir" --root "$dest/cargo"
output "$dest/cargo/bin/perfgate"
