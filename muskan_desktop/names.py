"""Phonetic keys for child names written in Devanagari and/or Latin script.

Officers type names in either script and with many spellings ("Sunita", "Suneeta",
"सुनीता"). Every name token is reduced to a short lowercase ASCII *key* so that the same
name gives the same key; the database stores the keys of each case in an indexed table
and search fuzzy-matches a query key against the small vocabulary of distinct keys.
Everything here is pure (no database, no Qt) so it can be tested and reused anywhere.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

__all__ = [
    "fuzzy_key_matches",
    "name_keys",
    "phonetic_key",
    "script_of",
    "to_devanagari_suggestions",
]

# Devanagari letters, signs and digits, minus the danda punctuation (।, ॥).
_DEVA_CHARS = "\u0900-\u0963\u0966-\u097f\ua8e0-\ua8ff"
_DEVA_RE = re.compile(f"[{_DEVA_CHARS}]")
_TOKEN_RE = re.compile(f"(?:[^\\W_]|[{_DEVA_CHARS}\u200c\u200d])+")
_VIRAMA = "\u094d"
_NUKTA = "\u093c"
_CODA_SIGNS = "\u0900\u0901\u0902\u0903"  # chandrabindu, anusvara, visarga close a syllable


def _is_consonant(ch: str) -> bool:
    return "\u0915" <= ch <= "\u0939" or "\u0958" <= ch <= "\u095f" or "\u0978" <= ch <= "\u097f"


def _is_vowel_sign(ch: str) -> bool:
    if "\u093a" <= ch <= "\u094c":
        return ch not in "\u093c\u093d"  # nukta and avagraha sit inside the matra range
    return ch in "\u094e\u094f\u0955\u0956\u0957\u0962\u0963"


def _is_vowel_letter(ch: str) -> bool:
    return "\u0904" <= ch <= "\u0914" or ch in "\u0960\u0961" or "\u0972" <= ch <= "\u0977"


def _delete_schwas(text: str) -> str:
    """Mark the Hindi schwas that are not pronounced with a virama before transliterating.

    Sanskrit-style transliteration keeps every inherent 'a' (राहुल -> rāhula, लकड़ा ->
    lakaṛā); Hindi drops the word-final one and medial ones in the context VC_CV (Ohala),
    which is how officers spell names in Latin (Rahul, Lakra, Sapna).
    """
    # Units: [text, kind ("C" consonant / "V" vowel letter / "X" other), vowel ("a" inherent,
    # "v" explicit, "" none), closed-by-coda-sign]
    units: list[list[Any]] = []
    for ch in text:
        last = units[-1] if units else None
        if _is_consonant(ch):
            units.append([ch, "C", "a", False])
        elif _is_vowel_letter(ch):
            units.append([ch, "V", "v", False])
        elif last is not None and last[1] == "C" and ch == _NUKTA:
            last[0] += ch
        elif last is not None and last[1] == "C" and last[2] == "a" and _is_vowel_sign(ch):
            last[0] += ch
            last[2] = "v"
        elif last is not None and last[1] == "C" and last[2] == "a" and ch == _VIRAMA:
            last[0] += ch
            last[2] = ""
        elif last is not None and last[1] in "CV" and ch in _CODA_SIGNS:
            last[0] += ch
            last[3] = True
        else:
            units.append([ch, "X", "", False])

    def inherent(u: list[Any]) -> bool:
        return u[1] == "C" and u[2] == "a" and not u[3]

    if units and inherent(units[-1]) and len(units) > 1:
        units[-1][0] += _VIRAMA
        units[-1][2] = ""
    for i in range(1, len(units) - 1):
        prev, cur, nxt = units[i - 1], units[i], units[i + 1]
        if inherent(cur) and prev[2] and not prev[3] and nxt[1] == "C" and nxt[2]:
            cur[0] += _VIRAMA
            cur[2] = ""
    return "".join(u[0] for u in units)


def _deva_to_latin(token: str) -> str:
    """Devanagari (possibly mixed with Latin) -> loose Latin as a Hindi speaker would spell it."""
    text = unicodedata.normalize("NFC", token).replace("\u200c", "").replace("\u200d", "")
    from indic_transliteration import sanscript  # 0.15 s to import: only when needed

    iast = sanscript.transliterate(_delete_schwas(text), sanscript.DEVANAGARI, sanscript.IAST)
    iast = unicodedata.normalize("NFC", iast)
    for src, dst in (("ṃh", "ngh"), ("ṃ", "n"), ("~", "n"), ("ḥ", ""), ("jñ", "gy")):
        iast = iast.replace(src, dst)
    for src, dst in (("ṛ", "ri"), ("ṝ", "ri"), ("ḷ", "li"), ("ḹ", "li")):
        iast = iast.replace(src, dst)
    return iast


# Latin normalisation, applied in order. Each rule folds one kind of officer spelling
# variation; the result is short but still readable (sunit, kusbu, lakr, topo).
_LATIN_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"ck", "k"),  # Beck -> bek
        (r"x", "ks"),
        (r"q", "k"),
        (r"z", "j"),  # ज़ is written j or z
        (r"w", "v"),  # Kanwar = कंवर
        (r"ph", "f"),  # फ and फ़ both -> f
        (r"ey$", "i"),  # Tirkey = Tirki = तिर्की
        (r"(?<=[^aeiou])y$", "i"),  # Bunty = बंटी
        (r"aa", "a"),  # vowel length is not spelt consistently
        (r"ee|ii", "i"),
        (r"oo|uu", "u"),
        (r"(?<=[^aeiouh])h", ""),  # aspiration and sh/s: th->t, kh->k, sh->s, ढ़ (rh)->r
        (r"m(?=[pb])", "n"),  # anusvara before a labial: Champa = चंपा
        (r"iy(?=[aeiou])", "i"),  # Priya = प्रिया -> pria, Nagesia = नगेसिया
        (r"(.)\1+", r"\1"),  # Toppo = Topo, Ekka -> ek
        (r"^(.*[aeiou].*[^aeiou])a$", r"\1"),  # final a after a consonant: Sunita = सुनीता
    )
)


@lru_cache(maxsize=100_000)
def phonetic_key(token: str) -> str:
    """One name token (either script) -> a lowercase ASCII key.

    The same name in Devanagari or Latin, and common officer spelling variants, give the
    same key, so search can use exact index lookups for most cases.
    """
    text = _deva_to_latin(token) if _DEVA_RE.search(token) else token
    text = unicodedata.normalize("NFKD", text.lower())
    key = "".join(ch for ch in text if "a" <= ch <= "z")
    for pattern, repl in _LATIN_RULES:
        key = pattern.sub(repl, key)
    return key


def name_keys(*texts: str | None) -> list[str]:
    """Keys of all tokens of all texts, de-duplicated in first-seen order.

    Splits on whitespace, punctuation and hyphens; scripts may be mixed. Keys shorter than
    two characters are dropped (initials match too much). No words are treated as filler:
    Kumari/Kumar are real surnames here.
    """
    keys: dict[str, None] = {}
    for text in texts:
        for token in _TOKEN_RE.findall(text or ""):
            key = phonetic_key(token)
            if len(key) > 1:
                keys.setdefault(key, None)
    return list(keys)


def _max_edits(key_length: int) -> int:
    """Short keys match exactly (one edit turns 'sit' into 'git'); long keys tolerate more."""
    return 0 if key_length <= 3 else 1 if key_length <= 6 else 2


_SKELETON_DROP = str.maketrans("", "", "aeiouy")


def _skeleton(key: str) -> str:
    """Consonants only, with ड़'s two Latin spellings (d, r) folded: officers' spelling
    variants change vowels (Jyoti/Joti, Sunita/Suneeta), different names change consonants
    (Sunita/Sunil, Rani/Ravi)."""
    return key.translate(_SKELETON_DROP).replace("d", "r")


def fuzzy_key_matches(query_key: str, vocabulary: Sequence[str], *, limit: int = 50) -> list[str]:
    """Keys in vocabulary that may be the same name as query_key, closest (exact) first.

    Edit tolerance grows with length (0 edits up to 3 characters, 1 for 4-6, 2 for 7+), and a
    candidate must keep the query's consonants (up to one change in long names), so spelling
    variants match and different names do not. rapidfuzz keeps 5,000 keys under 1 ms.
    """
    if not query_key or limit <= 0:
        return []
    hits = process.extract(
        query_key,
        vocabulary,
        scorer=Levenshtein.distance,
        score_cutoff=_max_edits(len(query_key)),
        limit=limit,
    )
    bones = _skeleton(query_key)
    slack = 1 if len(bones) >= 4 else 0
    return [
        choice
        for choice, distance, _index in hits
        if distance == 0 or Levenshtein.distance(bones, _skeleton(choice)) <= slack
    ]


def _names_file() -> Path:
    """The bundled list of common names (Latin/Devanagari pairs)."""
    from .paths import resource

    return resource("data", "names.json")


@cache
def _deva_by_key() -> dict[str, list[str]]:
    """Key -> Devanagari spellings of the bundled names and places, loaded on first use."""
    from . import places

    data = json.loads(_names_file().read_text(encoding="utf-8"))
    pairs = [tuple(p) for g in ("girls", "boys", "surnames") for p in data.get(g, [])]
    pairs += [(s.name.en, s.name.hi) for s in places.stations()]
    pairs += [(d.en, d.hi) for d in places.districts()] + [(s.en, s.hi) for s in places.states()]
    index: dict[str, list[str]] = {}
    for latin, deva in pairs:
        if " " in latin or "-" in latin:
            continue  # multi-word places are suggested word by word
        for key in (phonetic_key(latin), phonetic_key(deva)):
            if deva not in index.setdefault(key, []):
                index[key].append(deva)
    return index


def _rule_based_devanagari(word: str) -> str:
    """Loose Latin -> ITRANS -> Devanagari, for names not in the bundled list."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", word.lower()) if "a" <= ch <= "z")
    for pattern, repl in (
        (r"aa", "A"),
        (r"ee|ii", "I"),
        (r"oo|uu", "U"),
        (r"w", "v"),
        (r"c(?!h)", "k"),
        (r"(?<=[^aeiouAIU])a$", "A"),  # a written final 'a' is long in Hindi names: Rekha
        (r"(?<=[^aeiouAIU])y$", "I"),
    ):
        text = re.sub(pattern, repl, text)
    from indic_transliteration import sanscript

    deva = sanscript.transliterate(text, sanscript.ITRANS, sanscript.DEVANAGARI)
    deva = "".join(ch for ch in deva if "\u0900" <= ch <= "\u097f")
    return deva.removesuffix(_VIRAMA)  # Hindi does not write the final virama: भोपल


def _word_suggestions(word: str, limit: int) -> list[str]:
    if _DEVA_RE.search(word):
        return [word]
    index = _deva_by_key()
    found: dict[str, None] = {}
    key = phonetic_key(word)
    for match in fuzzy_key_matches(key, list(index), limit=limit):  # exact key comes first
        for deva in index[match]:
            found.setdefault(deva, None)
    fallback = _rule_based_devanagari(word)
    if fallback:
        found.setdefault(fallback, None)
    return list(found)[:limit]


def to_devanagari_suggestions(latin: str, *, limit: int = 5) -> list[str]:
    """Devanagari spellings to offer while an officer types a name in Latin.

    Known names whose key matches come first (exact key, then fuzzy), then a rule-based
    transliteration. Multi-word input is suggested per word; the n-th suggestion joins each
    word's n-th choice (or its last one).
    """
    per_word = [s for s in (_word_suggestions(w, limit) for w in _TOKEN_RE.findall(latin)) if s]
    if not per_word or limit <= 0:
        return []
    out: dict[str, None] = {}
    for n in range(max(len(s) for s in per_word)):
        out.setdefault(" ".join(s[min(n, len(s) - 1)] for s in per_word), None)
    return list(out)[:limit]


def script_of(text: str) -> Literal["deva", "latin", "mixed", "none"]:
    """Which script(s) a text is written in, so forms know which field an entry belongs to."""
    deva = bool(re.search("[\u0900-\u0963\u0971-\u097f\ua8e0-\ua8ff]", text))
    latin = any(ch.isalpha() and "LATIN" in unicodedata.name(ch, "") for ch in text)
    if deva and latin:
        return "mixed"
    return "deva" if deva else "latin" if latin else "none"
