"""What the council's rules and Chinese usage decide with no record at hand: thresholds,
votes and quorum (`engine`) and how its answers read (`words`), the notice period on the
official calendar (`deadline`), dates and times as people type them (`when`), and who a
typed name means (`names`).

May import `text`.
"""
