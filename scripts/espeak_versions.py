"""Which espeak-ng reads a language better on the real pages: Debian's 1.51 (the command) or 1.52
(bundled by espeakng-loader). For each language, every page's speech text is read by both, and
counted: words each build gives up on and spells letter by letter ("Unpronouncable?" in the
phoneme trace), letters read by their names, and phoneme words that differ between the builds.

    .venv/bin/python scripts/espeak_versions.py [am fa ...]
"""

from __future__ import annotations

import difflib
import re
import subprocess
import sys
from pathlib import Path

from portal.audio.espeak_library import BundledEspeak
from portal.configuration import load_site
from portal.content import languages
from portal.content.pages import load_content
from portal.render.speech import page_speech, speech_context


def counts(trace: str) -> tuple[int, int]:
    """(words spelled letter by letter, letters read by name) in an `espeak-ng -X` trace."""
    return trace.count("Unpronouncable?"), len(re.findall(r"^Found: '_[^\d'\s]", trace, re.M))


def main(codes: list[str]) -> int:
    site = load_site(Path.cwd())
    content = load_content(site)
    context = speech_context(content)
    bundled = BundledEspeak.load()
    print(f"{'lang':5} {'words':>6}  {'spelled 1.51':>12} {'1.52':>5}  {'letter names 1.51':>17} {'1.52':>5}  "
          f"phoneme words differing")
    for code in codes:
        voice = languages.get(code).espeak
        text = "\n".join(page_speech(content, code, rel, context) for rel in sorted(content.pages.get(code, {})))
        old_trace = subprocess.run(["espeak-ng", "-v", voice, "-q", "-X", "--stdin"], input=text,
                                   capture_output=True, text=True).stdout
        old_phonemes = subprocess.run(["espeak-ng", "-v", voice, "-q", "-x", "--stdin"], input=text,
                                      capture_output=True, text=True).stdout.split()
        new_phonemes = bundled.phonemes(text, voice)
        (old_spelled, old_letters), (new_spelled, new_letters) = counts(old_trace), counts(bundled.trace(text, voice))
        matcher = difflib.SequenceMatcher(None, old_phonemes, new_phonemes, autojunk=False)
        differing = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal")
        print(f"{code:5} {len(text.split()):>6}  {old_spelled:>12} {new_spelled:>5}  {old_letters:>17} {new_letters:>5}  "
              f"{differing} of {len(old_phonemes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["am", "fa"]))
