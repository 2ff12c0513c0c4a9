"""The projector in the room: the public state of a meeting and its floor (`projector`)
and the read-only server that shows it (`screen`, with the page in `page/`).

May import every part below it: `text`, `rules`, `record`, `store`, `meeting`, `git`
and `render`.
"""
