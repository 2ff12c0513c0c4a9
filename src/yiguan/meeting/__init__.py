"""What happens to a meeting: the steps taken in the room (`proceedings`), corrections of
a closed record (`corrections`), the order records must keep (`order`), the record as
signed at the close (`trail`), the floor and the list of speakers (`floor`), and the
validators of a file (`check`).

May import `text`, `rules`, `record` and `store`.
"""
