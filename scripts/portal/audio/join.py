"""Join MP3 clips frame by frame, without decoding or re-encoding them.

MPEG audio is a run of self-contained frames: clips of one format (MPEG version, sample rate,
channels) can follow one another in one file. Only their audio frames are kept: ID3 tags and the
Xing/Info header frame an encoder may write describe one clip, and would tell a player the
joined file is as long as its first part. The result is constant bit rate when the parts are,
so its length is exact from its size, which is how browsers and mutagen measure it.

No library in the portal's dependencies writes MPEG frames (mutagen only reads tags and
headers), and ffmpeg would be a large build dependency for some 60 lines.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .synthesis_error import SynthesisError

# Layer III bit rates (kbit/s) by header index, for MPEG-1 and for MPEG-2/2.5.
BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
            2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits
SIDE_INFO = {(True, True): 17, (True, False): 32, (False, True): 9, (False, False): 17}  # (MPEG-1, mono)


@dataclass(frozen=True)
class Format:
    version: int  # the header's version bits: 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5
    sample_rate: int
    mono: bool

    @property
    def samples_per_frame(self) -> int:
        return 1152 if self.version == 3 else 576


@dataclass(frozen=True)
class Frames:
    format: Format
    data: bytes  # the audio frames only
    count: int

    @property
    def seconds(self) -> float:
        return self.count * self.format.samples_per_frame / self.format.sample_rate


def audio_frames(data: bytes, name: str = "clip") -> Frames:
    """The Layer III audio frames of one MP3, or SynthesisError naming what is wrong."""
    offset = 0
    kept = bytearray()
    count, first, fmt = 0, True, None
    while offset + 4 <= len(data):
        # Tags can sit between frames too: gTTS writes one answer after another, each may carry its own.
        if data[offset:offset + 3] == b"ID3":
            offset += _id3_size(data, offset)
            continue
        if data[offset:offset + 3] == b"TAG":  # ID3v1: 128 bytes
            offset += 128
            continue
        header = int.from_bytes(data[offset:offset + 4], "big")
        if header >> 21 != 0x7FF or (header >> 17) & 3 != 1:
            raise SynthesisError(f"{name}: byte {offset} is not the start of an MP3 (Layer III) frame")
        version, bitrate_index, rate_index = (header >> 19) & 3, (header >> 12) & 15, (header >> 10) & 3
        if version == 1 or bitrate_index in (0, 15) or rate_index == 3:
            raise SynthesisError(f"{name}: frame at byte {offset} has a reserved or free-format header")
        frame_format = Format(version, SAMPLE_RATES[version][rate_index], (header >> 6) & 3 == 3)
        if fmt is None:
            fmt = frame_format
        elif frame_format != fmt:
            raise SynthesisError(f"{name}: frame at byte {offset} changes sample rate or channels")
        bitrate = BITRATES[1 if version == 3 else 2][bitrate_index] * 1000
        size = (144 if version == 3 else 72) * bitrate // fmt.sample_rate + ((header >> 9) & 1)
        frame = data[offset:offset + size]
        if len(frame) < size:
            break  # a cut-off last frame is dropped, as players do
        if not (first and _is_info_frame(frame, fmt)):
            kept += frame
            count += 1
        first = False
        offset += size
    if fmt is None or not count:
        raise SynthesisError(f"{name}: has no audio frames")
    return Frames(fmt, bytes(kept), count)


def _id3_size(data: bytes, offset: int) -> int:
    """The length of the ID3v2 tag at `offset`, header and footer included."""
    header = data[offset:offset + 10]
    if len(header) < 10:
        return len(header)
    size = 0
    for byte in header[6:10]:  # four 7-bit bytes ("syncsafe")
        size = (size << 7) | (byte & 0x7F)
    return 10 + size + (10 if header[5] & 0x10 else 0)


def _is_info_frame(frame: bytes, fmt: Format) -> bool:
    start = 4 + SIDE_INFO[(fmt.version == 3, fmt.mono)]
    return frame[start:start + 4] in (b"Xing", b"Info") or frame[36:40] == b"VBRI"


def join_mp3(parts: list[tuple[str, bytes]]) -> Frames:
    """(name, MP3 bytes) of each part, in order -> one MP3 of all their frames."""
    if not parts:
        raise SynthesisError("nothing to join")
    frames = [audio_frames(data, name) for name, data in parts]
    first = frames[0].format
    for (name, _), part in zip(parts, frames):
        if part.format != first:
            raise SynthesisError(f"{name} is {part.format.sample_rate} Hz and {_channels(part.format)}; the "
                                 f"page's first section is {first.sample_rate} Hz and {_channels(first)}: "
                                 "they cannot be joined")
    return Frames(first, b"".join(part.data for part in frames), sum(part.count for part in frames))


def _channels(fmt: Format) -> str:
    return "mono" if fmt.mono else "stereo"


def joined_name(parts: list[str]) -> str:
    """A page's clip is named by its parts: the same sections, the same joined clip."""
    return "joined-" + hashlib.sha256(" ".join(parts).encode("ascii")).hexdigest()[:32] + ".mp3"
