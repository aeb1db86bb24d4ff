"""Flows: what happens between screens (confirm, send, show the result), one module per flow.

Imports point one way: the app imports flows, flows import screens, screens import widgets.
A flow runs in a worker and awaits each screen it pushes (``push_screen_wait``), so the whole
sequence reads top to bottom in one function.
"""
