"""The locked-down web view: an `edukit:` scheme handler, an off-the-record profile, no scripts,
and a request interceptor that lets nothing but `edukit:` and `data:` load.

URLs: edukit://app/resources/<path>            files under resources/
      edukit://app/module/<id>/<view>.html     a rendered page (lesson, guide, handout, slides…)
      edukit://app/module/<id>/<path>          a file inside that module's folder
"""
from __future__ import annotations

import itertools
import mimetypes
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from ..core.paths import resources_dir

SCHEME = b"edukit"
ALLOWED_SCHEMES = {"edukit", "data"}
PAGE_NAMES = {"lesson", "guide", "handout", "slides", "audience", "print"}


class Later:
    """A page the provider answers later: `start(reply)` arranges for `reply(bytes or None)`
    to run on the UI thread once it is ready (a lesson rendered in the worker process);
    `now()` waits for it instead (bounded by the worker's time limit; for tests and tools)."""

    def __init__(self, start: Callable[[Callable[[bytes | None], None]], None],
                 now: Callable[[], bytes | None]):
        self.start, self.now = start, now


PageProvider = Callable[[str, str, dict[str, str]], bytes | Later | None]  # (module id, page, query)
FolderProvider = Callable[[str], Path | None]  # module id → its folder


def register_scheme() -> None:
    """Declare `edukit:`; must run before the QApplication exists."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    # Not LocalScheme: Chromium would then refuse the page's own stylesheets and images.
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.CorsEnabled)
    QWebEngineUrlScheme.registerScheme(scheme)


def module_url(module_id: str, page: str, query: str = "") -> QUrl:
    return QUrl(f"edukit://app/module/{module_id}/{page}.html" + (f"?{query}" if query else ""))


def confined(base: Path, rel: str) -> Path | None:
    """`base/rel` if it is an existing file that stays inside base (symlinks resolved)."""
    rel = rel.replace("\\", "/")
    if not rel or rel.startswith("/") or ":" in rel or ".." in rel.split("/"):
        return None
    try:
        root = base.resolve()
        target = (root / rel).resolve()
        return target if target.is_relative_to(root) and target.is_file() else None
    except (OSError, ValueError, RuntimeError):  # NUL, name too long, symlink loop: nothing served
        return None


def answer(job: QWebEngineUrlRequestJob, data: bytes | None, kind: str) -> None:
    if data is None:
        job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
        return
    buffer = QBuffer(job)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    job.reply(kind.encode(), buffer)


class SchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves rendered pages and files confined to a module folder or resources/."""

    def __init__(self, pages: PageProvider, folders: FolderProvider, parent: QObject | None = None):
        super().__init__(parent)
        self.pages, self.folders = pages, folders
        self.served: list[str] = []  # every URL asked for, for tests and diagnostics
        self.waiting: dict[int, QWebEngineUrlRequestJob] = {}  # jobs whose page comes later
        self._tokens = itertools.count(1)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        self.served.append(url.toString())
        data, kind = self.lookup(url)
        if isinstance(data, Later):
            self.answer_later(job, data, kind)
        else:
            answer(job, data, kind)

    def answer_later(self, job: QWebEngineUrlRequestJob, later: Later, kind: str) -> None:
        """Keep the job until the page is ready; if the view navigates away first, Qt deletes
        the job and the late page is dropped."""
        token = next(self._tokens)
        self.waiting[token] = job
        job.destroyed.connect(lambda *_: self.waiting.pop(token, None))
        later.start(lambda data: self.answer_waiting(token, data, kind))

    def answer_waiting(self, token: int, data: bytes | None, kind: str) -> None:
        job = self.waiting.pop(token, None)
        if job is not None:
            answer(job, data, kind)

    def lookup(self, url: QUrl) -> tuple[bytes | Later | None, str]:
        if url.host() != "app":
            return None, ""
        parts = unquote(url.path()).lstrip("/").split("/", 2)
        if parts[0] == "resources" and len(parts) > 1:
            return read_file(confined(resources_dir(), "/".join(parts[1:])))
        if parts[0] != "module" or len(parts) < 3:
            return None, ""
        module_id, rest = parts[1], parts[2]
        page = rest.removesuffix(".html")
        if "/" not in rest and rest.endswith(".html") and page in PAGE_NAMES:
            query = dict(pair.split("=", 1) for pair in url.query().split("&") if "=" in pair)
            return self.pages(module_id, page, query), "text/html;charset=utf-8"
        folder = self.folders(module_id)
        return read_file(confined(folder, rest)) if folder else (None, "")


def read_file(path: Path | None) -> tuple[bytes | None, str]:
    if path is None:
        return None, ""
    try:
        return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    except OSError:
        return None, ""


class Interceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request whose scheme is not edukit: or data:."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        if info.requestUrl().scheme() not in ALLOWED_SCHEMES:
            self.blocked.append(info.requestUrl().toString())
            info.block(True)


LOCKED = {
    QWebEngineSettings.WebAttribute.JavascriptEnabled: False,
    QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls: False,
    QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls: False,
    QWebEngineSettings.WebAttribute.PluginsEnabled: False,
    QWebEngineSettings.WebAttribute.AutoLoadIconsForPage: False,
    QWebEngineSettings.WebAttribute.DnsPrefetchEnabled: False,
    QWebEngineSettings.WebAttribute.NavigateOnDropEnabled: False,
    QWebEngineSettings.WebAttribute.JavascriptCanOpenWindows: False,
    QWebEngineSettings.WebAttribute.PdfViewerEnabled: False,
}


def locked_profile(pages: PageProvider, folders: FolderProvider, parent: QObject) -> QWebEngineProfile:
    """An off-the-record profile with the scheme handler, interceptor and lockdown settings."""
    profile = QWebEngineProfile(parent)  # no storage name: off the record
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    handler = SchemeHandler(pages, folders, profile)
    interceptor = Interceptor(profile)
    profile.installUrlSchemeHandler(SCHEME, handler)
    profile.setUrlRequestInterceptor(interceptor)
    for attribute, value in LOCKED.items():
        profile.settings().setAttribute(attribute, value)
    profile.edukit_handler, profile.edukit_interceptor = handler, interceptor
    return profile


class LessonPage(QWebEnginePage):
    """A page that never navigates away from edukit: web links are handed to the app instead."""

    externalLinkClicked = Signal(QUrl)
    internalLinkClicked = Signal(QUrl)

    def acceptNavigationRequest(self, url: QUrl, kind, is_main_frame: bool) -> bool:
        if url.scheme() == "edukit" or url.scheme() == "data":
            if kind == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
                self.internalLinkClicked.emit(url)
            return True
        if kind == QWebEnginePage.NavigationType.NavigationTypeLinkClicked:
            self.externalLinkClicked.emit(url)
        return False

    def createWindow(self, kind):
        return None

    def javaScriptConsoleMessage(self, level, message, line, source):
        pass
