"""British, Australian and other Commonwealth spellings, accepted by way of their American forms.

The shipped word list is American (SCOWL's en-US). Rather than ship a second list, a word the
list does not know is accepted under en-GB (en-AU, en-NZ, en-IE, en-ZA, en-CA) when one of its
regular American spellings is known: -our/-or, -ise/-ize, -yse/-yze, -tre/-ter, oe/ae → e,
doubled l before a suffix, -ogue/-og, -ence/-ense. Typos stay typos: "colur" has no American
form either.
"""

from __future__ import annotations

import re
from typing import Iterator

COMMONWEALTH = ("en-GB", "en-AU", "en-NZ", "en-IE", "en-ZA", "en-CA")

# (pattern, replacement): each applied alone and all together, so "paediatrician" and
# "randomised" both find their American forms.
_RULES = (
    (re.compile(r"our(?=s?$|ed$|ing$|ite|able|ful|less|ist|er)"), "or"),  # colour, favourite, flavourful
    (re.compile(r"is(?=e$|es$|ed$|ing$|ation|ations|er$|ers$)"), "iz"),  # randomised, organisation
    (re.compile(r"ys(?=e$|es$|ed$|ing$)"), "yz"),  # analyse
    (re.compile(r"(?<=[bgt])re(?=s?$)"), "er"),  # fibre, centre, litre, meagre
    (re.compile(r"oe(?=[a-z])"), "e"),  # oestrogen, oedema, diarrhoea → diarrhea (with ae below)
    (re.compile(r"ae(?=[a-z])"), "e"),  # paediatric, anaemia, haemoglobin
    (re.compile(r"ll(?=ed$|ing$|er$|ers$|ation)"), "l"),  # travelled, modelling
    (re.compile(r"ogue(?=s?$)"), "og"),  # catalogue
    (re.compile(r"ence(?=s?$)"), "ense"),  # licence, defence
    (re.compile(r"mme(?=s?$)"), "m"),  # programme
    (re.compile(r"^coeliac"), "celiac"),
    (re.compile(r"^liquorice"), "licorice"),
    (re.compile(r"^grey"), "gray"),
    (re.compile(r"^mum(?=s?$)"), "mom"),
    (re.compile(r"^tyre(?=s?$)"), "tire"),
    (re.compile(r"^plough"), "plow"),
)


def american_spellings(word: str) -> Iterator[str]:
    lowered = word.lower()
    seen = {lowered}
    combined = lowered
    for pattern, replacement in _RULES:
        single = pattern.sub(replacement, lowered)
        if single not in seen:
            seen.add(single)
            yield single
        combined = pattern.sub(replacement, combined)
    if combined not in seen:
        yield combined
