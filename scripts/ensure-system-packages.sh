#!/usr/bin/env bash
# Installs the Debian packages the test suite uses when they are missing: Chromium for the
# real-browser tests, PostgreSQL and Redis servers, poppler-utils to render PDFs to images,
# LibreOffice Writer (without its GUI) to make the Thai PDF fixtures from Word files again.
# Needs root and apt-get (as on CI); elsewhere it says what is missing and carries on.
set -euo pipefail
wanted=()
command -v chromium >/dev/null 2>&1 || wanted+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || wanted+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || wanted+=(libreoffice-writer-nogui)
command -v redis-server >/dev/null 2>&1 || wanted+=(redis-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || wanted+=(postgresql)
fc-list 2>/dev/null | grep -qi "sarabun\|laksaman" || wanted+=(fonts-thai-tlwg)
if [ ${#wanted[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "missing system packages (install them with apt-get): ${wanted[*]}" >&2
  exit 0
fi
echo "installing system packages: ${wanted[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
