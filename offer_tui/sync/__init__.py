"""The Offer Library as code: export a sandbox to files, plan them against a sandbox, apply.

No Textual and no printing here; ``commands/sync.py`` and the app render what these return.

Modules:
  fileform  pure: bodies to and from their file form (``"@kind/name"`` references, stable key
            order, server fields dropped), file names safe on every file system
  folder    reading and validating an exported folder (every problem as ``FILE: path: reason``)
  export    a sandbox to a folder, streamed (memory flat in the number of offers)
  plan      a folder against a sandbox: create / update (JSON Patch) / unchanged / delete
  apply     the plan carried out in dependency order through a journal (never twice)
  memory    an export held in memory: a selection and everything it references
  compare   two sandboxes side by side, and the plan for marked objects (the Sandboxes view)
  sides     opening a profile as one end of a comparison
"""
