"""Widgets: connection dialog, Browser items, jobs panel. The only layer that touches widgets."""
