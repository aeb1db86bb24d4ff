"""Reusable widgets for the offer wizard."""
