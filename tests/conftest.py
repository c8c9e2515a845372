"""Shared test setup: temporary user folders, Qt offscreen, the fixture content root."""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# Set before any Qt import: tests run without a display, and as root Chromium needs this.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu --no-sandbox")
# Pages animate as by default whatever the desktop's setting; tests that want reduced motion
# ask for it in a process of their own (tests/gui/test_reduced_motion.py).
os.environ.setdefault("EDUKIT_REDUCED_MOTION", "0")

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
# A private print server for this test run: its own cupsd, config, socket, queue and output
# file in a temporary folder, removed at the end. The machine's own printers and print server
# are neither used nor changed, and nothing is left behind. CUPS_SERVER is set before Qt or
# libcups first ask for a server (libcups keeps the first answer).
PRINT_SERVER = Path(tempfile.gettempdir()) / f"edukit-cups-{os.getpid()}"
os.environ["CUPS_SERVER"] = str(PRINT_SERVER / "cups.sock")
PDF_PRINTER_PPD = FIXTURES / "pdf-printer.ppd"  # a printer whose language is PDF


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def cups_scheduler_running() -> bool:
    return "is running" in run("lpstat", "-r").stdout


def write_server_config(root: Path) -> None:
    """cupsd.conf and cups-files.conf for a server that listens only on its own socket and
    keeps all its files under root (the way CUPS's own test suite runs a private cupsd)."""
    for name, mode in (("spool", 0o755), ("tmp", 0o1777), ("cache", 0o755), ("state", 0o755),
                       ("log", 0o755), ("out", 0o1777)):
        (root / name).mkdir(mode=mode)
        (root / name).chmod(mode)  # mkdir's mode is masked by the umask
    root.chmod(0o755)  # filters run as CUPS's own user when the tests run as root
    (root / "cupsd.conf").write_text(
        f"Listen {root / 'cups.sock'}\nLogLevel warn\nWebInterface No\nBrowsing No\n"
        "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n")
    user = "" if os.geteuid() == 0 else (
        f"User {pwd.getpwuid(os.geteuid()).pw_name}\nGroup {grp.getgrgid(os.getegid()).gr_name}\n"
        f"SystemGroup {grp.getgrgid(os.getegid()).gr_name}\n")
    (root / "cups-files.conf").write_text(
        f"ServerRoot {root}\nRequestRoot {root / 'spool'}\nTempDir {root / 'tmp'}\n"
        f"CacheDir {root / 'cache'}\nStateDir {root / 'state'}\n"
        f"AccessLog {root / 'log/access_log'}\nErrorLog {root / 'log/error_log'}\n"
        f"PageLog {root / 'log/page_log'}\nFileDevice Yes\n{user}")


def start_print_server(root: Path) -> subprocess.Popen:
    """Start the private cupsd; fails the test plainly (never skips) when it cannot run."""
    if shutil.which("cupsd") is None or shutil.which("lpadmin") is None:
        pytest.fail("cupsd is not installed (Debian: cups); .ci/run installs it")
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    write_server_config(root)
    server = subprocess.Popen(
        [shutil.which("cupsd"), "-f", "-c", str(root / "cupsd.conf"),
         "-s", str(root / "cups-files.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        if cups_scheduler_running():
            return server
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    reason = server.communicate()[1].strip() or "no reason given"
    pytest.fail(f"a private cupsd did not start: {reason}")


@pytest.fixture(scope="session")
def print_server():
    """A running private print server; stopped and its folder removed after the session."""
    server = start_print_server(PRINT_SERVER)
    yield PRINT_SERVER
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
    shutil.rmtree(PRINT_SERVER, ignore_errors=True)


@pytest.fixture(scope="session")
def cups_queue(print_server) -> str:
    """A real CUPS queue on the private server whose jobs come out, through CUPS's own
    pdftopdf filter, as the PDF file `printed_pdf` names. Printing tests need it, so they fail
    plainly, rather than skip, on a machine without CUPS (.ci/run installs it)."""
    added = run("lpadmin", "-p", CUPS_QUEUE, "-E", "-v", f"file://{print_server / 'out/printed.pdf'}",
                "-P", str(PDF_PRINTER_PPD))
    assert added.returncode == 0, added.stderr
    return CUPS_QUEUE


@pytest.fixture
def printed_pdf(cups_queue, print_server) -> Path:
    """Where the queue's next job will be; emptied before each test."""
    out = print_server / "out" / "printed.pdf"
    out.unlink(missing_ok=True)
    return out


def pytest_unconfigure(config):
    shutil.rmtree(PRINT_SERVER, ignore_errors=True)


def pytest_runtest_teardown(item):
    """Once a test process has made the QApplication, Python's cycle collector runs only when
    edukit.gui.garbage says (on the UI thread); tests that run no event loop collect here."""
    import gc

    if not gc.isenabled():
        from edukit.gui.garbage import collect_due

        collect_due()
