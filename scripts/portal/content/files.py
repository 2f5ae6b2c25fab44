"""Files: written so that a reader, a failed run or a crash never leaves half a file; read only
when they are regular files inside the repository, never through a symbolic link."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import PortalError, Problem

# The portal's own data files (word lists, terms, interface words) are read as repository files too.
PACKAGE_DIR = Path(__file__).parents[1].absolute()


def atomic_write(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as sink:
            sink.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def publish_copy(source: Path, target: Path, mode: int = 0o644) -> None:
    """Put a kept file (in .cache/ or audio/, never changed in place) into the site: a hard link
    where the file system allows and the mode is already `mode`, otherwise a copy. Either way the
    target appears whole, through a temporary name in the same folder."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.publish")
    tmp.unlink(missing_ok=True)
    try:
        if Path(source).stat().st_mode & 0o777 != mode:
            raise OSError("a link would publish the kept file's own mode")
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
        os.chmod(tmp, mode)
    os.replace(tmp, target)


# ---------------------------------------------------------------------------------------------
# Reading only the repository's own files

FIELD_FILE = "file"
SYMLINK_FIX = "replace it with the file itself"


def display(path: Path, root: Path) -> str:
    """The path as staff see it: relative to the project folder where it is inside it."""
    path = Path(path)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else path.as_posix()


def _link_message(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        target = "another place"
    return f"is a symbolic link to {target}; {SYMLINK_FIX}"


def _first_link(path: Path, root: Path) -> Path | None:
    """The first symbolic link on the way from root down to path (path included), if any."""
    step = root
    for part in path.relative_to(root).parts:
        step = step / part
        if step.is_symlink():
            return step
    return None


def unsafe_paths(root: Path, folders) -> list[Problem]:
    """Every entry under the folders that is not a plain file or folder of the repository:
    symbolic links (wherever they point), devices, pipes and sockets, and a folder that is itself
    a link or lies outside the repository. Never follows a link."""
    root = Path(root).absolute()
    problems: list[Problem] = []

    def problem(path: Path, message: str) -> None:
        problems.append(Problem(display(path, root), 1, FIELD_FILE, message))

    for folder in folders:
        folder = Path(os.path.normpath(root / folder))
        if not folder.is_relative_to(root):
            problem(folder, f"is outside the repository; only files inside {root} are read or published. "
                            "Move the files into the repository and point mkdocs.yml at them")
            continue
        link = _first_link(folder, root)
        if link is not None:
            problem(link, _link_message(link))
            continue
        if not folder.exists():
            continue
        for current, dirs, files in os.walk(folder, followlinks=False):
            here = Path(current)
            for name in sorted(dirs + files):
                path = here / name
                try:
                    mode = path.lstat().st_mode
                except OSError as error:
                    problem(path, f"cannot be read ({error.strerror}); check the file's permissions")
                    continue
                if stat.S_ISLNK(mode):
                    problem(path, _link_message(path))
                elif not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                    problem(path, "is not a regular file (a device, pipe or socket); remove it")
            dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
    return sorted(problems)


def link_problem(path: Path, shown: str) -> Problem | None:
    """A problem if the file at `path` is a symbolic link or not a regular file; None otherwise
    (a missing file included: its reader decides what that means)."""
    path = Path(path)
    if path.is_symlink():
        return Problem(shown, 1, FIELD_FILE, _link_message(path))
    if path.exists() and not path.is_file():
        return Problem(shown, 1, FIELD_FILE, "is not a regular file; remove it")
    return None


def refuse_unsafe_file(path: Path, root: Path) -> None:
    """PortalError unless `path` is a regular file inside `root`, reached without any link."""
    root = Path(root).absolute()
    path = Path(os.path.normpath(Path(path).absolute()))
    shown = display(path, root)
    if not path.is_relative_to(root):
        raise PortalError(f"{shown}:1: {FIELD_FILE}: is outside the repository; only files inside {root} are read")
    link = _first_link(path, root)
    if link is not None:
        raise PortalError(f"{display(link, root)}:1: {FIELD_FILE}: {_link_message(link)}")
    if path.exists() and not path.is_file():
        raise PortalError(f"{shown}:1: {FIELD_FILE}: is not a regular file; remove it")


def read_text(path: Path, root: Path | None = None, shown: str | None = None) -> str:
    """A text file's contents as UTF-8 (a leading byte-order mark dropped, as MkDocs does).
    PortalError naming the file and line for a link, a path out of the repository, or bytes that
    are not UTF-8."""
    path = Path(path)
    if root is not None:
        refuse_unsafe_file(path, root)
    shown = shown or (display(path.absolute(), Path(root).absolute()) if root is not None else path.as_posix())
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PortalError(f"{shown}:1: {FIELD_FILE}: cannot be read ({error.strerror}); "
                          "check that it exists and that you may read it") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PortalError(
            f"{shown}:{line}: text: is not UTF-8 text (the byte {data[error.start]:#04x} cannot be read); "
            "open the file in an editor and save it again with the encoding UTF-8") from None
    return text[1:] if text.startswith("\ufeff") else text
