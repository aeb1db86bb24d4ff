"""The garbage collector during the wizard's start-up. No Textual here: cli.py pauses the
collector before Textual is imported.

Start-up (importing Textual and our modules, composing the wizard, the first frame) allocates
some hundred thousand objects and frees few, so each collection in it only walks them: measured
here, ~20 ms of collections during the imports and a full pass of 25-50 ms inside the first
render. The collector is paused from the wizard command's first import until the first frame
(``OfferTuiApp._after_first_frame``), or the end of ``run``, whichever comes first.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Stop collecting until ``resume`` (nothing to do when the caller already disabled it)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Undo ``pause``; a no-op when it paused nothing or ran already."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()
