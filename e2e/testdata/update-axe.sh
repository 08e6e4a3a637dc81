#!/usr/bin/env bash
# Vendors axe-core, the accessibility checker the browser tests inject into
# every page, from its npm package into this folder. Run it by hand to move
# to a newer release, then commit the result: nothing is downloaded when
# the tests run.
#
#   e2e/testdata/update-axe.sh [VERSION]     # default: the newest 4.x
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spec="axe-core@${1:-4}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$spec" >/dev/null && tar xzf axe-core-*.tgz)
version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$tmp/package/package.json" | head -n1)"
cp "$tmp/package/axe.min.js" "$here/axe.min.js"
cp "$tmp/package/LICENSE" "$here/axe.LICENSE"
echo "$version" > "$here/axe.VERSION"
echo "vendored axe-core $version into $here"
