"""Two speakers on one channel: cut the words into turns, cluster the turns by voice.

Offline and on CPU: MFCCs (NumPy/SciPy), speaker changes at pauses between words, and a
two-way clustering of each turn's mean and spread of MFCCs. Which cluster is the agent is not
decided here (that needs words a contact center uses); `SpeakerSplit` only says who spoke when,
and how cleanly the two voices separate (`confidence`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.fft import dct
from sklearn.cluster import KMeans

FRAME_SECONDS = 0.025
HOP_SECONDS = 0.010
MEL_BANDS = 26
CEPSTRA = 13
# A pause this long between words is taken as a possible change of speaker.
TURN_GAP_SECONDS = 0.35


@dataclass(frozen=True)
class TimedWord:
    start: float
    end: float


@dataclass(frozen=True)
class SpeakerSplit:
    # One speaker label (0 or 1) per word, in the words' order.
    labels: tuple[int, ...]
    # 0..1: how far apart the two voices are against their spread (silhouette of the turns).
    confidence: float


def split_speakers(
    samples: np.ndarray, sample_rate: int, words: Sequence[TimedWord]
) -> SpeakerSplit:
    if len(words) < 2:
        return SpeakerSplit(tuple(0 for _ in words), 0.0)
    cepstra = mfcc(samples, sample_rate)
    turns = _turns(words)
    features = np.stack([_turn_features(cepstra, words, turn) for turn in turns])
    features = (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-6)
    if len(turns) < 2:
        return SpeakerSplit(tuple(0 for _ in words), 0.0)
    clusters = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(features)
    labels = [0] * len(words)
    for turn, cluster in zip(turns, clusters, strict=True):
        for index in turn:
            labels[index] = int(cluster)
    return SpeakerSplit(tuple(labels), _silhouette(features, clusters))


def mfcc(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Frames x CEPSTRA mel-frequency cepstra, mean-normalised over the call (channel effects)."""
    frame = int(FRAME_SECONDS * sample_rate)
    hop = int(HOP_SECONDS * sample_rate)
    audio = np.asarray(samples, dtype=np.float32)
    if audio.size < frame:
        audio = np.pad(audio, (0, frame - audio.size))
    count = 1 + (audio.size - frame) // hop
    index = np.arange(frame)[None, :] + hop * np.arange(count)[:, None]
    frames = audio[index] * np.hamming(frame).astype(np.float32)
    fft_size = 1 << (frame - 1).bit_length()
    power = np.abs(np.fft.rfft(frames, fft_size)) ** 2
    energies = power @ _mel_filters(sample_rate, fft_size).T
    cepstra = dct(np.log(energies + 1e-10), type=2, axis=1, norm="ortho")[:, 1 : CEPSTRA + 1]
    return cepstra - cepstra.mean(axis=0)


def _mel_filters(sample_rate: int, fft_size: int) -> np.ndarray:
    def to_mel(hz: np.ndarray) -> np.ndarray:
        return 2595 * np.log10(1 + hz / 700)

    edges_mel = np.linspace(0, to_mel(np.array(sample_rate / 2)), MEL_BANDS + 2)
    edges = 700 * (10 ** (edges_mel / 2595) - 1)
    bins = np.floor((fft_size + 1) * edges / sample_rate).astype(int)
    filters = np.zeros((MEL_BANDS, fft_size // 2 + 1))
    for band in range(MEL_BANDS):
        left, centre, right = bins[band], bins[band + 1], max(bins[band + 2], bins[band + 1] + 1)
        filters[band, left:centre] = np.linspace(0, 1, max(centre - left, 0), endpoint=False)
        filters[band, centre:right] = np.linspace(1, 0, right - centre, endpoint=False)
    return filters


def _turns(words: Sequence[TimedWord]) -> list[list[int]]:
    turns: list[list[int]] = [[0]]
    for index in range(1, len(words)):
        if words[index].start - words[index - 1].end >= TURN_GAP_SECONDS:
            turns.append([])
        turns[-1].append(index)
    return turns


def _turn_features(cepstra: np.ndarray, words: Sequence[TimedWord], turn: list[int]) -> np.ndarray:
    frames = _turn_frames(cepstra, words, turn)
    return np.concatenate([frames.mean(axis=0), frames.std(axis=0)])


def _turn_frames(cepstra: np.ndarray, words: Sequence[TimedWord], turn: list[int]) -> np.ndarray:
    start = int(words[turn[0]].start / HOP_SECONDS)
    end = max(int(words[turn[-1]].end / HOP_SECONDS), start + 1)
    frames = cepstra[start:end]
    return frames if frames.size else cepstra[-1:]


def _silhouette(features: np.ndarray, clusters: np.ndarray) -> float:
    if len(set(clusters.tolist())) < 2 or len(features) < 3:
        return 0.0
    from sklearn.metrics import silhouette_score

    return float(max(silhouette_score(features, clusters), 0.0))
