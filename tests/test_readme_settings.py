"""The README's settings table names every setting the service reads, and no setting it lacks: a
setting added without a row (six were, in one round) is one a user cannot find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qa_service.config import Settings

README = Path(__file__).resolve().parent.parent / "README.md"
pytestmark = pytest.mark.fast


def test_the_settings_table_lists_exactly_the_settings() -> None:
    listed = set(re.findall(r"^\| `(QA_[A-Z0-9_]+)` \|", README.read_text(), re.M))
    read = {f"QA_{name.upper()}" for name in Settings.model_fields}
    assert read - listed == set(), "settings without a README row"
    assert listed - read == set(), "README rows for settings the service does not read"
