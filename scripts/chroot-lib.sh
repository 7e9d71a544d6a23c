# Shared by scripts/test-newer-qgis.sh and scripts/build-qgis-qt6.sh (sourced, not run):
# making a Debian trixie chroot, mounting what a QGIS run inside it needs, and always
# unmounting again. Callers set CHROOT and MIRROR first.

# debootstrap a minimal trixie into $CHROOT unless it is already there.
chroot_create() {
  if [ ! -x "$CHROOT/usr/bin/python3" ]; then
    command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
    mkdir -p "$CHROOT"
    debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates,make,xauth \
      trixie "$CHROOT" "$MIRROR"
  fi
}

# Never leave the host's /dev mounted inside a folder someone may delete.
chroot_unmount() {
  sleep 1  # processes of the run (Xvfb) may still be closing their devices
  for point in dev sys proc; do
    if mountpoint -q "$CHROOT/$point"; then
      umount -R "$CHROOT/$point" 2>/dev/null || umount -R -l "$CHROOT/$point"
    fi
  done
}

# /proc, /dev and /sys inside (unmounted when the calling script exits), the host's DNS, and
# local certificate authorities (a proxy's, a company's) so apt and pip reach their mirrors.
chroot_mount() {
  trap chroot_unmount EXIT
  mountpoint -q "$CHROOT/proc" || mount -t proc proc "$CHROOT/proc"
  mountpoint -q "$CHROOT/dev" || mount --rbind /dev "$CHROOT/dev"
  mountpoint -q "$CHROOT/sys" || mount -t sysfs sys "$CHROOT/sys"
  cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$CHROOT/usr/local/share/ca-certificates/"
    chroot "$CHROOT" update-ca-certificates >/dev/null
  fi
}
