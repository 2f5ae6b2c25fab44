"""Only the repository's own files are read or published: no symbolic links (a link to
/etc/passwd under docs/ would be copied into the site), no devices or pipes, and no content folder
outside the repository."""

from __future__ import annotations

from ..content.errors import Problem
from ..content.files import unsafe_paths
from ..content.settings import Site

OVERRIDES = "overrides"


def content_folders(site: Site) -> list:
    """The folders whose files are read or published: the pages, the theme overrides, the audio."""
    return [site.docs_dir, site.root / OVERRIDES, site.audio_dir]


def check_files(site: Site) -> list[Problem]:
    """`path:1: file: is a symbolic link to ...; replace it with the file itself`, for each one."""
    return unsafe_paths(site.root, content_folders(site))
