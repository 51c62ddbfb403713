"""bilingual: Chinese news articles into bilingual Chinese/English handouts, offline."""

# The single source of the version: pyproject.toml reads it (tool.setuptools.dynamic), and
# reading it here costs nothing at start-up, unlike importlib.metadata.
__version__ = "0.1.0"
