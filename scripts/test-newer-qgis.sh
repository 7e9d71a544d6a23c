#!/usr/bin/env bash
# Run the test suite against a newer QGIS: Debian trixie's QGIS 3.40 (Python 3.13,
# urllib3 2) in a chroot made with debootstrap. Needs root (debootstrap, chroot, mounts)
# and Debian's package mirror; a few GB of disk. Not part of `make test`: about 10 minutes
# the first time, 5 after. Usage: sudo scripts/test-newer-qgis.sh [CHROOT_DIR]
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
# Outside the work tree: `make clean` must never walk into it.
CHROOT=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/arcgis_gp/chroots/trixie}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ ! -x "$CHROOT/usr/bin/python3" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
  mkdir -p "$CHROOT"
  debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates,make,xauth \
    trixie "$CHROOT" "$MIRROR"
fi

unmount() {  # never leave the host's /dev mounted inside a folder someone may delete
  sleep 1  # processes of the run (Xvfb) may still be closing their devices
  for point in dev sys proc; do
    if mountpoint -q "$CHROOT/$point"; then
      umount -R "$CHROOT/$point" 2>/dev/null || umount -R -l "$CHROOT/$point"
    fi
  done
}
trap unmount EXIT
mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
mountpoint -q "$CHROOT/dev" || mount --rbind /dev "$CHROOT/dev"
mountpoint -q "$CHROOT/sys" || mount -t sysfs sys "$CHROOT/sys"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
# Local certificate authorities (a proxy's, a company's) so pip can reach PyPI from inside.
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
  cp /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
  chroot "$CHROOT" update-ca-certificates >/dev/null
fi

# A copy of the work tree (not a clone: uncommitted changes are what is being tried).
rm -rf "$CHROOT/root/proj"
mkdir -p "$CHROOT/root/proj"
tar -C "$ROOT_DIR" --exclude=.venv --exclude=.git --exclude=.qgis-settings \
  --exclude=__pycache__ --exclude=build --exclude=dist --exclude=demo-output \
  --exclude=.pytest_pkg -cf - . | tar -C "$CHROOT/root/proj" -xf -
if [ -d "$ROOT_DIR/../shared" ]; then
  rm -rf "$CHROOT/root/shared" && cp -r "$ROOT_DIR/../shared" "$CHROOT/root/shared"
fi

# `make test` installs QGIS and the rest itself (scripts/setup.sh), as on a fresh machine.
chroot "$CHROOT" env HOME=/root bash -c 'cd /root/proj && make test'
