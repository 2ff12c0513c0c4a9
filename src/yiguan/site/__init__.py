"""The public site (居务公开): static pages built from one council's data folder or many.

`build.py` finds the councils, guards the output folder and writes only what changed
(its manifest, `.yiguan-site.json`); `pages.py` lays out each page around the documents
of `render` (the minutes in their public edition, the notices) and the ledgers of
`render/reports.py`, with charts from `render/charts.py`.

The part between `render` and `room`: it may import `text` … `render`, never `room` or
`cli`; it knows nothing of Typer.
"""
