"""Every format a telephony system exports decodes to 16 kHz samples of the right length."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from tests.transcription.conftest import TEST_CALLS
from transcription.audio import SAMPLE_RATE, decode_audio

SOURCE = TEST_CALLS / "en_telephony_8k.wav"
# (file suffix, codec, sample rate): the exports the issue names, beyond the committed test calls.
EXPORTS = [
    ("wav", "pcm_alaw", 8000),
    ("wav", "pcm_mulaw", 8000),
    ("wav", "pcm_s16le", 48000),
    ("flac", "flac", 16000),
    ("mp3", "libmp3lame", 22050),
    ("m4a", "aac", 44100),
]


def _export(source: Path, target: Path, codec: str, rate: int) -> None:
    """Re-encode `source` as a two-channel `codec` file at `rate`, as a call recorder would."""
    with av.open(str(source)) as inp, av.open(str(target), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="stereo")
        assert isinstance(stream, av.AudioStream)
        sample_formats = stream.codec_context.codec.audio_formats
        assert sample_formats
        resampler = av.AudioResampler(format=sample_formats[0].name, layout="stereo", rate=rate)
        for frame in inp.decode(audio=0):
            frame.pts = None
            for resampled in resampler.resample(frame):
                for packet in stream.encode(resampled):
                    out.mux(packet)
        for resampled in resampler.resample(None):
            for packet in stream.encode(resampled):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)


@pytest.mark.parametrize(("suffix", "codec", "rate"), EXPORTS)
def test_export_decodes_to_both_channels_at_16_khz(
    tmp_path: Path, suffix: str, codec: str, rate: int
) -> None:
    original = decode_audio(SOURCE, 3600)
    exported = tmp_path / f"call-{codec}.{suffix}"
    _export(SOURCE, exported, codec, rate)
    decoded = decode_audio(exported, 3600)
    assert decoded.channels == 2
    assert decoded.source_rate == rate
    assert decoded.samples.dtype == np.float32
    assert decoded.duration == pytest.approx(original.duration, abs=0.1)
    assert np.abs(decoded.samples).max() <= 1.0
    # The agent speaks first on the left; the right channel is silent until the customer answers.
    opening = slice(int(1.0 * SAMPLE_RATE), int(5.0 * SAMPLE_RATE))
    assert np.std(decoded.samples[0, opening]) > 10 * np.std(decoded.samples[1, opening])
