"""The project's folders, resolved once from its root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Paths:
    root: Path
    content: Path
    public: Path
    site: Path
    templates: Path
    cache: Path

    @classmethod
    def at(cls, root: Path, *, content: Path | None = None, public: Path | None = None) -> Paths:
        root = root.absolute()
        return cls(root=root, content=(content or root / "content").absolute(),
                   public=(public or root / "public").absolute(), site=root / "site",
                   templates=root / "templates", cache=root / ".onrecord-cache")

    @property
    def config_file(self) -> Path:
        return self.site / "site.toml"

    @property
    def static(self) -> Path:
        return self.site / "static"

    @property
    def charts(self) -> Path:
        return self.site / "charts"

    def shown(self, path: Path) -> str:
        """A path as the writer knows it: relative to the project root when inside it."""
        try:
            return path.absolute().relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
