"""The records of the files: the schema mini-language (`schema`), the kinds of record a
meeting holds, each declared once (`kinds`), the council, the rules and the meeting
(`model`), the council's pattern of 文号 (`numbers`), and TOML to records and back
(`fileformat`, with the fast reader of yiguan's own layout in `canonical`).

May import `text` and `rules`.
"""
