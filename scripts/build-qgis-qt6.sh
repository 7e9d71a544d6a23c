#!/usr/bin/env bash
# Build QGIS with Qt6 (the Python API QGIS 4 builds on) in a Debian trixie chroot, then
# run the plugin's test suite against it. Debian ships no Qt6 QGIS binary, so this compiles
# Debian's own QGIS source package against trixie's Qt 6.8 and PyQt6: 3.44 from
# trixie-backports when the mirror serves its sources, else trixie's 3.40 (the first of
# QGIS_SOURCE_VERSIONS that downloads). Qwt comes first: trixie's qwt (6.1.4) predates
# Qt6, so Debian's qwt 6.3.0 sources (sid's orig tarball, checked against its SHA-256)
# are built for Qt6. Needs root (debootstrap, chroot, mounts) and Debian's package mirror.
#
# Everything lives under ~/.cache/arcgis_gp/ (chroot, sources, build tree, ccache), and each
# step leaves a stamp, so an interrupted run resumes where it stopped: the first build
# takes hours on 2 cores, later ones minutes.
#
# Usage: scripts/build-qgis-qt6.sh [build|test|all|shell]   (default: all)
#   build   chroot, build dependencies, qwt, QGIS (core, gui, analysis, Python, Processing)
#   test    make test's offscreen pass and its Xvfb (GUI) pass against that QGIS
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/arcgis_gp
CHROOT=${QT6_CHROOT:-$CACHE/chroots/trixie-qt6}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
QGIS_SOURCE_VERSIONS=${QGIS_SOURCE_VERSIONS:-"3.44.16+dfsg-1~bpo13+1 3.40.6+dfsg-1"}
QWT_ORIG=qwt_6.3.0.orig.tar.bz2
QWT_SHA256=dcb085896c28aaec5518cbc08c0ee2b4e60ada7ac929d82639f6189851a6129a
JOBS=${JOBS:-$(nproc)}
WORK=/root/qgis-qt6           # inside the chroot: src/, build/, ccache/, stamps/, logs/
PREFIX=/opt/qgis-qt6          # inside the chroot: the installed QGIS
QWT_PREFIX=/opt/qwt-qt6
STEP=${1:-all}
# shellcheck source=scripts/chroot-lib.sh
source "$ROOT_DIR/scripts/chroot-lib.sh"

# What QGIS needs to build its libraries and bindings with Qt6 (no server, 3D, GRASS, PDAL,
# desktop application), plus what the plugin's tests need to run.
BUILD_DEPS=(
  build-essential ccache cmake ninja-build pkgconf bison flex dpkg-dev
  qt6-base-dev qt6-base-private-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
  qt6-svg-dev qt6-positioning-dev qt6-serialport-dev qt6-5compat-dev qt6-multimedia-dev
  qt6-declarative-dev qmake6 libqt6sql6-sqlite libgl-dev
  libqca-qt6-dev libqca-qt6-plugins qtkeychain-qt6-dev libqscintilla2-qt6-dev
  python3-dev python3-pyqt6 pyqt6-dev pyqt6-dev-tools python3-pyqt6.sip python3-pyqt6.qsci
  pyqt6.qsci-dev python3-pyqt6.qtsvg python3-pyqt6.qtpositioning python3-pyqt6.qtserialport
  python3-pyqt6.qtmultimedia sip-tools python3-sipbuild python3-pyqtbuild
  libgdal-dev libgeos-dev libproj-dev libspatialite-dev libsqlite3-mod-spatialite
  libspatialindex-dev libsqlite3-dev libexpat1-dev libzip-dev libzstd-dev libprotobuf-dev
  protobuf-compiler libexiv2-dev libpq-dev nlohmann-json3-dev libgsl-dev
)
TEST_DEPS=(
  python3-venv python3-gdal python3-yaml python3-requests python3-owslib python3-psycopg2
  python3-jinja2 python3-pygments python3-dateutil python3-lxml gdal-bin xvfb xauth
  xfonts-base make zip unzip python3-tokenize-rt python3-pyqt6.qtquick
  qt6-svg-plugins  # the SVG icon engine: QIcon of an .svg is null without it
)

log() { printf '%s build-qgis-qt6: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
in_chroot() { chroot "$CHROOT" env HOME=/root LC_ALL=C.UTF-8 bash -c "$1"; }
stamp() { [ -e "$CHROOT$WORK/stamps/$1" ]; }
mark() { mkdir -p "$CHROOT$WORK/stamps" && touch "$CHROOT$WORK/stamps/$1"; }


make_chroot() {
  chroot_create
  cat >"$CHROOT/etc/apt/sources.list" <<EOF
deb $MIRROR trixie main
deb-src $MIRROR trixie main
deb $MIRROR trixie-backports main
deb-src $MIRROR trixie-backports main
EOF
  chroot_mount
  mkdir -p "$CHROOT$WORK"/{src,build,ccache,stamps,logs}
}

install_deps() {
  stamp deps && return 0
  log "installing build and test dependencies"
  in_chroot "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends ${BUILD_DEPS[*]} ${TEST_DEPS[*]} >/dev/null"
  mark deps
}

# The test step's packages, installed if missing (a list that grew after the first build).
install_test_deps() {
  local missing
  missing=$(in_chroot "for p in ${TEST_DEPS[*]}; do dpkg-query -W -f='\${Status}' \$p \
    2>/dev/null | grep -q 'ok installed' || echo \$p; done" | tr '\n' ' ')
  [ -z "${missing// /}" ] && return 0
  log "installing test dependencies: $missing"
  in_chroot "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends $missing >/dev/null"
}

fetch_sources() {
  stamp sources && return 0
  local version
  in_chroot "rm -rf $WORK/src/qgis-* $WORK/src/qgis_* $WORK/src/qwt-*"
  for version in $QGIS_SOURCE_VERSIONS; do
    log "apt-get source qgis=$version"
    if in_chroot "cd $WORK/src && apt-get source -qq qgis=$version" \
      >"$CHROOT$WORK/logs/source-$version.log" 2>&1; then
      echo "$version" >"$CHROOT$WORK/stamps/qgis-version"
      break
    fi
    log "qgis=$version: $(grep -m1 -E '^E: ' "$CHROOT$WORK/logs/source-$version.log" || true)"
  done
  [ -s "$CHROOT$WORK/stamps/qgis-version" ] || { log "no QGIS source package could be fetched"; exit 1; }
  log "qwt: $MIRROR/pool/main/q/qwt/$QWT_ORIG"
  in_chroot "set -e; cd $WORK/src && python3 -c 'import sys, urllib.request; \
      urllib.request.urlretrieve(sys.argv[1], sys.argv[2])' $MIRROR/pool/main/q/qwt/$QWT_ORIG $QWT_ORIG && \
    echo '$QWT_SHA256  $QWT_ORIG' | sha256sum -c --quiet && tar xjf $QWT_ORIG"
  mark sources
}

build_qwt() {
  stamp qwt && return 0
  log "building qwt for Qt6 into $QWT_PREFIX"
  # Debian's qwt builds for Qt5 only; its sources build for Qt6 with qmake6. Only the
  # library: no designer plugin, examples or tests.
  in_chroot "set -e; cd $WORK/src/qwt-*/ && \
    sed -i -e 's|^\\(\\s*QWT_INSTALL_PREFIX\\s*=\\).*|\\1 $QWT_PREFIX|' \
           -e 's|^QWT_CONFIG\\s*+= QwtDesigner|#&|' \
           -e 's|^QWT_CONFIG\\s*+= QwtExamples|#&|' \
           -e 's|^QWT_CONFIG\\s*+= QwtPlayground|#&|' \
           -e 's|^QWT_CONFIG\\s*+= QwtTests|#&|' qwtconfig.pri && \
    rm -rf build-qt6 && mkdir build-qt6 && cd build-qt6 && qmake6 ../qwt.pro && \
    nice make -j$JOBS && make install" >"$CHROOT$WORK/logs/qwt.log" 2>&1 \
    || { tail -30 "$CHROOT$WORK/logs/qwt.log"; exit 1; }
  mark qwt
}

configure_qgis() {
  stamp configure && return 0
  # Unoptimised (-O0, no debug info): this QGIS only runs the test suite, and on 2 cores
  # compiling takes about half as long as a release build.
  log "configuring QGIS (Qt6, libraries, bindings, Processing, qgis_process)"
  in_chroot "set -e; cd $WORK/build && \
    CCACHE_DIR=$WORK/ccache cmake -G Ninja $WORK/src/qgis-3.*/ \
      -DCMAKE_BUILD_TYPE=None -DCMAKE_C_FLAGS=-O0 -DCMAKE_CXX_FLAGS=-O0 \
      -DCMAKE_INSTALL_PREFIX=$PREFIX \
      -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DBUILD_WITH_QT6=ON -DWITH_QTWEBKIT=OFF -DWITH_QTWEBENGINE=OFF \
      -DWITH_GUI=ON -DWITH_DESKTOP=OFF -DWITH_BINDINGS=ON -DWITH_QGIS_PROCESS=ON \
      -DWITH_SERVER=OFF -DWITH_3D=OFF -DWITH_GRASS7=OFF -DWITH_GRASS8=OFF -DWITH_PDAL=OFF \
      -DWITH_EPT=OFF -DWITH_COPC=OFF -DWITH_QUICK=OFF -DWITH_CUSTOM_WIDGETS=OFF \
      -DWITH_QSPATIALITE=OFF -DWITH_ORACLE=OFF -DWITH_HANA=OFF -DWITH_DRACO=OFF \
      -DWITH_PDF4QT=OFF -DWITH_SFCGAL=OFF -DWITH_OPENCL=OFF -DWITH_QTSERIALPORT=OFF \
      -DWITH_QTGAMEPAD=OFF -DWITH_GSL=OFF -DWITH_PY_COMPILE=OFF -DENABLE_TESTS=OFF \
      -DWITH_APIDOC=OFF -DWITH_ASTYLE=OFF -DUSE_CCACHE=OFF -DWITH_POSTGRESQL=OFF -DWITH_QSCIAPI=OFF \
      -DQWT_INCLUDE_DIR=$QWT_PREFIX/include -DQWT_LIBRARY=$QWT_PREFIX/lib/libqwt.so" \
    >"$CHROOT$WORK/logs/configure.log" 2>&1 || { tail -40 "$CHROOT$WORK/logs/configure.log"; exit 1; }
  mark configure
}

# What the suite needs, by build directory: the libraries, their Python bindings, Processing,
# qgis_process, the ArcGIS REST providers and the auth methods the tests drive. The other
# providers and auth methods (WMS, WFS, MSSQL, MDAL, SpatiaLite, virtual layers, AWS S3, ...)
# are a third of what is left after core, and nothing the plugin does loads them.
BUILD_DIRS=(doc images resources i18n python postinstall linux src/ui src/core src/native
  src/gui src/analysis src/python src/process src/crssync src/test src/providers/arcgisrest
  src/auth/basic src/auth/esritoken src/auth/apiheader src/auth/oauth2 src/auth/identcert
  src/auth/pkipaths src/auth/pkipkcs12)

build_qgis() {
  stamp installed && return 0
  local targets="" dir keep
  for dir in "${BUILD_DIRS[@]}"; do targets+=" $dir/all"; done
  # The install scripts of the providers and auth methods left out would fail on their
  # missing libraries: drop those includes, then install without `ninja install` (which
  # depends on building everything).
  keep=$(printf '%s\n' "${BUILD_DIRS[@]}" | sed -n 's#^src/\(providers\|auth\)/##p' | paste -sd'|')
  log "compiling QGIS with $JOBS jobs (hours the first time; log: $CHROOT$WORK/logs/build.log)"
  in_chroot "set -e; cd $WORK/build && CCACHE_DIR=$WORK/ccache nice -n 10 ninja -j$JOBS $targets && \
    cmake . >/dev/null && \
    sed -i -E '/src\/(providers|auth)\/[^/]+\/cmake_install.cmake/{/\/($keep)\//!d}' \
      src/providers/cmake_install.cmake src/auth/cmake_install.cmake && \
    cmake -P cmake_install.cmake >/dev/null" >>"$CHROOT$WORK/logs/build.log" 2>&1 \
    || { tail -40 "$CHROOT$WORK/logs/build.log"; exit 1; }
  echo "$PREFIX/lib:$QWT_PREFIX/lib" >"$CHROOT/etc/ld.so.conf.d/qgis-qt6.conf"
  in_chroot ldconfig
  mark installed
  log "installed into $PREFIX"
}

# The environment a QGIS installed in $PREFIX needs (what Debian's packaging sets by paths).
QGIS_ENV="export QGIS_PREFIX_PATH=$PREFIX PYTHONPATH=$PREFIX/share/qgis/python \
  LD_LIBRARY_PATH=$PREFIX/lib:$QWT_PREFIX/lib ARCGIS_GP_TEST_QGIS_PROCESS=$PREFIX/bin/qgis_process"

run_tests() {
  log "running the test suite against $(in_chroot "$QGIS_ENV; python3 -c \
    'from qgis.core import Qgis; from qgis.PyQt.QtCore import QT_VERSION_STR; \
     print(\"QGIS\", Qgis.version(), \"Qt\", QT_VERSION_STR)'")"
  rm -rf "$CHROOT/root/proj"
  mkdir -p "$CHROOT/root/proj"
  tar -C "$ROOT_DIR" --exclude=.venv --exclude=.git --exclude=.qgis-settings \
    --exclude=__pycache__ --exclude=build --exclude=dist --exclude=demo-output \
    --exclude=.pytest_pkg --exclude=tests/output -cf - . | tar -C "$CHROOT/root/proj" -xf -
  if [ -d "$ROOT_DIR/../shared" ]; then
    rm -rf "$CHROOT/root/shared" && cp -r "$ROOT_DIR/../shared" "$CHROOT/root/shared"
  fi
  # make test's two passes, with this QGIS instead of Debian's packages (setup.sh would
  # install Debian's Qt5 QGIS): a venv that sees the system PyQt6 (kept outside the copied
  # tree, so a second run does not download the pins again), then pytest twice.
  local status=0 venv=/root/venv-qt6
  in_chroot "set -e; $QGIS_ENV; cd /root/proj && \
    { [ -x $venv/bin/python ] || python3 -m venv --system-site-packages $venv; } && \
    $venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt && \
    QT_QPA_PLATFORM=offscreen $venv/bin/python -m pytest -m 'not gui' ${PYTEST_ARGS:-} && \
    { xvfb-run -a $venv/bin/python -m pytest -m gui -o qgis_gui_enabled=true \
        ${PYTEST_ARGS:-} || [ \$? -eq 5 ]; }" || status=$?
  rm -rf "$ROOT_DIR/tests/output/qt6" && mkdir -p "$ROOT_DIR/tests/output/qt6"
  cp -r "$CHROOT/root/proj/tests/output/." "$ROOT_DIR/tests/output/qt6/" 2>/dev/null || true
  log "screenshots of the Qt6 run: tests/output/qt6/"
  return $status
}

make_chroot
case "$STEP" in
  build) install_deps; fetch_sources; build_qwt; configure_qgis; build_qgis ;;
  test) install_test_deps; run_tests ;;
  all) install_deps; fetch_sources; build_qwt; configure_qgis; build_qgis; install_test_deps; run_tests ;;
  shell) in_chroot "$QGIS_ENV; cd /root; exec bash -i" ;;
  *) echo "usage: $0 [build|test|all|shell]" >&2; exit 2 ;;
esac
