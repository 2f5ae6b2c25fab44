"""The recording kit without a browser: a take is trimmed and levelled, a take too short for its words
is refused with what to do, and only the kit's own page can keep a take."""

from __future__ import annotations

import http.client
import io
import struct
import threading
import wave

import pytest
from conftest import copy_fixture_site
from portal.audio.recording_kit import RecordingKit, prepare
from portal.audio.recording_server import KitServer
from portal.configuration import load_site
from portal.content.errors import PortalError
from portal.content.pages import load_content
from support.audio import with_pashto


def take(seconds_quiet: float, seconds_loud: float, amplitude: int = 2000, rate: int = 16_000) -> bytes:
    samples = [0] * int(rate * seconds_quiet) + [amplitude if i % 40 < 20 else -amplitude
                                                  for i in range(int(rate * seconds_loud))] + [0] * int(rate * seconds_quiet)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sink:
        sink.setnchannels(1)
        sink.setsampwidth(2)
        sink.setframerate(rate)
        sink.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


@pytest.fixture
def kit(tmp_path):
    project = with_pashto(copy_fixture_site(tmp_path / "project"))
    site = load_site(project)
    return RecordingKit(load_content(site), site, "ps", generated_voice=False)


def test_a_take_is_trimmed_to_its_speech_and_levelled_without_clipping(tmp_path):
    trimmed, gain = prepare(take(2.0, 3.0), tmp_path / "take.wav")
    with wave.open(str(trimmed)) as result:
        assert 3.0 < result.getnframes() / result.getframerate() < 3.4, "2 s of silence each side trimmed"
    assert gain == pytest.approx(0.1 / (2000 / 32768), rel=0.01), "brought to -20 dBFS"
    assert prepare(take(0.5, 1.0, amplitude=30000), tmp_path / "loud.wav")[1] <= 0.9 * 32768 / 30000


def test_a_silent_take_or_one_too_short_for_its_words_is_refused(kit):
    with pytest.raises(PortalError, match="is silent; check the microphone"):
        kit.keep(1, "care-leaver", take(1.0, 0.0))
    with pytest.raises(PortalError, match="truncated or garbled: read the whole section once"):
        kit.keep(1, "care-leaver", take(0.2, 0.5))
    assert kit.summary()["left"] == 3 and kit.summary()["minutes_left"] > 0


def test_only_the_kits_own_page_can_keep_a_take(kit):
    server = KitServer(kit)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
        connection.request("POST", "/keep?section=1&role=staff", body=take(0.2, 5.0),
                           headers={"Origin": "https://example.org"})
        assert connection.getresponse().status == 403
        assert not (kit.site.root / "audio/recordings").exists()
    finally:
        server.shutdown()
        server.server_close()
