"""offer-tui: a terminal wizard for Adobe Journey Optimizer Offer Library offers."""

__version__ = "0.1.0"
