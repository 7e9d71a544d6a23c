"""Job records that outlive a QGIS session: watching, resuming, cancelling."""
