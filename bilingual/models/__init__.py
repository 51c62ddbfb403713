"""Argos Translate model packages: where they live, installing, listing and removing them.

One job per module: `package` (what an installed package is), `store` (where packages live:
lookup, listing, removal), `archive` (validating and safely unpacking an `.argosmodel` file)
and `index` (the package index and downloads: the only module that opens a network connection).
The names below are the public interface; import them from here.
"""

from __future__ import annotations

from bilingual.models.archive import MAX_MEMBERS, MAX_UNPACKED_BYTES, install_from_file
from bilingual.models.index import DEFAULT_INDEX, fetch_index, install_from_index
from bilingual.models.package import (
    CONTENT_HASH_FILE,
    InstalledPackage,
    content_hash,
    human_size,
    read_package,
    version_key,
)
from bilingual.models.store import (
    ENV_VAR,
    find_package,
    list_installed,
    models_dir,
    not_installed_message,
    remove,
    require_package,
)

__all__ = [
    "CONTENT_HASH_FILE",
    "DEFAULT_INDEX",
    "ENV_VAR",
    "MAX_MEMBERS",
    "MAX_UNPACKED_BYTES",
    "InstalledPackage",
    "content_hash",
    "fetch_index",
    "find_package",
    "human_size",
    "install_from_file",
    "install_from_index",
    "list_installed",
    "models_dir",
    "not_installed_message",
    "read_package",
    "remove",
    "require_package",
    "version_key",
]
