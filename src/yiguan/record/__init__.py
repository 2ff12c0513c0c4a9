"""The records of the files: the schema mini-language (`schema`), the record classes and
the meeting (`model`), and TOML to records and back (`fileformat`, with the fast reader
of yiguan's own layout in `canonical`).

May import `text` and `rules`.
"""
