"""Meetings in git: textconv, semantic diffs and `git-setup` (`support`), and the
record-by-record merge driver (`merge`).

May import `text`, `rules`, `record`, `store` and `meeting`.
"""
