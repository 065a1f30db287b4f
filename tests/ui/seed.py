"""A small, realistic data set for the UI tests: two clients, three agents, every role.

Rows go in through the storage functions of `qa.storage` (users with real argon2 hashes,
transcripts and evaluations as the pipeline stores them), so the pages read what production
would hold. Sara works in Persian, Ivan in Russian, Gina (another client) in English.
"""

from __future__ import annotations

import math
import struct
import wave
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from unittest.mock import patch

from sqlalchemy import select
from sqlalchemy.orm import Session

from qa.passwords import hash_password
from qa.queries.access import Viewer
from qa.queries.users import viewer_of
from qa.storage import directory
from qa.storage.db import session_scope
from qa.storage.directory import (
    create_user,
    get_or_create_agent,
    get_or_create_client,
    get_or_create_team,
)
from qa.storage.evaluations import save_evaluation
from qa.storage.models import Agent, Call, CallStatus, ScorecardVersion, User
from qa.storage.politeness import save_politeness
from qa.storage.transcripts import save_transcript
from scorecards.explanation import Explanation
from scorecards.politeness import PolitenessMeasurement
from scorecards.results import CriterionVerdict, Evaluation, Evidence, SectionScore
from transcription.transcript import CallMetrics, CallTranscript, Utterance

PASSWORDS = {
    "admin": "admin-password",
    "reviewer": "reviewer-password",
    "coach": "coach-password",
    "sara": "sara-password",
    "ivan": "ivan-password",
    "globex": "globex-password",
}
SCORECARD_YAML = """\
id: politeness
name: Politeness
version: "1"
pass_mark: 80
sections:
  - id: courtesy
    name: Courtesy
    weight: 1
    criteria:
      - id: greeting
        name: Greeting
        points: 5
        check: {type: phrase_present, params: {phrases: {en: [hello], ru: [здравствуйте],
          fa: [سلام]}}}
        coaching_tip: {en: Open with a greeting.}
      - id: courtesy_words
        name: Courtesy words
        points: 5
        check: {type: phrase_present, params: {phrases: {en: [please], ru: [пожалуйста],
          fa: [لطفاً]}}}
        coaching_tip: {en: Keep it polite.}
      - id: no_rude_language
        name: No rude language
        points: 10
        critical: true
        check: {type: phrase_absent, params: {phrases: {en: [shut up], ru: [заткнись],
          fa: [ساکت شو]}}}
        coaching_tip: {en: Keep it polite.}
      - id: customer_sentiment
        name: Customer sentiment
        points: 5
        check: {type: sentiment_shift, params: {speaker: customer}}
        coaching_tip: {en: Keep it polite.}
"""
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

LINES = {
    "fa": [
        ("agent", "سلام، به مرکز تماس خوش آمدید. چطور می‌توانم کمک کنم؟"),
        ("customer", "سلام، کارت بانکی من کار نمی‌کند و خیلی ناراحتم."),
        ("agent", "متأسفم، لطفاً چند لحظه صبر کنید تا بررسی کنم."),
        ("customer", "ممنون."),
        ("agent", "مشکل حل شد. از تماس شما متشکرم."),
    ],
    "ru": [
        ("agent", "Здравствуйте, контакт-центр, меня зовут Иван."),
        ("customer", "Здравствуйте, у меня не проходит оплата картой."),
        ("agent", "Извините за неудобство, пожалуйста, подождите минуту."),
        ("customer", "Хорошо, спасибо."),
        ("agent", "Готово, оплата прошла. Спасибо за звонок."),
    ],
    "en": [
        ("agent", "Hello, thank you for calling Globex, this is Gina."),
        ("customer", "Hi, my order has not arrived yet."),
        ("agent", "I'm sorry about that, please hold on while I check."),
        ("customer", "Okay, thanks."),
        ("agent", "It ships tomorrow. Thank you for calling."),
    ],
}


@dataclass
class Seeded:
    url: str
    audio_dir: Path
    calls: dict[str, int] = field(default_factory=dict)  # external id -> call id
    evaluations: dict[str, int] = field(default_factory=dict)  # external id -> automatic eval
    agents: dict[str, int] = field(default_factory=dict)
    clients: dict[str, int] = field(default_factory=dict)


def write_tone(path: Path, seconds: float = 12.0, rate: int = 8000) -> Path:
    """A quiet stereo tone, enough for the audio player to load and seek."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(_tone_frames(seconds, rate))
    return path


@cache
def _tone_frames(seconds: float, rate: int) -> bytes:
    frames = bytearray()
    for i in range(int(seconds * rate)):
        sample = int(3000 * math.sin(2 * math.pi * 440 * i / rate))
        frames += struct.pack("<hh", sample, sample)
    return bytes(frames)


@cache
def _argon2_hash(password: str) -> str:
    """A real argon2id hash, made once per password per test process (hashing is slow on
    purpose; every seeded database would otherwise spend seconds on it)."""
    return hash_password(password)


def _transcript(language: str) -> CallTranscript:
    utterances = tuple(
        Utterance(speaker=speaker, start=2.0 * i, end=2.0 * i + 1.8, text=text)  # type: ignore[arg-type]
        for i, (speaker, text) in enumerate(LINES[language])
    )
    return CallTranscript(
        language=language,
        language_probability=0.97,
        duration=10.0,
        channel_layout="stereo",
        utterances=utterances,
        metrics=CallMetrics(longest_silence=3.0),
        model="test",
    )


def _evaluation(transcript: CallTranscript, greeting_ok: bool, rude: bool) -> Evaluation:
    upset = transcript.utterances[1]

    def evidence(index: int) -> tuple[Evidence, ...]:
        u = transcript.utterances[index]
        return (Evidence(index, u.speaker, u.start, u.end, u.text),)

    verdicts = (
        CriterionVerdict(
            "greeting", "Greeting", "courtesy", "pass" if greeting_ok else "fail",
            5.0 if greeting_ok else 0.0, 5.0, evidence=evidence(0),
            explanation=Explanation.verbatim("The agent greets the customer."),
            coaching_tip="Open with a greeting.",
        ),
        CriterionVerdict(
            "courtesy_words", "Courtesy words", "courtesy", "pass", 5.0, 5.0,
            evidence=evidence(2), explanation=Explanation.verbatim("Please and sorry were said."),
        ),
        CriterionVerdict(
            "no_rude_language", "No rude language", "courtesy", "fail" if rude else "pass",
            0.0 if rude else 10.0, 10.0, critical=True, evidence=evidence(4) if rude else (),
            explanation=Explanation.verbatim("Rude words." if rude else "No rude words."),
            coaching_tip="Stay calm and polite.",
        ),
        CriterionVerdict(
            "customer_sentiment", "Customer sentiment", "courtesy", "pass", 5.0, 5.0,
            evidence=(Evidence(1, upset.speaker, upset.start, upset.end, upset.text),),
        ),
    )  # fmt: skip
    earned = sum(v.points for v in verdicts)
    score = 100.0 * earned / sum(v.max_points for v in verdicts)
    return Evaluation(
        scorecard="politeness",
        scorecard_name="Politeness",
        scorecard_version="v1",
        score=round(score, 2),
        passed=score >= 80 and not rude,
        critical_failed=rude,
        verdicts=verdicts,
        sections=(SectionScore("courtesy", "Courtesy", 1.0, round(score, 2)),),
    )


def _politeness(rude: bool) -> PolitenessMeasurement:
    """A measurement as the model would make it: the rude call's agent sounds less polite."""
    if rude:
        return PolitenessMeasurement("politeness@seed", 3, mean=0.45, lowest=0.2, lowest_index=4)
    return PolitenessMeasurement("politeness@seed", 3, mean=0.75, lowest=0.55, lowest_index=0)


def seed(url: str, audio_dir: Path, extra_calls_per_agent: int = 0) -> Seeded:
    """The data set; `extra_calls_per_agent` adds older-pattern calls every three days after
    the first ones (sharing one recording), for benchmarks on more than a handful of calls."""
    seeded = Seeded(url=url, audio_dir=audio_dir)
    with session_scope(url) as session:
        _people(session, seeded)
        version = ScorecardVersion(
            scorecard_key="politeness", version="v1", name="Politeness",
            yaml_text=SCORECARD_YAML, active=True,
        )  # fmt: skip
        session.add(version)
        session.flush()
        plan = [
            ("sara", "fa", "Acme Bank", 3),
            ("ivan", "ru", "Acme Bank", 3),
            ("gina", "en", "Globex", 2),
        ]
        for agent, language, client, count in plan:
            for n in range(count + extra_calls_per_agent):
                external_id = f"{agent}-{n + 1}"
                _call(session, seeded, version.id, external_id, agent, language, client, n)
            session.flush()
    return seeded


def _people(session: Session, seeded: Seeded) -> None:
    with patch.object(directory, "hash_password", _argon2_hash):
        _users(session, seeded)


def _users(session: Session, seeded: Seeded) -> None:
    for client_name, team_name, agent_id, agent_name in (
        ("Acme Bank", "Tehran Support", "sara", "Sara Ahmadi"),
        ("Acme Bank", "Moscow Desk", "ivan", "Ivan Petrov"),
        ("Globex", "Globex Care", "gina", "Gina Lopez"),
    ):
        client = get_or_create_client(session, client_name)
        team = get_or_create_team(session, client, team_name)
        seeded.agents[agent_id] = get_or_create_agent(session, agent_id, agent_name, team).id
        seeded.clients[client_name] = client.id
    create_user(session, "admin", PASSWORDS["admin"], "admin", display_name="Ada Admin")
    create_user(
        session, "reviewer", PASSWORDS["reviewer"], "reviewer", display_name="Rita Reviewer"
    )
    create_user(session, "coach", PASSWORDS["coach"], "coach", display_name="Carl Coach")
    create_user(session, "sara", PASSWORDS["sara"], "agent", agent_external_id="sara")
    create_user(session, "ivan", PASSWORDS["ivan"], "agent", agent_external_id="ivan")
    create_user(session, "globex", PASSWORDS["globex"], "client_viewer", client_name="Globex")


def _call(
    session: Session,
    seeded: Seeded,
    version_id: int,
    external_id: str,
    agent: str,
    language: str,
    client: str,
    n: int,
) -> None:
    agent_row_id = seeded.agents[agent]
    agent_row = session.get(Agent, agent_row_id)
    assert agent_row is not None
    shared = seeded.audio_dir / "shared.wav"
    if n < 3:
        audio = write_tone(seeded.audio_dir / f"{external_id}.wav")
    else:
        audio = shared if shared.exists() else write_tone(shared)
    call = Call(
        external_id=external_id,
        client_id=seeded.clients[client],
        team_id=agent_row.team_id,
        agent_id=agent_row_id,
        started_at=START + timedelta(days=3 * n, hours=len(agent)),
        customer_consent=True,
        agent_consent=True,
        audio_path=str(audio),
        duration=10.0,
        language=language,
        status=CallStatus.done,
        customer_feedback=2.0 if n % 3 == 1 else 5.0,
        handle_seconds=10.0,
        ring_seconds=4.0,
    )
    session.add(call)
    session.flush()
    transcript = _transcript(language)
    save_transcript(session, call.id, transcript)
    evaluation = _evaluation(transcript, greeting_ok=n % 3 != 0, rude=n % 3 == 2)
    row = save_evaluation(session, call.id, version_id, evaluation)
    save_politeness(session, call.id, _politeness(rude=n % 3 == 2))
    seeded.calls[external_id] = call.id
    seeded.evaluations[external_id] = row.id


def viewer_named(url: str, username: str) -> Viewer:
    """The Viewer of a seeded user, as a signed-in page hands it to the query layer."""
    with session_scope(url) as session:
        return viewer_of(session.scalars(select(User).where(User.username == username)).one())
