"""The odd numbers sent: unreadable ones, oddly written ones, blanks, and more for Hypothesis."""

# Numbers no view can read: whatever field they are in, the request changes nothing.
UNREADABLE = [
    "²",  # str.isdigit() says yes, int() says no
    "٣" * 25,  # Arabic-Indic digits: int() reads them, and this is far over 2**63
    "３" * 25,  # fullwidth digits
    str(2**63),  # one over the largest 64-bit integer a database column holds
    str(2**64),
    "9" * 30,
    "9" * 10_000,  # over int()'s limit of 4,300 digits
    "1e999",
    "½",
]
# Small numbers written oddly. No id is written so, and a request with one as an id changes
# nothing; in a field a person types a number into (`Target.typed`), a Django form may read
# them as 0, 3 or 1, which is fine as long as its bounds hold.
ODDLY_WRITTEN = ["٠", "-1", "٣", "３", " 1", "+1", "1.5"]
# Nothing at all: optional fields take it for "none".
BLANK = ["", " "]
# More for Hypothesis to draw from.
MORE_ODD_NUMBERS = [
    "０",
    "𝟑",
    "Ⅻ",
    "0x10",
    "1,5",
    "1_0",
    "1\x00",
    "NaN",
    "-inf",
    "\t\n",
    "-" + "9" * 30,
    str(2**63 + 1),
    "9" * 4301,
    "0.5",
]
# The same for numbers in a URL's path (the resolver only passes ASCII digits on).
ODD_PATH_IDS = ["0", str(2**63 - 1), str(2**63), str(2**64), "9" * 30, "9" * 5000]
