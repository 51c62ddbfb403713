"""bilingual: Chinese news articles into bilingual Chinese/English handouts, offline."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("bilingual")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
