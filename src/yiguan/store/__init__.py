"""The data folder on disk: finding, locking, writing atomically and undoing
(`folder`), the private file git ignores (`private`), and the cache of meeting
summaries behind the reports (`index`).

May import `text`, `rules` and `record`.
"""
