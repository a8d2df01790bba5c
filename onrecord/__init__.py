"""On Record: a static site generator for data journalism."""

__version__ = "0.1.0"
