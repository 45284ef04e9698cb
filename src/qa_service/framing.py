"""The service's own words around the quotes, in the question's language.

Everything quoted comes from the English corpus; only these lines are the service's:
the decline, the date a present-tense answer speaks for, the warning when that date is
old, and the note on what the corpus does hold.
"""

from __future__ import annotations

import datetime as dt

from qa_service.language import Language
from qa_service.reading import MONTH_NAMES_ES

# "Now" answers warn when their newest source is older than this (issue 10: six months).
STALE_AFTER_DAYS = 183

NOT_COVERED = {
    "en": "The corpus does not cover this question: none of its documents on Mexico–Peru relations "
    "has a passage that answers it.",
    "es": "El corpus no cubre esta pregunta: ninguno de sus documentos sobre las relaciones entre México y "
    "Perú tiene un pasaje que la responda.",
}


def format_date(d: dt.date, language: Language = "en") -> str:
    """'24 February 2026' / '24 de febrero de 2026'."""
    if language == "es":
        return f"{d.day} de {MONTH_NAMES_ES[d.month - 1].split('|')[0]} de {d.year}"
    return f"{d.day} {d.strftime('%B %Y')}"


def not_covered(language: Language, holds: str | None = None) -> str:
    """The decline, with one line on what the corpus does hold when that helps."""
    text = NOT_COVERED[language]
    if holds:
        text += (
            " Lo más cercano que tiene: " if language == "es" else " The closest it holds: "
        ) + holds
    return text


def _joined(items: list[str], language: Language) -> str:
    last = " y " if language == "es" else " and "
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]


def missing_years(years: list[str], language: Language, held: list[str] | None = None) -> str:
    """Why a question about a year (or date) the corpus has nothing on is declined, and which years it has."""
    joined = _joined(years, language) if years else ""
    if language == "es":
        text = f"El corpus no tiene datos sobre esto para {joined}."
        return text + (f" Sí los tiene para {_joined(held, 'es')}." if held else "")
    text = f"The corpus holds nothing on this for {joined}."
    return text + (f" It does for {_joined(held, 'en')}." if held else "")


def after_horizon(newest: dt.date, language: Language) -> str:
    """Why a question about a time after the newest source is declined: the corpus stops there."""
    if language == "es":
        return (
            f"El corpus llega hasta el {format_date(newest, 'es')}, la fecha de su fuente más reciente: "
            "no puede decir qué pasó después."
        )
    return (
        f"The corpus stops at {format_date(newest)}, the date of its newest source: "
        "it cannot say what happened after that."
    )


def measure_words(kind: str, exporter: str | None, importer: str | None, language: Language) -> str:
    """A trade figure's measure in words: "Mexico's sales to Peru", "the trade balance", "total trade"."""
    if kind == "balance":
        return "la balanza comercial" if language == "es" else "the trade balance"
    if kind == "total":
        return "el comercio total" if language == "es" else "total trade"
    seller, buyer = (c.title() if c else None for c in (exporter, importer))
    if language == "es":
        return "las ventas" + (f" de {seller}" if seller else "") + (f" a {buyer}" if buyer else "")
    if seller:
        return f"{seller}'s sales" + (f" to {buyer}" if buyer else "")
    return "sales" + (f" to {buyer}" if buyer else "")


def no_figure(language: Language, held: list[str] | None = None, measure: str | None = None) -> str:
    """Why a question asking for a figure is declined: no passage gives it; which years the closest ones
    speak of, and, for a trade figure of another measure, which measure they give ("total trade")."""
    if language == "es":
        text = "El corpus no da esta cifra: ninguno de sus pasajes la recoge."
        if measure:
            years = f" para {_joined(held, 'es')}" if held else ""
            return text + f" El más cercano da {measure}{years}."
        return text + (f" Los más cercanos hablan de {_joined(held, 'es')}." if held else "")
    text = "The corpus does not give this figure: none of its passages states it."
    if measure:
        return (
            text
            + f" The closest one gives {measure}"
            + (f" for {_joined(held, 'en')}." if held else ".")
        )
    return text + (f" The closest ones speak of {_joined(held, 'en')}." if held else "")


def no_amount(language: Language, holds: str | None = None) -> str:
    """Why a question asking for a sum of money is declined: no passage states one; what the closest
    sentence does say of the thing asked about (its dates, its count), in one line."""
    if language == "es":
        text = "El corpus no da esta cantidad de dinero: ninguno de sus pasajes la recoge."
        return text + (f" Lo más cercano que tiene: {holds}" if holds else "")
    text = "The corpus does not give this sum of money: none of its passages states it."
    return text + (f" The closest it holds: {holds}" if holds else "")


def corrected(holds: str, language: Language) -> str:
    """The decline of a question whose premise the corpus contradicts, led by what the corpus says."""
    if language == "es":
        return f"El corpus no dice lo que la pregunta da por hecho. Dice: {holds}"
    return f"The corpus does not say what the question takes as given. It says: {holds}"


def as_of(newest: dt.date, today: dt.date, language: Language) -> str:
    """The preface of a present-tense answer: the date it speaks for, and a warning when that is old."""
    days = (today - newest).days
    if language == "es":
        text = f"Según la fuente más reciente citada, del {format_date(newest, 'es')}:"
        if days > STALE_AFTER_DAYS:
            text = (
                f"Atención: la fuente más reciente citada es del {format_date(newest, 'es')}, hace {days // 30} meses; "
                "la situación puede haber cambiado desde entonces. Según esa fuente:"
            )
        return text
    text = f"As of {format_date(newest)}, the date of the latest source cited:"
    if days > STALE_AFTER_DAYS:
        text = (
            f"Note: the latest source cited is from {format_date(newest)}, {days // 30} months ago; "
            "things may have changed since. As of that date:"
        )
    return text
