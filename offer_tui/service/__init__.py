"""The application layer: every operation once, under both the command line and the app.

No Textual and no printing here. ``commands/`` parses arguments, calls a function of this
package and prints its outcome; ``ui/`` asks, calls the same function in a worker and renders
the outcome. Nothing in ``commands/`` or ``ui/`` interprets HTTP statuses, receipts, retry rules
or ``outcome_unknown`` itself: that is done here, once, so the two front ends cannot drift.

Modules:
  session   Session: resolved profile, API client, time budget, production flag, close()
  outcomes  the typed outcome every write returns: Done / Refused / Unknown
  offers    create, patch, set status, delete, lookups by name, of offers
  summary   the offer summary both `get` and the library's open pane render
  bulk      the journaled run shared by bulk and copy
  copy      copy plan and copy run
  preview   preview a decision: resolve, send to the Decisioning API, explain "why not the others"
"""
