#!/usr/bin/env bash
# Vendors htmx from its npm package into this folder. Run it by hand to
# move to a newer htmx 2 release, then commit the result: nothing is
# downloaded when the program is built or run.
#
#   web/static/vendor/update.sh [VERSION]     # default: the newest 2.x
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
spec="htmx.org@${1:-2}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$spec" >/dev/null && tar xzf htmx.org-*.tgz)
version="$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$tmp/package/package.json" | head -n1)"
cp "$tmp/package/dist/htmx.min.js" "$here/htmx.min.js"
cp "$tmp/package/LICENSE" "$here/htmx.LICENSE"
echo "$version" > "$here/htmx.VERSION"
echo "vendored htmx $version into $here"
