"""Shared test setup: temporary user folders, Qt offscreen, the fixture content root."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Set before any Qt import: tests run without a display, and as root Chromium needs this.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True)
def user_dirs(tmp_path_factory, monkeypatch) -> dict[str, Path]:
    """Every test gets empty config, data and cache folders of its own."""
    base = tmp_path_factory.mktemp("user")
    dirs = {name: base / name for name in ("config", "data", "cache")}
    for name, path in dirs.items():
        path.mkdir()
        monkeypatch.setenv(f"EDUKIT_{name.upper()}_DIR", str(path))
    return dirs


@pytest.fixture
def fixture_content() -> Path:
    return FIXTURES / "content"
