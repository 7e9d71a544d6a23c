#!/usr/bin/env bash
# QGIS's own PyQt5 -> PyQt6 migration checker over plugin/ and tests/. The checker lives in
# QGIS's source tree (scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py; `apt-get source qgis`
# brings it) and is not copied here. It rewrites the files it is given, so it runs on a
# copy, and whatever it would change is printed as a diff: no diff means nothing to migrate.
# It needs PyQt6 (and, for QGIS's own enums, a Qt6 QGIS), so it runs inside the chroot
# that scripts/build-qgis-qt6.sh makes.
# Usage: scripts/check-qt6.sh [PATH/TO/pyqt5_to_pyqt6.py]
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/arcgis_gp
CHROOT=${QT6_CHROOT:-$CACHE/chroots/trixie-qt6}
CHECKER=${1:-$(ls "$CHROOT"/root/qgis-qt6/src/qgis-3*/scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py 2>/dev/null | head -1)}
if [ -z "$CHECKER" ] || [ ! -f "$CHECKER" ] || [ ! -x "$CHROOT/usr/bin/python3" ]; then
  echo "check-qt6: needs the Qt6 chroot and QGIS's sources: run 'scripts/build-qgis-qt6.sh build'" >&2
  echo "  first (or pass the path of pyqt5_to_pyqt6.py from any QGIS >= 3.34 source tree)" >&2
  exit 2
fi
WORK=/root/pyqt6-check
rm -rf "$CHROOT$WORK" && mkdir -p "$CHROOT$WORK/before" "$CHROOT$WORK/after"
cp "$CHECKER" "$CHROOT$WORK/pyqt5_to_pyqt6.py"
for dir in plugin tests; do
  tar -C "$ROOT_DIR" --exclude=__pycache__ --exclude=tests/output -cf - "$dir" \
    | tar -C "$CHROOT$WORK/before" -xf -
done
cp -r "$CHROOT$WORK/before/." "$CHROOT$WORK/after/"
mountpoint -q "$CHROOT/proc" || { mount -t proc proc "$CHROOT/proc"; trap 'umount "$CHROOT/proc"' EXIT; }
status=0
chroot "$CHROOT" env HOME=/root QT_QPA_PLATFORM=offscreen QGIS_PREFIX_PATH=/opt/qgis-qt6 \
  PYTHONPATH=/opt/qgis-qt6/share/qgis/python LD_LIBRARY_PATH=/opt/qgis-qt6/lib:/opt/qwt-qt6/lib \
  bash -c "cd $WORK/after && for dir in plugin tests; do python3 $WORK/pyqt5_to_pyqt6.py \$dir; done" \
  || status=$?
if ! diff -ru "$CHROOT$WORK/before" "$CHROOT$WORK/after"; then
  echo "check-qt6: the checker would change the files above" >&2
  exit 1
fi
[ "$status" -eq 0 ] || { echo "check-qt6: the checker exited with $status" >&2; exit "$status"; }
echo "check-qt6: pyqt5_to_pyqt6 reports nothing for plugin/ and tests/ ($(basename "$(dirname "$(dirname "$(dirname "$CHECKER")")")"))"
