#!/usr/bin/env bash
# Draws the PNG icons from icon.svg with headless Chromium. Run by hand
# after changing icon.svg, then commit the PNG files: the build never
# runs it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
chromium="${CHROMIUM:-chromium}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
page() { # size padding-percent
  cat > "$tmp/icon.html" <<HTML
<!doctype html><html><head><style>html,body{margin:0;padding:0;background:#1f5f8b;overflow:hidden}
div{width:$1px;height:$1px;display:flex;align-items:center;justify-content:center}
img{width:$(( $1 * (100 - 2 * $2) / 100 ))px;height:$(( $1 * (100 - 2 * $2) / 100 ))px}</style></head>
<body><div><img src="file://$here/icon.svg"></div></body></html>
HTML
}
shot() { # size padding out
  page "$1" "$2"
  "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --disable-background-networking \
    --disable-component-update --no-first-run --disable-sync --allow-file-access-from-files \
    --window-size="$1,$1" --default-background-color=00000000 --screenshot="$here/$3" "file://$tmp/icon.html" >/dev/null 2>&1
}
shot 192 0 icon-192.png
shot 512 0 icon-512.png
shot 512 10 icon-maskable-512.png
ls -l "$here"/*.png
