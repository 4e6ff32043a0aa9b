"""Reporting an incident: the preliminary report form, its engine, and filing the case."""
