"""The locked-down web view: an `edukit:` scheme handler, an off-the-record profile, no scripts,
and a request interceptor that lets nothing but `edukit:` and `data:` load.

URLs: edukit://app/resources/<path>            stylesheets and fonts under resources/
      edukit://app/module/<id>/<view>.html     a rendered page (lesson, guide, handout, slides…)
      edukit://app/module/<id>/<path>          a picture in that module's own folder
What a module's file URL may reach is decided by edukit.core.serving (the rule exports share);
a link in a lesson may only move within its own page (LessonPage).
"""
from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QThreadPool, QUrl, Signal
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
from ..core.serving import page_may_load, read_module_file, read_resource
from .background import Job

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
FolderProvider = Callable[[str], Path | None]  # module id → its own folder (None: single file)


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


def answer(job: QWebEngineUrlRequestJob, data: bytes | None, kind: str) -> None:
    if data is None:
        job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
        return
    buffer = QBuffer(job)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    job.reply(kind.encode(), buffer)


class SchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves rendered pages, pictures from a module's own folder, and the app's stylesheets.
    Pictures (up to 8 MB each, maybe on a slow or network disk) are read on a pool thread, so
    the window never waits for a disk."""

    def __init__(self, pages: PageProvider, folders: FolderProvider, parent: QObject | None = None):
        super().__init__(parent)
        self.pages, self.folders = pages, folders
        self.served: list[str] = []  # every URL asked for, for tests and diagnostics
        self.waiting: dict[int, QWebEngineUrlRequestJob] = {}  # jobs whose page comes later
        self._tokens = itertools.count(1)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(2)
        self.read_file = read_module_file  # what the pool runs (tests put a slow reader here)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        self.served.append(url.toString())
        picture = self.module_file(url)
        if picture is not None:
            self.read_in_pool(job, *picture)
            return
        data, kind = self.lookup(url)
        if isinstance(data, Later):
            self.answer_later(job, data, kind)
        else:
            answer(job, data, kind)

    def keep(self, job: QWebEngineUrlRequestJob) -> int:
        """Hold a job until its answer is ready; if the view navigates away first, Qt deletes
        the job and the late answer is dropped."""
        token = next(self._tokens)
        self.waiting[token] = job
        job.destroyed.connect(lambda *_: self.waiting.pop(token, None))
        return token

    def answer_later(self, job: QWebEngineUrlRequestJob, later: Later, kind: str) -> None:
        token = self.keep(job)
        later.start(lambda data: self.answer_waiting(token, data, kind))

    def answer_waiting(self, token: int, data: bytes | None, kind: str) -> None:
        job = self.waiting.pop(token, None)
        if job is not None:
            answer(job, data, kind)

    def read_in_pool(self, job: QWebEngineUrlRequestJob, folder: Path | None, rel: str) -> None:
        token, read = self.keep(job), self.read_file
        # If the handler (with its page) closes meanwhile, nobody is answered.
        Job(lambda: read(folder, rel), succeeded=partial(self.answer_file, token),
            failed=partial(self.file_not_read, token)).start(self.pool)

    def answer_file(self, token: int, file: tuple[bytes, str] | None) -> None:
        self.answer_waiting(token, *found(file))

    def file_not_read(self, token: int, _reason: str) -> None:
        self.answer_file(token, None)

    def module_file(self, url: QUrl) -> tuple[Path | None, str] | None:
        """(the module's own folder, the path asked for) when url names a file of a module,
        not one of its pages; else None."""
        parts = unquote(url.path()).lstrip("/").split("/", 2)
        if url.host() != "app" or parts[0] != "module" or len(parts) < 3:
            return None
        rest = parts[2]
        if "/" not in rest and rest.endswith(".html") and rest.removesuffix(".html") in PAGE_NAMES:
            return None
        return self.folders(parts[1]), rest

    def lookup(self, url: QUrl) -> tuple[bytes | Later | None, str]:
        """The answer to url, read here and now (requestStarted reads pictures in the pool)."""
        if url.host() != "app":
            return None, ""
        picture = self.module_file(url)
        if picture is not None:
            return found(read_module_file(*picture))
        parts = unquote(url.path()).lstrip("/").split("/", 2)
        if parts[0] == "resources" and len(parts) > 1:
            return found(read_resource("/".join(parts[1:]), resources_dir()))
        if parts[0] != "module" or len(parts) < 3:
            return None, ""
        module_id, page = parts[1], parts[2].removesuffix(".html")
        query = dict(pair.split("=", 1) for pair in url.query().split("&") if "=" in pair)
        return self.pages(module_id, page, query), "text/html;charset=utf-8"


def found(file: tuple[bytes, str] | None) -> tuple[bytes | None, str]:
    return file if file is not None else (None, "")


MAIN_FRAME = QWebEngineUrlRequestInfo.ResourceType.ResourceTypeMainFrame


class Interceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request whose scheme is not edukit: or data:, and whatever a lesson's page
    asks of edukit: beyond its own module's files and the app's stylesheets and fonts (another
    lesson's pictures or pages, settings): the scheme handler alone cannot tell who asks."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.blocked: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        if url.scheme() not in ALLOWED_SCHEMES or not self.may_load(info):
            self.blocked.append(url.toString())
            info.block(True)

    @staticmethod
    def may_load(info: QWebEngineUrlRequestInfo) -> bool:
        page, url = info.firstPartyUrl(), info.requestUrl()
        if info.resourceType() == MAIN_FRAME or url.scheme() != "edukit" or page.scheme() != "edukit":
            return True  # where the view goes is LessonPage's to decide
        return page_may_load(unquote(page.path()), unquote(url.path()))


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
    """A page that never navigates away from edukit: web links are handed to the app instead,
    and a link in a lesson may only move within the page it is on (to a #section): never to
    another lesson, another view of it (the teacher's guide), a file or a data: page."""

    externalLinkClicked = Signal(QUrl)
    internalLinkClicked = Signal(QUrl)

    def acceptNavigationRequest(self, url: QUrl, kind, is_main_frame: bool) -> bool:
        types = QWebEnginePage.NavigationType
        if url.scheme() == "edukit" or url.scheme() == "data":
            if kind == types.NavigationTypeLinkClicked:
                self.internalLinkClicked.emit(url)
                return same_page(url, self.url())
            return kind != types.NavigationTypeFormSubmitted
        if kind == types.NavigationTypeLinkClicked:
            self.externalLinkClicked.emit(url)
        return False

    def createWindow(self, kind):
        return None

    def javaScriptConsoleMessage(self, level, message, line, source):
        pass


def same_page(target: QUrl, current: QUrl) -> bool:
    """Whether a link only moves within the current page (its #fragment may differ)."""
    def page_of(url: QUrl) -> str:
        return url.toString().split("#", 1)[0]
    return target.scheme() == "edukit" and page_of(target) == page_of(current)
