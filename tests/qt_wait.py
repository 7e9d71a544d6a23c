"""Waiting for Qt signals in tests, without timed asserts."""

from __future__ import annotations

from qgis.PyQt.QtCore import QEventLoop, QTimer


def wait_for_signal(signal, start, limit_ms: int = 30000) -> list:
    """Run ``start()`` and spin the event loop until ``signal`` fires (or the limit passes).

    Returns the signal's arguments; fails when it never came.
    """
    loop = QEventLoop()
    received: list = []

    def on_signal(*args) -> None:
        received.extend(args)
        loop.quit()

    signal.connect(on_signal)
    QTimer.singleShot(limit_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(on_signal)
    assert received, "the signal never came"
    return received
