"""Words and text: what user text may hold (`safety`), every sentence yiguan says in each
language (`catalog_zh`, `catalog_en`, `messages`), and the one error family (`errors`).

The bottom part: it imports nothing of yiguan outside itself.
"""
