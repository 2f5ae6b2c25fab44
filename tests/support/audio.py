"""Speech engines for tests: real MP3s of silence made offline with lame, a fake engine that
counts what it is asked, and gTTS's own answer format for faking its HTTP layer."""

from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import threading
import wave
from pathlib import Path

from portal.audio.engines import SynthesisError
from portal.audio.generator import make_generator
from portal.configuration import load_site
from portal.content.pages import load_content

GTTS_URL = re.compile(r"https://translate\.google\.[a-z.]+/_/TranslateWebserverUi/data/batchexecute")


def mp3_of_silence(path: Path, seconds: float) -> Path:
    """A real, valid mono MP3 of a given length, made offline with lame; written whole or not at all."""
    wav = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.wav")
    with wave.open(str(wav), "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(16000)
        sink.writeframes(b"\x00\x00" * int(16000 * seconds))
    partial = wav.with_suffix(".mp3")
    subprocess.run(["lame", "--quiet", "-m", "m", "-b", "24", str(wav), str(partial)], check=True)
    wav.unlink()
    os.replace(partial, path)
    return path


def google_answer(clip: bytes) -> str:
    encoded = base64.b64encode(clip).decode("ascii")
    return ')]}\'\n\n[["wrb.fr","jQ1olc","[\\"%s\\"]",null,null,null,"generic"]]\n' % encoded


class FakeEngine:
    """Counts what it is asked to synthesise; fails on request. Its clips are real MP3s of silence,
    one second for every CHARS_A_SECOND characters, so each passes the clip checks whatever its length."""

    CHARS_A_SECOND = 15

    def __init__(self, name, langs, clip: Path, fail: bool = False):
        self.name, self.langs, self.fail = name, langs, fail
        self.error: BaseException | None = None  # raised as it is, as a crashing engine would
        self.scratch = clip.parent  # made clips are kept here by length: lame runs once per length
        self.calls: list[tuple[str, str]] = []
        # The generator synthesises on two threads: one must not copy a clip the other is still making.
        self.making = threading.Lock()

    def voice(self, lang):
        return {"fake": self.name} if lang in self.langs else None

    def synthesise(self, text, lang, out):
        self.calls.append((lang, text))
        if self.error is not None:
            raise self.error
        if self.fail:
            raise SynthesisError("unreachable")
        seconds = max(1, round(len(text) / self.CHARS_A_SECOND))
        made = self.scratch / f"silence-{seconds}s.mp3"
        with self.making:
            if not made.exists():
                mp3_of_silence(made, seconds)
        shutil.copyfile(made, out)


def generate(project, engines, **kwargs):
    """Make the project's audio with these engines; the outcomes, one per page and language."""
    return generated(project, engines, **kwargs)[1]


def generated(project, engines, **kwargs):
    """Make the project's audio with these engines: the generator (its problems) and the outcomes."""
    site = load_site(project)
    generator = make_generator(site, engines)
    return generator, generator.generate(load_content(site), **kwargs)


def silent_engines(folder: Path, langs=("en", "ar", "vi")) -> dict[str, FakeEngine]:
    """Google unreachable and espeak-ng speaking a long silence, which fits every fixture page
    (4 to 40 characters a second)."""
    clip = mp3_of_silence(folder / "long.mp3", 24.0)
    return {"gtts": FakeEngine("gtts", set(langs), clip, fail=True),
            "espeak-ng": FakeEngine("espeak-ng", set(langs), clip)}


def cli_with_engines(monkeypatch, engines: dict[str, FakeEngine]) -> dict[str, FakeEngine]:
    """`python -m portal audio` with these engines instead of Google and espeak-ng."""
    from portal.audio import generator

    original = generator.make_generator
    monkeypatch.setattr(generator, "make_generator",
                        lambda site, engines_=None, repair=False, **kwargs: original(site, engines, repair, **kwargs))
    return engines


def snapshot(folder: Path) -> dict:
    """Every entry under the folder: bytes for a file, the target for a link, None for a folder."""
    found = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        found[rel] = os.readlink(path) if path.is_symlink() else path.read_bytes() if path.is_file() else None
    return found


LANGUAGE_NAMES = {"ps": "پښتو", "ti": "ትግርኛ", "ku": "کوردی", "fa": "فارسی", "am": "አማርኛ", "sq": "Shqip"}


def add_language(project: Path, code: str) -> Path:
    """A language added to a copy of the fixture site's mkdocs.yml (the shared fixture has en, ar, vi)."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    entry = f"        - locale: {code}\n          name: {LANGUAGE_NAMES[code]}\n          build: true\n"
    anchor = "          name: Tiếng Việt\n          build: true\n"
    config.write_text(text.replace(anchor, anchor + entry), encoding="utf-8")
    return project


PASHTO_TRAVEL = """---
title: سفر
description: په بس او ټرام کې وړیا سفر.
translation:
  source_hash: "000000000000"
  status: draft
---

په لندن کې ګرځېدل.

## په بس او ټرام کې وړیا سفر {#free-bus-and-tram .entitlement}

```entitlement
summary: د لندن په بسونو او ټرامونو کې وړیا سفر.
cost: وړیا.
steps:
  - له خپل شخصي سلاکار سره خبرې وکړئ.
  - د کارت لپاره غوښتنه وکړئ.
```

**تاسو څه ترلاسه کوئ:** په بسونو او ټرامونو کې وړیا سفر.

## د انګلیسي ژبې ټولګي {#english-classes .entitlement}

```entitlement
summary: د هغو ځوانانو لپاره د انګلیسي ژبې ټولګي چې لومړۍ ژبه یې انګلیسي نه ده.
cost: سرچینه یې نه وايي. له خپل شخصي سلاکار څخه وپوښتئ.
steps:
  - له خپل شخصي سلاکار څخه وپوښتئ چې ټولګي اوس روان دي که نه.
```

ټولګي د لویانو د زده کړې له خدمت سره پلان شوي وو.
"""


def with_pashto(project: Path) -> Path:
    """The fixture site with Pashto added and its travel page translated (no engine speaks Pashto)."""
    add_language(project, "ps")
    page = project / "docs/ps/offer/travel.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(PASHTO_TRAVEL, encoding="utf-8")
    return project


def section_text(project: Path, lang: str, rel: str, ident: str) -> str:
    """The words a section of a page says now, as the recording kit shows them."""
    from portal.render.speech import page_sections
    from portal.speech.sections import section_ids

    sections = page_sections(load_content(load_site(project)), lang, rel)
    return sections[section_ids(sections).index(ident)].text


def record_section(project, lang: str, rel: str, ident: str, role: str = "personal-adviser", text: str | None = None):
    """A section recording as the kit leaves it: the MP3, the words it reads, and who read them."""
    text = text or section_text(project, lang, rel, ident)
    path = project / "audio/recordings" / lang / rel.removesuffix(".md") / f"{ident}.mp3"
    path.parent.mkdir(parents=True, exist_ok=True)
    mp3_of_silence(path, max(1.0, len(text) / 12))
    path.with_suffix(".txt").write_text(text + "\n", encoding="utf-8")
    with (project / "audio/recordings/roles.yml").open("a", encoding="utf-8") as roles:
        roles.write(f"{lang}/{rel.removesuffix('.md')}/{ident}.mp3: {role}\n")
    return path
