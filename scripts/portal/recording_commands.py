"""The command line's recording commands, beside cli.py: `python -m portal record` (make record LANG=ps),
the recording kit's page on 127.0.0.1, and `python -m portal record-confirm` (make record-confirm
RECORDING=ps/offer/travel/free-bus-and-tram), for a recording someone has listened to and found
still says what the changed page says."""

from __future__ import annotations

from pathlib import Path

from .audio.recordings import confirm_recording
from .configuration import load_site
from .content.pages import load_content


def cmd_confirm(args) -> int:
    site = load_site(Path(args.root))
    written = confirm_recording(load_content(site), site.audio_dir / "recordings", args.recording)
    print(f"{site.display(written)}: now holds the section's words; the recording plays again after make audio")
    return 0


def add_commands(commands) -> None:
    confirm = commands.add_parser("record-confirm", help="a section recording still says the page's words")
    confirm.add_argument("recording", help="<language>/<page>/<section>, e.g. ps/offer/travel/free-bus-and-tram")
    confirm.set_defaults(run=cmd_confirm)
