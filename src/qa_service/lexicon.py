"""What the corpus calls things: its words, its names, and the short forms of its names.

Users write "AMLO" where the corpus writes "Andrés Manuel López Obrador", "US" for "United
States", "Grupo Mexcio" for "Grupo México". A question word the corpus never uses is
replaced by the corpus's own name when it is the initials of a name the corpus uses
(counted over the whole corpus, the most frequent wins) or a close spelling of one
(rapidfuzz ratio, `MIN_SPELLING_SIMILARITY`). Words the corpus does use are never touched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_SPANISH
from rapidfuzz import fuzz, process

from qa_service.terms import CAPITALISED, fold, stems

_WORD = re.compile(r"[\wÁÉÍÓÚÑáéíóúñü'’-]+")

_CONNECTOR = r"(?:de|del|de la|y|of|the|and)"
# A run of capitalised words, with the connectors names use: "Andrés Manuel López Obrador",
# "Alianza del Pacífico", "Ministry of Foreign Affairs".
_NAME_RUN = re.compile(rf"{CAPITALISED}(?:\s+(?:{_CONNECTOR}\s+)?{CAPITALISED})+")
_UPPER = re.compile(r"\b[A-Z]{2,6}\b(?![$€])")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n)([A-ZÁÉÍÓÚÑ][\wáéíóúñü'’-]*)")
_STOP = frozenset(STOPWORDS_EN) | frozenset(fold(w) for w in STOPWORDS_SPANISH)
# Set on the dev question sets' misspellings ("Mexcio", "Sheimbaum", "Castiyo" score 83-87
# against the right name); 80 leaves ordinary words such as "mexicans" or "boycott" alone.
MIN_SPELLING_SIMILARITY = 80.0
_POSSESSIVE = re.compile(r"^(.*?)((?:['’]s)?)$")
_POSSESSIVE_TAIL = re.compile(r"['’]s$")
_ARTICLE = re.compile(r"^(?:The|El|La|Los|Las)\s+")
_CONNECTOR_WORDS = frozenset({"de", "del", "la", "y", "of", "the", "and"})
# English prefixes that make a word's opposite ("unwelcome", "nonbinding"): `Lexicon.ordinary`.
_NEGATING = ("un", "non")


class Lexicon:
    """Vocabulary, names and acronyms of one index version's documents."""

    def __init__(
        self,
        texts: Iterable[str],
        common: Iterable[str] = (),
        name_parts: bool = False,
        spare_inflections: bool = False,
    ) -> None:
        """`common`: ordinary words never to be read as misspelt names (the model's whole-word vocabulary),
        unless, with `name_parts`, the word stands next to a part of a name the corpus writes
        (`respell_part`). With `spare_inflections`, a form of such a word is ordinary too (`ordinary`)."""
        words: set[str] = set()
        pairs: set[tuple[str, str]] = set()
        surface: Counter[str] = Counter()
        names: set[str] = set()
        upper: Counter[str] = Counter()
        expansions: dict[str, Counter[str]] = {}
        for text in texts:
            starts = {m.start(1) for m in _SENTENCE_START.finditer(text)}
            for m in _WORD.finditer(text):
                w = m.group(0)
                folded = fold(w)
                words.add(folded)
                if (
                    w[0].isupper()
                    and m.start() not in starts
                    and folded not in _STOP
                    and len(folded) > 2
                ):
                    names.add(folded)
                    surface[w] += 1
            upper.update(_UPPER.findall(text))
            for m in _NAME_RUN.finditer(text):
                name = _ARTICLE.sub("", m.group(0))
                parts = [p for p in name.split() if p.lower() not in _CONNECTOR_WORDS]
                folded_parts = [fold(_POSSESSIVE_TAIL.sub("", p)) for p in parts]
                pairs.update(pairwise(folded_parts))
                if len(parts) >= 2:
                    initials = "".join(fold(p)[0] for p in parts).upper()
                    expansions.setdefault(initials, Counter())[name] += 1
        self.words = frozenset(words)
        self.names = frozenset(names)
        # An acronym is written out when the corpus uses its expansion at least as often as the
        # acronym itself ("AMLO" 3 times, "Andrés Manuel López Obrador" 20): the passages that
        # answer are more likely to use the long form.
        self.acronyms = {
            k: name
            for k, c in expansions.items()
            for name, n in [c.most_common(1)[0]]
            if n >= upper.get(k, 0)
        }
        # The most frequent surface form of each name ("México" rather than "MÉXICO").
        forms: dict[str, tuple[int, str]] = {}
        for w, n in surface.items():
            f = fold(w)
            if n > forms.get(f, (0, ""))[0]:
                forms[f] = (n, w)
        self._form = {f: w for f, (_, w) in forms.items()}
        self._name_list = sorted(self.names)
        self.common = frozenset(fold(w) for w in common if w.isalpha())
        self._common_stems = frozenset(stems(sorted(self.common))) if spare_inflections else None
        # Neighbouring parts of the names the corpus writes ("betssy", "chavez"), for `respell_part`,
        # looked up by either neighbour: a scan of every pair per question word cost 1.5 ms an answer.
        self._part_before: dict[str, set[str]] = {}  # "chavez" -> {"betssy"}
        self._part_after: dict[str, set[str]] = {}  # "betssy" -> {"chavez"}
        for a, b in pairs:
            self._part_before.setdefault(b, set()).add(a)
            self._part_after.setdefault(a, set()).add(b)
        self.name_parts = name_parts

    def expand(self, token: str) -> str | None:
        """The corpus's name for an acronym it never writes ('AMLO'), or None."""
        return self.acronyms.get(token) if token.isupper() and 2 <= len(token) <= 6 else None

    def respell(self, token: str) -> str | None:
        """The corpus's spelling of a name the question misspells ('Mexcio' -> 'México'), or None."""
        folded = fold(token)
        if (
            len(folded) < 4
            or folded in self.words
            or folded in _STOP
            or folded in self.common
            or not folded.isalpha()
            or self.ordinary(folded)
        ):
            return None
        match = process.extractOne(
            folded, self._name_list, scorer=fuzz.ratio, score_cutoff=MIN_SPELLING_SIMILARITY
        )
        return self._form.get(match[0], match[0]) if match else None

    def ordinary(self, folded: str) -> bool:
        """Is a word outside the vocabulary a form of an ordinary word ("minding", "diplomatically",
        "unwelcome")? Such a word is no misspelt name: "minding" is not "Mining", nor "unwelcome"
        "Welcome". Its stem is an ordinary word's stem, or it is one with a negating prefix."""
        if self._common_stems is None:
            return False
        return stems([folded])[0] in self._common_stems or any(
            folded.startswith(p) and folded[len(p) :] in self.common for p in _NEGATING
        )

    def respell_part(self, token: str, before: str, after: str) -> str | None:
        """The corpus's spelling of a name part the question misspells as an ordinary word ("Betsy
        Chavez" -> "Betssy", "Haya de la Tore" -> "Torre"), or None.

        `respell` leaves ordinary words alone ("betsy", "tore" are words of the model's vocabulary);
        one the corpus never writes, standing next to a name part (`before`, `after`: the question's
        neighbouring words, connectors skipped) that the corpus writes beside a close spelling of it,
        is that name's part."""
        folded = fold(token)
        if len(folded) < 4 or folded in self.words or folded in _STOP or not folded.isalpha():
            return None
        beside = self._part_before.get(fold(after), set()) | self._part_after.get(
            fold(before), set()
        )
        match = process.extractOne(
            folded, sorted(beside), scorer=fuzz.ratio, score_cutoff=MIN_SPELLING_SIMILARITY
        )
        return self._form.get(match[0], match[0]) if match else None

    def normalise(self, question: str) -> str:
        """The question with acronyms and misspelt names written as the corpus writes them."""
        found = list(_WORD.finditer(question))
        plain = [_POSSESSIVE_TAIL.sub("", m.group(0)) for m in found]
        content = [i for i, w in enumerate(plain) if w.lower() not in _CONNECTOR_WORDS]

        def neighbours(i: int) -> tuple[str, str]:
            at = content.index(i) if i in content else -1
            before = plain[content[at - 1]] if at > 0 else ""
            after = plain[content[at + 1]] if 0 <= at < len(content) - 1 else ""
            return before, after

        out: list[str] = []
        last = 0
        for i, m in enumerate(found):
            token, tail = _POSSESSIVE.match(m.group(0)).groups()  # type: ignore[union-attr]
            fixed = self.expand(token) or self.respell(token)
            if fixed is None and self.name_parts:
                fixed = self.respell_part(token, *neighbours(i))
            out.append(question[last : m.start()] + (fixed or token) + tail)
            last = m.end()
        return "".join(out) + question[last:]
