"""F1 text of the library (the key table is generated from the bindings)."""

LIBRARY_HELP = """# Offer library

Every kind of the sandbox's Offer Library, one page at a time (the next page loads as you scroll).
`:` switches kind (`:decisions`, `:tags`; Tab completes); the row at the top shows where you are.
`/` filters by name as you type (on the server, case-insensitive); `s` cycles the status filter,
`t` switches between personalized and fallback offers. Enter opens an object: its summary with
every reference by name, what uses it, and its JSON; Enter on a reference opens that one, Esc
comes back. `r` or F5 refreshes (the table stays; Esc cancels the refresh).
Space marks rows (and moves down); approve, archive, delete and copy act on the marked rows,
after one confirmation that names them, and report one line per offer. Marks survive a filter
and a refresh. Deleting one asks you to type its name; an object that others use is refused
unless you force it.
"""
