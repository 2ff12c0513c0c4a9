"""Documents rendered from a meeting file: the minutes (会议记录) and the public notice (公示).

Each document (minutes, notice, announce, sign-sheet, the reports) is built once as a
`document.Document` from plain arguments (the meeting record, the council, the language):
no Typer, no rich, no clock, so the same file always gives the same bytes. The formats
registered in `formats` turn it into Markdown, HTML, Word or PDF (and the notices into
PNG images for a phone); `markdown` escapes file text; `facts` holds what several
documents state. Import the module you need: this package imports nothing itself, to
keep the commands that never render fast.

May import `text`, `rules`, `record`, `store`, `meeting` and `git`.
"""
