"""Transcripts in and out of the database; the text stored is the already-redacted text."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy.orm import Session

from qa.storage.models import Transcript, TranscriptUtterance
from transcription.transcript import CallTranscript


def save_transcript(session: Session, call_id: int, transcript: CallTranscript) -> Transcript:
    """Add the transcript of a call; the caller must have redacted it first."""
    row = Transcript(
        call_id=call_id,
        language=transcript.language,
        language_probability=transcript.language_probability,
        duration=transcript.duration,
        channel_layout=transcript.channel_layout,
        voice_separation=transcript.voice_separation,
        model=transcript.model[:300],
        utterances=[
            TranscriptUtterance(
                position=position,
                speaker=u.speaker,
                start=u.start,
                end=u.end,
                text=u.text,
                words=[asdict(w) for w in u.words],
                loudness_dbfs=u.loudness_dbfs,
            )
            for position, u in enumerate(transcript.utterances)
        ],
    )
    _set_roles_and_metrics(row, transcript)
    session.add(row)
    session.flush()
    return row


def save_roles(session: Session, row: Transcript, transcript: CallTranscript) -> None:
    """Store roles decided again for a stored transcript: each utterance's speaker, the role
    confidence and the per-speaker metrics that follow from them; the words stay as they are."""
    for stored, utterance in zip(row.utterances, transcript.utterances, strict=True):
        stored.speaker = utterance.speaker
    _set_roles_and_metrics(row, transcript)
    session.flush()


def _set_roles_and_metrics(row: Transcript, transcript: CallTranscript) -> None:
    row.role_confidence = transcript.role_confidence
    row.roles_uncertain = transcript.roles_uncertain
    row.metrics = transcript.to_dict()["metrics"]
    # Headline acoustics copied out of `metrics` so dashboards aggregate them in SQL.
    row.longest_silence = transcript.metrics.longest_silence
    row.hold_time = transcript.metrics.hold_time
    row.total_silence = transcript.metrics.total_silence


def load_transcript(row: Transcript) -> CallTranscript:
    """The stored transcript as the dataclass the scorer and the UI take."""
    return CallTranscript.from_dict(
        {
            "language": row.language,
            "language_probability": row.language_probability,
            "duration": row.duration,
            "channel_layout": row.channel_layout,
            "voice_separation": row.voice_separation,
            "role_confidence": row.role_confidence,
            "roles_uncertain": row.roles_uncertain,
            "model": row.model,
            "metrics": row.metrics or {},
            "utterances": [
                {
                    "speaker": u.speaker,
                    "start": u.start,
                    "end": u.end,
                    "text": u.text,
                    "words": u.words or [],
                    "loudness_dbfs": u.loudness_dbfs,
                }
                for u in row.utterances
            ],
        }
    )
