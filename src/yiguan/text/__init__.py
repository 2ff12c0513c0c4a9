"""Words and text: what user text may hold (`safety`); the languages yiguan speaks, each
a `messages.Locale` made from its module (`locale_zh.py`, `locale_en.py`: its catalogue
of every sentence, punctuation, number words and plural), and `messages.t`, which asks
the Locale of the run; and the one error family (`errors`).

The bottom part: it imports nothing of yiguan outside itself.
"""
