#!/usr/bin/env bash
# Refreshes the front-end libraries served from static/vendor/ (no CDN at run time: offices have
# poor links). Needs npm and the npm registry; the result is committed, so `make run` never needs npm.
# Versions are pinned here and recorded in static/vendor/VERSIONS.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
BOOTSTRAP=5.3.9
SARABUN=5.3.0
SOCKETIO=4.8.4
CHARTJS=4.6.1
ICONS=1.13.2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent \
  "bootstrap@$BOOTSTRAP" "@fontsource/sarabun@$SARABUN" "socket.io-client@$SOCKETIO" \
  "chart.js@$CHARTJS" "bootstrap-icons@$ICONS")
nm="$work/node_modules"
out=static/vendor
rm -rf "$out" && mkdir -p "$out"/{bootstrap,sarabun/files,socket.io,chartjs,bootstrap-icons/fonts}
cp "$nm/bootstrap/dist/css/bootstrap.min.css" "$nm/bootstrap/dist/js/bootstrap.bundle.min.js" "$out/bootstrap/"
cp "$nm/socket.io-client/dist/socket.io.min.js" "$out/socket.io/"
cp "$nm/chart.js/dist/chart.umd.min.js" "$out/chartjs/"
cp "$nm/bootstrap-icons/font/bootstrap-icons.min.css" "$out/bootstrap-icons/"
cp "$nm/bootstrap-icons/font/fonts/"*.woff2 "$out/bootstrap-icons/fonts/"
# Sarabun: Thai and Latin subsets in the weights the layout uses, woff2 only (every browser in use has it).
: > "$out/sarabun/sarabun.css"
for weight in 400 600 700; do
  # Keep the Thai, Latin and Latin-extended blocks (with their unicode-range) of the weight's CSS.
  python3 - "$nm/@fontsource/sarabun/$weight.css" >> "$out/sarabun/sarabun.css" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
for block in re.findall(r"/\* sarabun-(?:thai|latin|latin-ext)-\d+-normal \*/\n@font-face \{.*?\}\n?", css, re.S):
    print(re.sub(r", url\([^)]*\.woff\) format\('woff'\)", "", block))
PY
  for subset in thai latin latin-ext; do
    cp "$nm/@fontsource/sarabun/files/sarabun-$subset-$weight-normal.woff2" "$out/sarabun/files/"
  done
done
cp "$nm/@fontsource/sarabun/LICENSE" "$out/sarabun/OFL.txt"
{
  echo "Refreshed by scripts/refresh-vendor.sh on $(date -u +%Y-%m-%d)"
  for p in bootstrap @fontsource/sarabun socket.io-client chart.js bootstrap-icons; do
    node -e "const p=require('$nm/$p/package.json');console.log(p.name+' '+p.version+' ('+(p.license||'')+')')"
  done
} > "$out/VERSIONS.txt"
cat "$out/VERSIONS.txt"
