"""Two speakers on one channel: cut the words into turns, cluster the turns by voice.

Offline and on CPU, no model: MFCCs (NumPy/SciPy), speaker changes at pauses between words, a
two-way clustering of each turn's mean and spread of MFCCs, then a refinement that fits a small
Gaussian mixture to each voice's frames and relabels every word by which voice it sounds like,
with a Viterbi pass that makes a change of voice cheap at a pause and dear inside a run of words
(so a reply that follows without a pause is still caught). On the Harper Valley mix-downs the
refinement took word attribution from 0.856 to 0.871 (bench/mono_roles.py). Which voice is the
agent is not decided here (that needs the words a contact center uses); `SpeakerSplit` only says
who spoke when, and how far that split can be trusted (`confidence`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from scipy.fft import dct
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

from transcription.transcript import Utterance, Word

FRAME_SECONDS = 0.025
HOP_SECONDS = 0.010
MEL_BANDS = 26
CEPSTRA = 13
# A pause this long between words is taken as a possible change of speaker.
TURN_GAP_SECONDS = 0.35
# Refinement: rounds of refit-and-relabel.
REFINE_ROUNDS = 3
# A voice's mixture is fitted on at most this many frames (10 minutes of its speech), taken
# evenly through the call, so a 4-hour call costs little more than an hour-long one.
MAX_FIT_FRAMES = 60_000


@dataclass(frozen=True)
class VoiceSettings:
    """The refinement's tuned parameters, in one place so the benchmark can choose them on some
    calls and measure them on others (bench/mono_roles.py --held-out).

    Mixture components per voice, and the log-likelihood a change of voice costs inside a run
    of words and at a pause. Chosen on the four Harper Valley calls, the only calls with truth
    we have (4 components beat 1, 2 and 8; an in-run cost of 8, 20, 25, 40, 80 gave 0.884,
    0.896, 0.901, 0.901, 0.884 of Whisper's words right: Whisper's word times run together, and
    a low cost let a voice flip word by word inside a sentence).
    """

    components: int = 4
    change_cost_in_run: float = 25.0
    change_cost_at_pause: float = 1.0


@dataclass(frozen=True)
class TimedWord:
    start: float
    end: float


@dataclass(frozen=True)
class SpeakerSplit:
    # One voice label (0 or 1) per word, in the words' order.
    labels: tuple[int, ...]
    # 0..1: how far the split can be trusted (`split_confidence`).
    confidence: float


def split_speakers(
    cepstra: np.ndarray, words: Sequence[TimedWord], settings: VoiceSettings = VoiceSettings()
) -> SpeakerSplit:
    """`cepstra`: the call's `mfcc` frames (one per HOP_SECONDS from the call's start)."""
    turns = _turns(words)
    if len(turns) < 2:
        return SpeakerSplit(tuple(0 for _ in words), 0.0)
    features = np.stack([_turn_features(cepstra, words, turn) for turn in turns])
    features = (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-6)
    clusters = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(features)
    # Starting points, kept by likelihood: the turns clustered by voice (on their MFCC means and
    # spreads, the means alone and the spreads alone), and the turns taken in turn (dialogue
    # structure). Any one of them can split noise from speech, or one loud turn from the rest,
    # and the refinement then stays there; which wins differs from call to call (the means
    # alone and the spreads alone took the re-paired calls of bench/mono_roles.py --held-out
    # from 0.840 to 0.873 of words in the right voice, the real calls from 0.935 to 0.941).
    starts = [
        clusters,
        *(
            KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(view)
            for view in (features[:, :CEPSTRA], features[:, CEPSTRA:])
        ),
        np.arange(len(turns)) % 2,
    ]
    candidates = [
        _refined(cepstra, words, _word_labels(turns, start), settings) for start in starts
    ]
    labels, _ = max(candidates, key=lambda candidate: candidate[1])
    return SpeakerSplit(tuple(labels), split_confidence(labels, [c[0] for c in candidates]))


def split_confidence(chosen: Sequence[int], candidates: Sequence[Sequence[int]]) -> float:
    """0..1: how much the starts agree on the chosen split (the share of words each start's
    result gives the same voice, rescaled from chance, 0.5, to 1; averaged) times how evenly the
    words fall between the two voices (1 at half each, 0 when one voice has them all).

    Why not how far apart the clusters are: the cleanest separations on the Harper Valley
    mix-downs were the wrong ones (one voice with nearly every word, or noise against speech),
    and the confidence built on the silhouette ranked the 16 held-out calls of
    bench/mono_roles.py against their accuracy (Spearman -0.70; this one: 0.81). A split of two
    real voices is reached from most starts and gives both parties words; a split of something
    else depends on where it started, or leaves one "voice" a handful of words.
    """
    labels = np.asarray(chosen)
    if labels.size == 0:
        return 0.0
    agreement = np.mean(
        [
            max(np.mean(np.asarray(c) == labels), np.mean(np.asarray(c) != labels))
            for c in candidates
        ]
    )
    share = labels.mean()
    return float((2 * agreement - 1) * 2 * min(share, 1 - share))


def _word_labels(turns: list[list[int]], turn_labels: np.ndarray) -> list[int]:
    labels = [0] * sum(len(turn) for turn in turns)
    for turn, label in zip(turns, turn_labels, strict=True):
        for index in turn:
            labels[index] = int(label)
    return labels


def mfcc(samples: np.ndarray, sample_rate: int) -> np.ndarray:
    """Frames x CEPSTRA mel-frequency cepstra, mean-normalised over the samples (channel
    effects); exactly one frame per HOP_SECONDS, so windows of a long call line up when joined."""
    frame = int(FRAME_SECONDS * sample_rate)
    hop = int(HOP_SECONDS * sample_rate)
    wanted = max(int(round(len(samples) / hop)), 1)
    audio = np.asarray(samples, dtype=np.float32)
    audio = np.pad(audio, (0, max(frame + hop * (wanted - 1) - audio.size, 0)))
    index = np.arange(frame)[None, :] + hop * np.arange(wanted)[:, None]
    frames = audio[index] * np.hamming(frame).astype(np.float32)
    fft_size = 1 << (frame - 1).bit_length()
    power = np.abs(np.fft.rfft(frames, fft_size)) ** 2
    energies = power @ _mel_filters(sample_rate, fft_size).T
    cepstra = dct(np.log(energies + 1e-10), type=2, axis=1, norm="ortho")[:, 1 : CEPSTRA + 1]
    return (cepstra - cepstra.mean(axis=0)).astype(np.float32)


def attribute_voices(
    utterances: Sequence[Utterance], cepstra: np.ndarray
) -> tuple[list[Utterance], float]:
    """A mono call's utterances cut at changes of voice and labelled 0/1, and the split's
    confidence."""
    words = [TimedWord(w.start, w.end) for u in utterances for w in u.words]
    split = split_speakers(cepstra, words)
    return split_by_voice(utterances, split), split.confidence


def split_by_voice(utterances: Sequence[Utterance], split: SpeakerSplit) -> list[Utterance]:
    """The utterances re-cut wherever the voice changes between two of their words, each piece
    labelled with its voice; `split` labels the utterances' words in order."""
    pieces: list[Utterance] = []
    labels = iter(split.labels)
    for utterance in utterances:
        runs: list[tuple[int, list[Word]]] = []
        for word in utterance.words:
            voice = next(labels)
            if runs and runs[-1][0] == voice:
                runs[-1][1].append(word)
            else:
                runs.append((voice, [word]))
        if not runs:
            pieces.append(utterance)
            continue
        pieces.extend(
            replace(
                utterance,
                voice=voice,
                text="".join(w.word for w in words).strip(),
                words=tuple(words),
                start=words[0].start,
                end=words[-1].end,
            )
            for voice, words in runs
        )
    return pieces


def _refined(
    cepstra: np.ndarray, words: Sequence[TimedWord], labels: list[int], settings: VoiceSettings
) -> tuple[list[int], float]:
    """Each word relabelled by which voice's mixture explains its frames better, and the log-
    likelihood of that labelling (less the changes of voice it makes)."""
    frames = [_frames(cepstra, word.start, word.end) for word in words]
    # All words' frames in one array, scored in one call per voice and summed per word.
    pool = np.concatenate(frames)
    offsets = np.cumsum([0] + [len(f) for f in frames[:-1]])
    change_cost = np.array(
        [
            settings.change_cost_at_pause
            if index and words[index].start - words[index - 1].end >= TURN_GAP_SECONDS
            else settings.change_cost_in_run
            for index in range(len(words))
        ]
    )
    likelihood = -np.inf
    for _ in range(REFINE_ROUNDS):
        voices = [
            [f for f, label in zip(frames, labels, strict=True) if label == v] for v in (0, 1)
        ]
        if any(sum(len(f) for f in voice) < 4 * settings.components for voice in voices):
            break
        models = [
            GaussianMixture(
                settings.components,
                covariance_type="diag",
                init_params="k-means++",
                reg_covar=1e-3,
                random_state=0,
            ).fit(_evenly(np.concatenate(voice), MAX_FIT_FRAMES))
            for voice in voices
        ]
        scores = np.stack([np.add.reduceat(m.score_samples(pool), offsets) for m in models], 1)
        labels, likelihood = _viterbi(scores, change_cost)
    return labels, likelihood


def _evenly(frames: np.ndarray, most: int) -> np.ndarray:
    return frames if len(frames) <= most else frames[:: -(-len(frames) // most)]


def _viterbi(scores: np.ndarray, change_cost: np.ndarray) -> tuple[list[int], float]:
    """The most likely voice per word and that path's score, given each word's log-likelihood
    under the two voices and what a change of voice before each word costs."""
    best = scores[0].copy()
    back = np.zeros(scores.shape, dtype=int)
    for index in range(1, len(scores)):
        stay, change = best, best[::-1] - change_cost[index]
        back[index] = np.where(stay >= change, [0, 1], [1, 0])
        best = np.maximum(stay, change) + scores[index]
    labels = [int(np.argmax(best))]
    for index in range(len(scores) - 1, 0, -1):
        labels.append(int(back[index][labels[-1]]))
    return labels[::-1], float(best.max())


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
    turns: list[list[int]] = [[0]] if words else []
    for index in range(1, len(words)):
        if words[index].start - words[index - 1].end >= TURN_GAP_SECONDS:
            turns.append([])
        turns[-1].append(index)
    return turns


def _turn_features(cepstra: np.ndarray, words: Sequence[TimedWord], turn: list[int]) -> np.ndarray:
    frames = _frames(cepstra, words[turn[0]].start, words[turn[-1]].end)
    return np.concatenate([frames.mean(axis=0), frames.std(axis=0)])


def _frames(cepstra: np.ndarray, start: float, end: float) -> np.ndarray:
    first = int(start / HOP_SECONDS)
    frames = cepstra[first : max(int(end / HOP_SECONDS), first + 1)]
    return frames if frames.size else cepstra[-1:]
