"""Where edukit's files live: bundled content and resources, and the user's directories."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
IMPORT_STAGING_PREFIX = ".import-"  # a pack import's staging folder in the user data folder


def bundled_dir(name: str) -> Path:
    """content/ or resources/: inside the installed package, else beside it in a checkout."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else PACKAGE.parent / name


def content_dir() -> Path:
    return bundled_dir("content")


def resources_dir() -> Path:
    return bundled_dir("resources")


@dataclass(frozen=True)
class AppDirs:
    """The user's config, data and cache folders (EDUKIT_*_DIR override them, e.g. in tests)."""

    config: Path
    data: Path
    cache: Path

    @classmethod
    def default(cls) -> AppDirs:
        import platformdirs

        def pick(env: str, fallback: str) -> Path:
            return Path(os.environ.get(env) or fallback)
        return cls(
            config=pick("EDUKIT_CONFIG_DIR", platformdirs.user_config_dir("edukit")),
            data=pick("EDUKIT_DATA_DIR", platformdirs.user_data_dir("edukit")),
            cache=pick("EDUKIT_CACHE_DIR", platformdirs.user_cache_dir("edukit")),
        )

    @property
    def user_modules(self) -> Path:
        return self.data / "modules"
