#!/usr/bin/env bash
# Run the test suite against a newer QGIS (Qt5) from Debian's binary packages, in a chroot
# made with debootstrap: trixie's QGIS 3.40, or trixie-backports' QGIS 3.44 (both Python
# 3.13, urllib3 2). Needs root (debootstrap, chroot, mounts) and Debian's package mirror; a
# few GB of disk. Not part of `make test`: about 10 minutes the first time, 5 after.
# Usage: sudo scripts/test-newer-qgis.sh [3.40|3.44] [CHROOT_DIR]   (default 3.40)
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
QGIS_LINE=${1:-3.40}
case "$QGIS_LINE" in
  3.40) NAME=trixie ;;
  3.44) NAME=trixie-backports ;;
  *) echo "usage: $0 [3.40|3.44] [CHROOT_DIR]" >&2; exit 2 ;;
esac
# Outside the work tree: `make clean` must never walk into it.
CHROOT=${2:-${XDG_CACHE_HOME:-$HOME/.cache}/arcgis_gp/chroots/$NAME}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

# shellcheck source=scripts/chroot-lib.sh
source "$ROOT_DIR/scripts/chroot-lib.sh"
chroot_create
if [ "$QGIS_LINE" = 3.44 ]; then
  # QGIS 3.44 is in trixie-backports: apt prefers it there for QGIS's own packages, so that
  # `make test`'s plain `apt-get install` (scripts/setup.sh) takes 3.44.
  echo "deb $MIRROR trixie-backports main" >"$CHROOT/etc/apt/sources.list.d/backports.list"
  cat >"$CHROOT/etc/apt/preferences.d/qgis-backports" <<EOF
Package: qgis qgis-common qgis-providers qgis-providers-common python3-qgis python3-qgis-common libqgis-*
Pin: release n=trixie-backports
Pin-Priority: 990
EOF
fi

chroot_mount

# A copy of the work tree (not a clone: uncommitted changes are what is being tried).
rm -rf "$CHROOT/root/proj"
mkdir -p "$CHROOT/root/proj"
tar -C "$ROOT_DIR" --exclude=.venv --exclude=.git --exclude=.qgis-settings \
  --exclude=__pycache__ --exclude=build --exclude=dist --exclude=demo-output \
  --exclude=.pytest_pkg --exclude=tests/output -cf - . | tar -C "$CHROOT/root/proj" -xf -
if [ -d "$ROOT_DIR/../shared" ]; then
  rm -rf "$CHROOT/root/shared" && cp -r "$ROOT_DIR/../shared" "$CHROOT/root/shared"
fi

# An existing chroot follows the mirror (backports move on from 3.44.x to 3.44.y).
chroot "$CHROOT" bash -c 'apt-get update -qq; if dpkg -s python3-qgis >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --only-upgrade python3-qgis qgis \
    qgis-providers >/dev/null; fi'
# `make test` installs QGIS and the rest itself (scripts/setup.sh), as on a fresh machine.
chroot "$CHROOT" env HOME=/root bash -c 'cd /root/proj && make test'
