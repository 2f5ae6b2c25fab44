"""The command line's recording commands, beside cli.py: `python -m portal record` (make record LANG=ps),
the recording kit's page on 127.0.0.1, and `python -m portal record-confirm` (make record-confirm
RECORDING=ps/offer/travel/free-bus-and-tram), for a recording someone has listened to and found
still says what the changed page says."""

from __future__ import annotations

from pathlib import Path

from .audio.generator import make_generator
from .audio.recording_kit import RecordingKit, lame_available
from .audio.recordings import confirm_recording
from .configuration import load_site
from .content.pages import load_content


def cmd_confirm(args) -> int:
    site = load_site(Path(args.root))
    written = confirm_recording(load_content(site), site.audio_dir / "recordings", args.recording)
    print(f"{site.display(written)}: now holds the section's words; the recording plays again after make audio")
    return 0


def cmd_record(args) -> int:
    # Imported here: the kit's web server brings http.server, and with it http.client and ssl, into
    # every command, where only this one serves a page (about 25 ms of each build's CPU).
    from .audio.recording_server import serve

    site = load_site(Path(args.root))
    lame_available()
    kit = RecordingKit(load_content(site), site, args.lang, make_generator(site).preferred(args.lang) is not None)
    serve(kit, args.port)
    return 0


def add_commands(commands) -> None:
    record = commands.add_parser("record", help="the recording kit: read a language's sections aloud, on 127.0.0.1")
    record.add_argument("--lang", required=True, help="a language code, such as ps")
    record.add_argument("--port", type=int, default=8765)
    record.set_defaults(run=cmd_record)
    confirm = commands.add_parser("record-confirm", help="a section recording still says the page's words")
    confirm.add_argument("recording", help="<language>/<page>/<section>, e.g. ps/offer/travel/free-bus-and-tram")
    confirm.set_defaults(run=cmd_confirm)
