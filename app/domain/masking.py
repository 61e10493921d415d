"""Personal data shown beyond the agencies that hold it (QUALITY.md S6): the applicant's name in
the status projection is masked, "Nguyễn Văn An" -> "Nguyễn V** A*"."""

import unicodedata

MASK = "*"


def _initial(word: str) -> str:
    """The first letter of a word with its masks: one per letter after it. A letter followed by
    combining marks that NFC could not compose stays one letter."""
    first = 1
    while first < len(word) and unicodedata.combining(word[first]):
        first += 1
    hidden = sum(1 for char in word[first:] if not unicodedata.combining(char))
    return word[:first] + MASK * hidden


def mask_name(name: str) -> str:
    """The first word whole (the family name), every later word as its first letter and one
    `*` per letter after it. Words are separated by any whitespace and joined by one space; the
    text is NFC-normalised first, so a letter typed as a base and marks counts once."""
    first, *rest = unicodedata.normalize("NFC", name).split() or [""]
    return " ".join([first, *(_initial(word) for word in rest)])
