#!/usr/bin/env bash
# Fetches the Sarabun TrueType fonts used for PDF certificates into static/fonts/sarabun/ from the
# PyPI package fontpkg-sarabun (Google Fonts' ofl/sarabun, OFL 1.1), unmodified.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-1.0}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
.venv/bin/pip download --quiet --no-deps --dest "$work" "fontpkg-sarabun==$version"
.venv/bin/python - "$work" <<'PY'
import pathlib, sys, zipfile
work = pathlib.Path(sys.argv[1])
wheel = next(work.glob("fontpkg_sarabun-*.whl"))
target = pathlib.Path("static/fonts/sarabun")
target.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(wheel) as archive:
    for member, name in [
        ("fontpkg_sarabun/files/Sarabun-Regular.ttf", "Sarabun-Regular.ttf"),
        ("fontpkg_sarabun/files/Sarabun-Bold.ttf", "Sarabun-Bold.ttf"),
        ("fontpkg_sarabun/LICENSE", "OFL.txt"),
    ]:
        (target / name).write_bytes(archive.read(member))
print("updated", target)
PY
sha256sum static/fonts/sarabun/*.ttf
