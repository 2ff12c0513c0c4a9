"""Documents rendered from a meeting file: the minutes (会议记录) and the public notice (公示).

Each renderer takes plain arguments (the meeting record, the council's name, the source
file's name, the language) and returns Markdown text: no Typer, no rich, no I/O, no clock,
so the same file always gives the same bytes and the documents can be committed and
diffed. `markdown` escapes file text; `facts` holds what both documents state. Import the
renderer you need (`from yiguan.render.minutes import render_minutes`): this package
imports nothing itself, to keep the commands that never render fast.

May import `text`, `rules`, `record`, `store`, `meeting` and `git`.
"""
