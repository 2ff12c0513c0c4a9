"""The data folder on disk: finding, locking, writing atomically and undoing
(`folder`), the private file git ignores (`private`), the cache of meeting
summaries behind the reports (`index`), and the 文号 given to documents (`numbers`).

May import `text`, `rules` and `record`.
"""
