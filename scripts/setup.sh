#!/usr/bin/env bash
# Idempotent development setup: system QGIS (Debian) + a venv that sees it.
# Called by `make setup`; safe to run again at any time.
set -euo pipefail
SYSTEM_PY=${SYSTEM_PY:-/usr/bin/python3}
VENV=${VENV:-.venv}
APT_PACKAGES=${APT_PACKAGES:-python3-qgis qgis-providers qgis xvfb gdal-bin python3-venv}

have_qgis() { "$SYSTEM_PY" -c 'import qgis.core' >/dev/null 2>&1; }

if ! have_qgis || ! command -v xvfb-run >/dev/null || ! command -v ogr2ogr >/dev/null \
   || [ ! -x /usr/bin/qgis_process.bin ] || ! command -v zip >/dev/null; then
  if command -v apt-get >/dev/null 2>&1 && [ -r /etc/debian_version ]; then
    missing=()
    for pkg in $APT_PACKAGES zip unzip; do
      dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "setup: installing Debian packages: ${missing[*]}"
      sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
      $sudo_cmd apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >/dev/null
    fi
  else
    cat >&2 <<MSG
setup: no QGIS Python found for $SYSTEM_PY, and this is not a Debian/Ubuntu system.
  - Windows (OSGeo4W): open the "OSGeo4W Shell", then run
        python -m venv --system-site-packages .venv
        .venv\\Scripts\\pip install -r requirements-dev.txt
  - macOS (QGIS.app bundle): use the bundle's interpreter, e.g.
        make setup SYSTEM_PY=/Applications/QGIS-LTR.app/Contents/MacOS/bin/python3
  - conda: conda install -c conda-forge qgis, then make setup SYSTEM_PY=\$(which python)
MSG
    exit 1
  fi
fi
have_qgis || { echo "setup: $SYSTEM_PY still cannot import qgis.core" >&2; exit 1; }

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV (with system site-packages, for qgis)"
  "$SYSTEM_PY" -m venv --system-site-packages "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements-dev.txt
"$VENV/bin/python" -c 'import qgis.core, pytest_qgis, requests, yaml' \
  || { echo "setup: the venv cannot import qgis/pytest_qgis/requests/yaml" >&2; exit 1; }
echo "setup: ready ($("$VENV/bin/python" -c 'from qgis.core import Qgis; print("QGIS", Qgis.QGIS_VERSION)'))"
