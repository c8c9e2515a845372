"""Shared test setup: temporary user folders, Qt offscreen, the fixture content root."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
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


CUPS_QUEUE = "EdukitPDF"
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def cups_scheduler_running() -> bool:
    return shutil.which("lpstat") is not None and "is running" in run("lpstat", "-r").stdout


def start_cupsd() -> str:
    """Start cupsd if it is not running; returns why it cannot run, or ""."""
    if cups_scheduler_running():
        return ""
    if shutil.which("cupsd") is None:
        return "cupsd is not installed (Debian: cups, printer-driver-cups-pdf)"
    started = run("cupsd")
    for _ in range(50):
        if cups_scheduler_running():
            return ""
        time.sleep(0.1)
    return f"cupsd did not start: {(started.stderr or started.stdout).strip() or 'no reason given'}"


@pytest.fixture(scope="session")
def cups_queue() -> str:
    """A real CUPS queue printing to PDF (cups-pdf). Printing tests need it, so they fail
    plainly, rather than skip, on a machine without it (.ci/run installs it)."""
    if not CUPS_PDF_PPD.is_file():
        pytest.fail(f"cups-pdf is not installed ({CUPS_PDF_PPD} missing; "
                    "Debian: cups printer-driver-cups-pdf)")
    reason = start_cupsd()
    if reason:
        pytest.fail(reason)
    # pdftocairo keeps the text searchable when CUPS turns the PDF into PostScript for cups-pdf
    # (Ghostscript's own conversion draws the same page but loses the text).
    added = run("lpadmin", "-p", CUPS_QUEUE, "-E", "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD),
                "-o", "pdftops-renderer-default=pdftocairo")
    assert added.returncode == 0, added.stderr
    return CUPS_QUEUE
