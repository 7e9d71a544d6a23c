# ArcGIS Geoprocessing Services for QGIS: developer commands.
# `make demo` and `make test` are the contract (see README.md).

SHELL        := /bin/bash
PLUGIN       := arcgis_gp
VERSION      := $(shell sed -n 's/^version=//p' metadata.txt)
SYSTEM_PY    ?= /usr/bin/python3
VENV         := .venv
PY           := $(VENV)/bin/python
QGIS_PROFILE ?= default
QGIS_PROFILES_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles
# What goes into the plugin zip: run-time files only.
RUNTIME      := metadata.txt __init__.py LICENSE README.md CHANGELOG.md plugin icons i18n
# Translation sources i18n/arcgis_gp_<locale>.ts (en: the source a translator copies).
LOCALES      ?= en
# PyQt's pylupdate5 (Debian: pyqt5-dev-tools; it reads Python as Python, Qt's lupdate
# trips over apostrophes in comments) and Qt's lrelease (qttools5-dev-tools).
PYLUPDATE    ?= pylupdate5
LRELEASE     ?= lrelease
APT_PACKAGES := python3-qgis qgis-providers qgis xvfb gdal-bin python3-venv
export QT_QPA_PLATFORM ?= offscreen

.PHONY: translations setup test test-newer-qgis test-qt6 check-qt6 lint demo bench package install clean help

help:
	@echo "make demo     run GP tasks through the plugin against the bundled server"
	@echo "make test     install what is needed and run the test suite"
	@echo "make lint     ruff"
	@echo "make bench    benchmarks (figures go to tests/benchmarks/RESULTS.md)"
	@echo "make test-newer-qgis  make test against QGIS 3.40 and 3.44 (Qt5) in Debian chroots (root)"
	@echo "make test-qt6 make test against QGIS 3.44 built with Qt6 in a Debian chroot (root, hours)"
	@echo "make check-qt6  QGIS's pyqt5_to_pyqt6 checker over plugin/ and tests/"
	@echo "make translations  i18n/*.ts from the sources (pylupdate5), compiled to .qm (lrelease)"
	@echo "make package  dist/$(PLUGIN)-$(VERSION).zip for the QGIS plugin repository"
	@echo "make install  copy the plugin into the QGIS profile '$(QGIS_PROFILE)'"
	@echo "make clean    remove build and test artefacts"

setup: $(VENV)/.installed

$(VENV)/.installed: requirements-dev.txt scripts/setup.sh
	@SYSTEM_PY=$(SYSTEM_PY) VENV=$(VENV) APT_PACKAGES="$(APT_PACKAGES)" bash scripts/setup.sh
	@touch $@

test: setup
	$(PY) -m pytest -m "not gui" $(PYTEST_ARGS)
	env -u QT_QPA_PLATFORM xvfb-run -a $(PY) -m pytest -m gui -o qgis_gui_enabled=true $(PYTEST_ARGS) || [ $$? -eq 5 ]

# QGIS lines tested by test-newer-qgis (Debian binary packages, Qt5).
NEWER_QGIS ?= 3.40 3.44
test-newer-qgis:
	set -e; for line in $(NEWER_QGIS); do bash scripts/test-newer-qgis.sh $$line; done

# Builds QGIS with Qt6 once (hours on 2 cores; resumes where it stopped), then tests.
test-qt6:
	bash scripts/build-qgis-qt6.sh all

# QGIS's own PyQt5 -> PyQt6 migration checker, from QGIS's source package (not copied
# here): scripts/pyqt5_to_pyqt6/pyqt5_to_pyqt6.py. Default: the sources test-qt6 fetched.
check-qt6:
	bash scripts/check-qt6.sh $(PYQT6_CHECKER)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

demo: setup
	$(PY) -m scripts.demo

bench: setup
	$(PY) -m tests.benchmarks

# Installs Qt's linguist tools with apt when they are missing (Debian/Ubuntu, as setup does).
translations:
	@command -v $(PYLUPDATE) >/dev/null && command -v $(LRELEASE) >/dev/null || \
	  { pkgs="pyqt5-dev-tools qttools5-dev-tools"; \
	    apt-get install -y -q $$pkgs || sudo apt-get install -y -q $$pkgs; }
	$(PYLUPDATE) -noobsolete $$(find plugin -name '*.py' | sort) \
	  -ts $(foreach locale,$(LOCALES),i18n/$(PLUGIN)_$(locale).ts)
	$(LRELEASE) -silent i18n/$(PLUGIN)_*.ts

package:
	@command -v $(LRELEASE) >/dev/null && $(LRELEASE) -silent i18n/$(PLUGIN)_*.ts || \
	  echo "no $(LRELEASE): the package has no compiled translations (make translations)"
	@rm -rf build/package dist/$(PLUGIN)-$(VERSION).zip
	@mkdir -p build/package/$(PLUGIN) dist
	@cp -r $(RUNTIME) build/package/$(PLUGIN)/
	@find build/package -name '__pycache__' -prune -exec rm -rf {} + ; find build/package -name '*.pyc' -delete
	@cd build/package && zip -qr ../../dist/$(PLUGIN)-$(VERSION).zip $(PLUGIN)
	@echo "dist/$(PLUGIN)-$(VERSION).zip"

install: package
	@dest="$(QGIS_PROFILES_DIR)/$(QGIS_PROFILE)/python/plugins"; \
	  mkdir -p "$$dest" && rm -rf "$$dest/$(PLUGIN)" && \
	  cd "$$dest" && unzip -q "$(CURDIR)/dist/$(PLUGIN)-$(VERSION).zip" && \
	  echo "installed into $$dest/$(PLUGIN); enable it in Plugins > Manage and Install Plugins"

clean:
	rm -rf i18n/*.qm build dist .pytest_pkg tests/output demo-output .ruff_cache .hypothesis
	find . -path ./.venv -prune -o -name '__pycache__' -type d -prune -exec rm -rf {} +
