"""Multi-screen flows of the wizard (submit, edit, checks), kept out of ``ui/app.py``."""
