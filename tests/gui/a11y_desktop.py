"""A private desktop for screen-reader tests: a virtual X server (Xvfb), a session D-Bus of its
own, the AT-SPI accessibility bus and registry on it, and the apps under test, all in a
temporary folder. `stop()` ends every process it started, and anything they started, by pid;
`leftovers()` lists any that would outlive it. Nothing of the machine's own desktop is used."""
from __future__ import annotations

import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Callable
from pathlib import Path

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-pyatspi is installed
WALKER = Path(__file__).with_name("atspi_walk.py")
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"
NEEDED = {"Xvfb": "xvfb", "dbus-daemon": "dbus-daemon", "xdotool": "xdotool",
          BUS_LAUNCHER: "at-spi2-core", SYSTEM_PYTHON: "python3"}
MARK = "EDUKIT_A11Y_DESKTOP"  # in every process's environment: how leftovers are found


class DesktopError(RuntimeError):
    """The desktop or an app on it did not come up; the message says what and why."""


def missing_tools() -> list[str]:
    """Debian packages to install for the desktop (.ci/run installs them)."""
    missing = [package for tool, package in NEEDED.items() if shutil.which(tool) is None]
    if not missing and subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"],
                                      capture_output=True, check=False).returncode != 0:
        missing.append("python3-pyatspi")
    return missing


def read_line(stream, seconds: float) -> str:
    """One line from a child's pipe, or "" if none came in time (never blocks longer)."""
    ready, _, _ = select.select([stream], [], [], seconds)
    return stream.readline().strip() if ready else ""


class Desktop:
    def __init__(self, root: Path):
        self.root = root
        self.token = uuid.uuid4().hex
        self.started: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}

    # -- starting ----------------------------------------------------------------------------
    def start(self) -> None:
        home, runtime = self.root / "home", self.root / "runtime"
        for folder in (home, runtime):
            folder.mkdir(parents=True, mode=0o700)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DBUS_", "AT_SPI", "XDG_", "QT_QPA", "WAYLAND"))}
        env.update({MARK: self.token, "HOME": str(home), "XDG_RUNTIME_DIR": str(runtime),
                    "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
                    "XDG_CACHE_HOME": str(home / "cache")})
        for name in ("config", "data", "cache"):
            env[f"EDUKIT_{name.upper()}_DIR"] = str(home / "edukit" / name)
        self.env = env
        self.env["DISPLAY"] = self.start_x()
        self.env["DBUS_SESSION_BUS_ADDRESS"] = self.start_bus()
        self.spawn([BUS_LAUNCHER, "--launch-immediately"], "at-spi-bus-launcher")

    def start_x(self) -> str:
        """Xvfb picks a free display itself and tells its number (no race with other tests).
        An X server whose display then takes no connection is ended and another started (once
        a display Xvfb had just named took none, and the whole file failed)."""
        for _ in range(2):
            read_end, write_end = os.pipe()
            server = self.spawn(["Xvfb", "-displayfd", str(write_end), "-screen", "0",
                                 "1280x800x24", "-nolisten", "tcp"], "Xvfb", pass_fds=(write_end,))
            os.close(write_end)
            with os.fdopen(read_end) as reader:
                number = read_line(reader, 20)
            if not number.isdigit():
                raise DesktopError(f"Xvfb gave no display number within 20 s: "
                                   f"{self.log_tail('Xvfb')}")
            if takes_connections(int(number)):
                return f":{number}"
            end_group(server)
        raise DesktopError(f"display :{number} took no connection, twice: {self.log_tail('Xvfb')}")

    def start_bus(self) -> str:
        bus = self.spawn(["dbus-daemon", "--session", "--nofork", "--print-address=1",
                          f"--address=unix:dir={self.root / 'runtime'}"],
                         "dbus-daemon", stdout=subprocess.PIPE)
        address = read_line(bus.stdout, 20)
        if not address.startswith("unix:"):
            raise DesktopError(f"dbus-daemon gave no address: {self.log_tail('dbus-daemon')}")
        return address

    def spawn(self, argv: list[str], name: str, env: dict[str, str] | None = None,
              **options) -> subprocess.Popen:
        """Start a process in its own process group, its output in `name`.log."""
        log = open(self.root / f"{name}.log", "ab")  # noqa: SIM115 — the child keeps it
        options.setdefault("stdout", log)
        process = subprocess.Popen(argv, env={**self.env, **(env or {})}, stderr=log,
                                   stdin=subprocess.DEVNULL, start_new_session=True,
                                   text=True, **options)
        log.close()
        self.started.append(process)
        return process

    def log_tail(self, name: str, lines: int = 15) -> str:
        path = self.root / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:]) or "(no output)"

    # -- reading the tree --------------------------------------------------------------------
    def walk(self, app: str, wait: float = 60) -> dict:
        """The app's accessibility tree, read by a screen reader's library (pyatspi)."""
        done = subprocess.run([SYSTEM_PYTHON, str(WALKER), "tree", app, "--wait", str(wait)],
                              env=self.env, capture_output=True, text=True,
                              timeout=wait + 120, check=False)
        try:
            tree = json.loads(done.stdout)
        except ValueError:
            raise DesktopError(f"the walker failed: {done.stderr.strip()[-2000:]}") from None
        if "error" in tree:
            raise DesktopError(tree["error"])
        return tree

    def walk_until(self, app: str, ready: Callable[[dict], bool], what: str,
                   seconds: float = 90) -> dict:
        """Walk again until `ready(tree)` (a page still loading, a window still opening)."""
        deadline = time.monotonic() + seconds
        while True:
            tree = self.walk(app, wait=seconds)
            if ready(tree) or time.monotonic() > deadline:
                break
            time.sleep(1)
        if not ready(tree):
            raise DesktopError(f"{what} did not appear in {app}'s accessibility tree within "
                               f"{seconds:.0f} s")
        return tree

    def listen(self, app: str, until: str, seconds: float = 30) -> subprocess.Popen:
        """A walker that records the app's announcements until one says `until` (or time runs
        out); returns once it listens."""
        listener = subprocess.Popen([SYSTEM_PYTHON, str(WALKER), "events", app, "--seconds",
                                     str(seconds), "--until", until], env=self.env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        if read_line(listener.stdout, 20) != "ready":
            listener.kill()
            raise DesktopError(f"the event listener did not start: {listener.communicate()[1]}")
        return listener

    @staticmethod
    def heard(listener: subprocess.Popen, seconds: float = 60) -> list[dict]:
        out, err = listener.communicate(timeout=seconds)
        try:
            return json.loads(out)
        except ValueError:
            raise DesktopError(f"the event listener failed: {err.strip()[-2000:]}") from None

    # -- keys --------------------------------------------------------------------------------
    def press(self, window_title: str, *keys: str) -> None:
        """Give the named window the keyboard (there is no window manager) and press keys."""
        def xdotool(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(["xdotool", *args], env=self.env, capture_output=True,
                                  text=True, timeout=20, check=False)
        pattern = re.escape(window_title)  # a title is matched as written, not as a pattern
        windows = xdotool("search", "--onlyvisible", "--name", pattern).stdout.split()
        if not windows:
            raise DesktopError(f"no visible window called {window_title!r} to type into")
        xdotool("windowfocus", "--sync", windows[-1])
        for key in keys:
            xdotool("key", "--clearmodifiers", key)
            time.sleep(0.3)

    # -- stopping ----------------------------------------------------------------------------
    def leftovers(self) -> list[int]:
        """Processes still running with this desktop's mark in their environment."""
        found = []
        mark = f"{MARK}={self.token}".encode()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                environment = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue  # gone meanwhile, or not ours to read
            if mark in environment:
                found.append(int(entry.name))
        return found

    def stop(self) -> list[int]:
        """End the apps first, then the desktop, then anything they left; returns the pids
        that were still running after all that (an empty list when the desktop is clean)."""
        for process in reversed(self.started):
            end_group(process)
        for pid in self.leftovers():
            with_signal(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while self.leftovers() and time.monotonic() < deadline:
            time.sleep(0.2)
        for pid in self.leftovers():
            with_signal(pid, signal.SIGKILL)
        time.sleep(0.5)
        return self.leftovers()


def takes_connections(display: int, seconds: float = 10) -> bool:
    """Whether the X display's socket takes a connection within `seconds`, as the app's will."""
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            try:
                probe.connect(f"/tmp/.X11-unix/X{display}")
                return True
            except OSError:
                if time.monotonic() > deadline:
                    return False
        time.sleep(0.1)


def end_group(process: subprocess.Popen) -> None:
    """Terminate a process and its group (Qt WebEngine's helper processes), then kill."""
    if process.poll() is None:
        with_signal(-process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with_signal(-process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    with_signal(-process.pid, signal.SIGKILL)  # helpers of a process that ended first


def with_signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
