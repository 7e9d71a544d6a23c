"""Where the QGIS under test lives, for the child processes tests start.

Debian's packages need nothing: Python finds ``qgis`` and the libraries are on the
loader's path. A QGIS installed elsewhere (the Qt6 build of ``make test-qt6`` in
``/opt/qgis-qt6``) is found through these variables, which a test that gives its child a
clean environment must pass on, or the child cannot import ``qgis``.
"""

from __future__ import annotations

import os

#: The variables that locate a QGIS installed outside the system paths.
QGIS_LOCATION_VARIABLES = ("QGIS_PREFIX_PATH", "PYTHONPATH", "LD_LIBRARY_PATH")


def qgis_location() -> dict[str, str]:
    """Those of the variables this process has, to put in a child's environment."""
    return {name: os.environ[name] for name in QGIS_LOCATION_VARIABLES if name in os.environ}
