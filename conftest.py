from pathlib import Path

import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def media_in_tmp(settings: LazySettings, tmp_path: Path) -> None:
    """Keep uploaded files of each test in its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english_by_default(settings: LazySettings) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Start each test with empty rate-limit counters."""
    from django.core.cache import cache

    cache.clear()
