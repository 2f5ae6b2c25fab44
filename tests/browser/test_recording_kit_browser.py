"""The recording kit in Debian's Chromium, its microphone a WAV the test makes: one Pashto section is
recorded and kept, and the built site then plays that recording in the entitlement's player, labelled
as recorded by a personal adviser."""

from __future__ import annotations

import math
import re
import socket
import struct
import threading
import wave

import pytest
from conftest import copy_fixture_site
from portal.audio.engines import measure
from portal.audio.lock import parse_lock
from portal.audio.recording_kit import RecordingKit
from portal.audio.recording_server import KitServer
from portal.configuration import load_site
from portal.content.pages import load_content
from support.audio import FakeEngine, generate, mp3_of_silence, section_text, with_pashto
from support.browser import CHROMIUM
from support.builds import build_site, out

pytestmark = pytest.mark.browser
SECTION = "offer/travel/free-bus-and-tram"


def voice_like_wav(path, seconds: float, rate: int = 48_000):
    """Half a second of silence, then a 'voice': a 220 Hz tone whose loudness rises and falls four times
    a second, then silence again (Chromium loops the file as its microphone)."""
    frames = bytearray()
    for i in range(int(rate * seconds)):
        t = i / rate
        speaking = 0.5 <= t <= seconds - 0.5
        level = 0.3 * (0.6 + 0.4 * math.sin(2 * math.pi * 4 * t)) if speaking else 0.0
        frames += struct.pack("<h", int(32767 * level * math.sin(2 * math.pi * 220 * t)))
    with wave.open(str(path), "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(rate)
        sink.writeframes(bytes(frames))
    return path


def started_kit(tmp_path):
    """The kit for Pashto on the fixture site, serving on a thread: (project, server, thread)."""
    project = with_pashto(copy_fixture_site(tmp_path / "project"))
    site = load_site(project)
    server = KitServer(RecordingKit(load_content(site), site, "ps", generated_voice=False))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return project, server, thread


def stopped(server, thread) -> None:
    server.shutdown()
    server.server_close()
    thread.join(5)


@pytest.fixture
def kit_server(tmp_path):
    project, server, thread = started_kit(tmp_path)
    yield project, server
    stopped(server, thread)


def test_a_pashto_section_recorded_in_the_kit_plays_in_its_entitlement_player(kit_server, tmp_path, playwright):
    project, server = kit_server
    assert server.server_address[0] == "127.0.0.1", "the kit is reachable from this computer only"
    words = section_text(project, "ps", "offer/travel.md", "free-bus-and-tram")
    seconds = max(3.0, len(words) / 12)  # an unhurried reader: well inside 4 to 40 characters a second
    microphone = voice_like_wav(tmp_path / "microphone.wav", seconds + 2)
    # The session's Playwright, with a Chromium of its own: one with a fake microphone.
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={microphone}", "--mute-audio"])
    try:
        page = chromium.new_page()
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(server.origin + "/")
        page.wait_for_selector(f'#section option[data-section="{SECTION}"]', state="attached")
        assert "3 of 3 sections still need a voice" in page.locator("#progress").inner_text()
        number = page.locator(f'#section option[data-section="{SECTION}"]').get_attribute("value")
        page.select_option("#section", number)
        page.select_option("#role", "personal-adviser")
        assert page.locator("#words").inner_text().strip() == words, "the exact words to read"
        page.click("#record")
        page.wait_for_timeout(int(seconds * 1000))
        page.click("#stop")
        page.wait_for_selector("#playback:not([hidden])")
        page.click("#keep")
        page.wait_for_function("() => document.getElementById('status').textContent.startsWith('Kept as')",
                               timeout=30_000)
        assert "2 of 3 sections still need a voice" in page.locator("#progress").inner_text()
    finally:
        chromium.close()
    assert all(url.startswith(server.origin) or url.startswith("blob:") for url in requests), requests

    recording = project / "audio/recordings/ps" / f"{SECTION}.mp3"
    duration, _, bitrate = measure(recording)
    assert bitrate == 24_000 and seconds - 1.5 < duration < seconds + 0.5, "trimmed, at the clips' bit rate"
    assert recording.with_suffix(".txt").read_text(encoding="utf-8").strip() == words
    assert f"ps/{SECTION}.mp3: personal-adviser" in (project / "audio/recordings/roles.yml").read_text("utf-8")

    clip = mp3_of_silence(tmp_path / "silence.mp3", 1.0)
    generate(project, {"gtts": FakeEngine("gtts", set(), clip, fail=True),
                       "espeak-ng": FakeEngine("espeak-ng", {"en", "ar", "vi"}, clip)})
    entry = parse_lock((project / "audio/lock.json").read_text(encoding="utf-8"))["ps/offer/travel.md#free-bus-and-tram"]
    html = out(build_site(project), "ps", "offer/travel/index.html")
    player = re.search(r'id="free-bus-and-tram">.*?(<div class="portal-audio portal-audio--entitlement".*?</div>)',
                       html, re.S).group(1)
    assert f"audio/{entry.clip}" in player and "د شخصي سلاکار لخوا ثبت شوی." in player


def test_the_kit_stops_cleanly_and_frees_its_port(tmp_path):
    _, server, thread = started_kit(tmp_path)
    port = server.server_port
    stopped(server, thread)
    assert not thread.is_alive()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1)
