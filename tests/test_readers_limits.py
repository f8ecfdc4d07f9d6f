"""Limits: defaults and configuration."""

from __future__ import annotations

import pytest

from dossier_lint.limits import Limits


def test_defaults_are_sane() -> None:
    lim = Limits()
    assert lim.max_file_bytes == 200 * 1024 * 1024 and lim.max_pages == 3000 and lim.max_seconds == 60
    assert lim.max_cells == 2_000_000 and lim.max_ratio == 200 and lim.max_nesting == 2
    assert lim.max_decompressed_bytes == 500 * 1024 * 1024 and lim.max_members == 10_000


def test_from_dict_coerces_and_ignores_unknown_keys() -> None:
    lim = Limits.from_dict({"max_pages": "10", "max_seconds": 5, "max_nesting": 0, "colour": "blue"})
    assert (lim.max_pages, lim.max_seconds, lim.max_nesting) == (10, 5.0, 0)
    assert isinstance(lim.max_seconds, float) and lim.max_cells == Limits().max_cells
    assert Limits.from_dict(None) == Limits() == Limits.from_dict({})
    assert Limits.from_dict(lim.to_dict()) == lim


@pytest.mark.parametrize("bad", [{"max_pages": "many"}, {"max_pages": 0}, {"max_cells": -1}])
def test_from_dict_rejects_nonsense(bad: dict) -> None:
    with pytest.raises(ValueError, match="limits"):
        Limits.from_dict(bad)
