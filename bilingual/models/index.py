"""The package index and downloads: the only module of bilingual that opens a network connection.

An index is a JSON list of package metadata, each with `links` to its `.argosmodel` file (the
format of argostranslate's index). A downloaded file goes through the same checks as a file the
user installs (`archive.install_archive`).
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from bilingual.errors import (
    BilingualError,
    ModelAlreadyInstalled,
    ModelError,
    NetworkError,
    PackageInvalid,
)
from bilingual.models import archive, store
from bilingual.models.package import InstalledPackage, human_size, one_line, version_key

#: The package index argostranslate reads (`argostranslate.settings.remote_package_index`).
DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
MAX_INDEX_BYTES = 64 * 1024**2
DOWNLOAD_TIMEOUT = 30.0
_CHUNK = 1024**2

Progress = Callable[[int, int | None], None]


def default_index() -> str:
    """The index argostranslate reads (`settings.remote_package_index`: `$ARGOS_PACKAGE_INDEX`
    or its settings.json, plus `index.json`), so a mirror set up for argospm serves bilingual
    too; Argos's own index when argostranslate's settings are unusable."""
    try:
        return str(store.argos_settings().remote_package_index)
    except ModelError:
        return DEFAULT_INDEX


def fetch_index(
    url: str = DEFAULT_INDEX, *, timeout: float = DOWNLOAD_TIMEOUT
) -> list[dict[str, Any]]:
    """Read a package index (a JSON list of package metadata) from a URL or a local file."""
    import json

    url = _as_url(url)
    data = bytearray()
    with _open_url(url, timeout) as response:
        while chunk := _read(response, url, _CHUNK):
            data += chunk
            if len(data) > MAX_INDEX_BYTES:
                raise ModelError(f"{url}: larger than {human_size(MAX_INDEX_BYTES)}, not an index")
    try:
        index = json.loads(bytes(data).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{url}: not a package index ({one_line(exc)})") from None
    if not isinstance(index, list):
        raise ModelError(f"{url}: not a package index (expected a JSON list of packages)")
    return [entry for entry in index if isinstance(entry, dict)]


def install_from_index(
    from_code: str,
    to_code: str,
    *,
    index_url: str = DEFAULT_INDEX,
    progress: Progress | None = None,
    dir: str | Path | None = None,
    force: bool = False,
    timeout: float = DOWNLOAD_TIMEOUT,
    on_download: Callable[[dict[str, Any], str], None] | None = None,
) -> InstalledPackage:
    """Download the newest from→to package listed in the index and install it.

    Each of the package's links is tried in turn. `progress(done_bytes, total_bytes or None)` is
    called as the download advances; `on_download(entry, url)` when a download starts.
    """
    root = store.resolve_dir(dir)
    index_url = _as_url(index_url)
    entry = newest_entry(fetch_index(index_url, timeout=timeout), from_code, to_code, index_url)
    version = str(entry.get("package_version", ""))
    installed = store.find_package(from_code, to_code, dir)
    if (
        not force
        and installed is not None
        and version_key(installed.package_version) == version_key(version)
    ):
        raise ModelAlreadyInstalled(
            f"{from_code}→{to_code} {version} is already installed ({installed.path}); "
            "use --force to reinstall"
        )
    links = [_join(index_url, link) for link in entry.get("links") or [] if isinstance(link, str)]
    if not links:
        raise ModelError(
            f"the package index lists {from_code}→{to_code} {version} without download links"
        )
    download = _Download(entry, root, progress, on_download, timeout)
    with store.created_for_install(root):
        for link in links:
            package = download.try_link(link, force=force)
            if package is not None:
                return package
        raise download.failure(f"{from_code}→{to_code} {version}")


def newest_entry(
    index: list[dict[str, Any]], from_code: str, to_code: str, index_url: str
) -> dict[str, Any]:
    """The index's newest translate package for the pair."""
    candidates = [
        entry
        for entry in index
        if entry.get("from_code") == from_code
        and entry.get("to_code") == to_code
        and entry.get("type", "translate") == "translate"
    ]
    if not candidates:
        raise ModelError(f"the package index {index_url} has no {from_code}→{to_code} package")
    return max(candidates, key=lambda e: version_key(str(e.get("package_version", ""))))


class _Download:
    """One package's download, link after link, remembering why each link failed."""

    def __init__(
        self,
        entry: dict[str, Any],
        root: Path,
        progress: Progress | None,
        on_download: Callable[[dict[str, Any], str], None] | None,
        timeout: float,
    ) -> None:
        self.entry = entry
        self.root = root
        self.progress = progress
        self.on_download = on_download
        self.timeout = timeout
        self.failures: list[str] = []
        self.invalid = False

    def try_link(self, link: str, *, force: bool) -> InstalledPackage | None:
        """Download from `link` and install; None (and the reason kept) when the link fails."""
        pair = (str(self.entry.get("from_code")), str(self.entry.get("to_code")))
        try:
            fd, tmp = store.make_temp_file(self.root, ".argosmodel")
        except OSError as exc:
            raise ModelError(f"cannot download into {self.root}: {one_line(exc)}") from None
        try:
            with os.fdopen(fd, "wb") as out:
                if self.on_download is not None:
                    self.on_download(self.entry, link)
                _download(link, out, self.progress, self.timeout)
            return archive.install_archive(Path(tmp), link, self.root, force=force, expect=pair)
        except NetworkError as exc:
            self.failures.append(str(exc))
        except PackageInvalid as exc:
            self.invalid = True
            self.failures.append(str(exc))
        except OSError as exc:
            raise ModelError(f"cannot download into {self.root}: {one_line(exc)}") from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        return None

    def failure(self, name: str) -> BilingualError:
        """The error when every link failed: invalid if any file was, else a network error."""
        if len(self.failures) == 1:
            detail = self.failures[0]
        else:
            detail = f"tried {len(self.failures)} links: " + "; ".join(self.failures)
        if self.invalid:
            return PackageInvalid(f"could not install {name}: {detail}")
        return NetworkError(f"could not download {name}: {detail}")


def _as_url(location: str) -> str:
    """A URL as is; a local path (or a Windows drive path) as a file:// URL."""
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]+://", location):
        return location
    return Path(location).expanduser().absolute().as_uri()


def _join(base: str, link: str) -> str:
    from urllib.parse import urljoin

    return urljoin(base, link)


def _open_url(url: str, timeout: float) -> Any:
    import urllib.error
    import urllib.request

    from bilingual import __version__

    scheme = url.split(":", 1)[0].lower()
    if scheme not in ("http", "https", "file"):
        raise NetworkError(f"{url}: unsupported URL scheme {scheme!r} (use http, https or a path)")
    request = urllib.request.Request(url, headers={"User-Agent": f"bilingual/{__version__}"})
    try:
        return urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        exc.close()
        raise NetworkError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise NetworkError(f"{url}: {_describe_reason(exc.reason, timeout)}") from None
    except (TimeoutError, OSError) as exc:
        raise NetworkError(f"{url}: {_describe_reason(exc, timeout)}") from None


def _read(response: IO[bytes], url: str, size: int) -> bytes:
    import http.client

    try:
        return response.read(size)
    except (TimeoutError, OSError, http.client.HTTPException) as exc:
        raise NetworkError(f"{url}: download interrupted ({one_line(exc)})") from None


def _download(url: str, out: IO[bytes], progress: Progress | None, timeout: float) -> None:
    limit = archive.MAX_UNPACKED_BYTES
    with _open_url(url, timeout) as response:
        length = response.headers.get("Content-Length") if response.headers else None
        total = int(length) if length and length.isdigit() else None
        if total is not None and total > limit:
            raise PackageInvalid(f"{url}: {human_size(total)}, larger than any sane package")
        done = 0
        if progress is not None:
            progress(done, total)
        while chunk := _read(response, url, _CHUNK):
            done += len(chunk)
            if done > limit:
                raise PackageInvalid(f"{url}: more than {human_size(limit)}, refused")
            out.write(chunk)
            if progress is not None:
                progress(done, total)
        if total is not None and done != total:
            raise NetworkError(f"{url}: download interrupted ({done} of {total} bytes)")


def _describe_reason(reason: object, timeout: float) -> str:
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return f"timed out after {timeout:g}s"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror.lower() if reason.strerror[:1].isupper() else reason.strerror
    return one_line(reason)
