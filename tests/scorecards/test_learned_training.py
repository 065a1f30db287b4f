"""The n-gram reader and the training data: disguised swear words read as themselves, training
and run time compute the same margins, and no text is tested in a fold it was trained in."""

from __future__ import annotations

import dataclasses
import io
import zlib
from pathlib import Path

import numpy as np
import pytest

from scorecards import ngrams, strategies
from scorecards.learned import (
    IncompatibleModel,
    LanguageHead,
    NgramReader,
    StrategyReader,
    TextClassifier,
)
from scorecards.training import dev_data
from scorecards.training.__main__ import with_stored_heads
from scorecards.training.fit import ngram_matrix


def test_disguised_russian_swearing_reads_as_the_word_it_hides() -> None:
    assert ngrams.tokens("Ты х*й, пиздeц!!!") == ["ты", "х*й", "пиздец", "!", "!", "!"]
    assert ngrams.tokens("xуйня") == ["хуйня"]  # Latin x inside a Cyrillic word
    assert ngrams.tokens("б..ть") == ngrams.tokens("б**ть") == ["б*ть"]
    assert ngrams.tokens("Ёлки") == ["елки"]
    assert ngrams.tokens("fuuuuck you") == ["fuuck", "you"]  # English words keep Latin letters
    assert ngrams.features("пиздeц") == ngrams.features("пиздец")


def test_persian_spellings_share_their_features() -> None:
    assert ngrams.features("كثافت") == ngrams.features("کثافت")  # Arabic kaf / Persian kaf
    assert ngrams.features("ديوونه") == ngrams.features("دیوونه")  # Arabic yeh / Persian yeh
    assert ngrams.features("احمَق") == ngrams.features("احمق")  # diacritics dropped


def test_run_time_margins_equal_the_training_matrix_product() -> None:
    texts = ["Ты идиот", "Спасибо за ожидание", "خفه شو", "Could you please help?", ""]
    weights = np.random.default_rng(0).normal(size=ngrams.BUCKETS).astype(np.float16)
    expected = ngram_matrix(texts) @ weights.astype(np.float64) + 0.25
    np.testing.assert_allclose(ngrams.margins(texts, weights, 0.25), expected, rtol=1e-9)


def test_a_head_with_an_ngram_reader_round_trips_and_the_reader_moves_the_probability() -> None:
    weights = np.zeros(ngrams.BUCKETS, np.float16)
    weights[zlib.crc32("wидиот".encode()) % ngrams.BUCKETS] = 20.0  # the word "идиот"
    reader = NgramReader(weights, -1.0, 1.5)
    head = LanguageHead(np.zeros(384, np.float32), 0.0, 1.0, 0.0, (0.4, 0.6), reader)
    classifier = TextClassifier("rude", {"ru": head}, 0.5, "test")
    again = TextClassifier.from_bytes(classifier.to_bytes())
    assert again.version == classifier.version
    assert again.heads["ru"].ngram is not None
    p = again.probabilities(np.zeros((2, 384)), ["ты идиот", "спасибо"], ["ru", "ru"], "ru")
    assert p[0] > 0.9 > 0.5 > p[1]
    without = TextClassifier("rude", {"ru": LanguageHead(np.zeros(384), 0.0, 1.0, 0.0)}, 0.5)
    assert TextClassifier.from_bytes(without.to_bytes()).heads["ru"].ngram is None  # old versions
    assert without.version != classifier.version


def test_repeated_texts_share_one_cross_validation_group() -> None:
    texts = ["a", "b", "a", "c", "b", "d"]
    assert dev_data.same_text_together(texts, [0, 1, 2, 3, 4, 5]) == (0, 1, 0, 3, 1, 5)
    # Paired groups merge transitively: (x, y) in 0, (y, z) in 1, (z, w) in 2 -> one group.
    assert dev_data.same_text_together(["x", "y", "y", "z", "z", "w"], [0, 0, 1, 1, 2, 2]) == (
        0, 0, 0, 0, 0, 0,
    )  # fmt: skip


def test_russian_pairs_whose_paraphrase_is_the_rude_comment_itself_are_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ru-paradetox"
    folder.mkdir()
    rows = [
        "index\ttoxic_comment\tneutral_comment1\tneutral_comment2\tneutral_comment3",
        "0\tты дурак\tвы неправы\t\t",
        "1\tну и бред\tну и бред\t\t",
        "2\tты дурак\tвы ошибаетесь\t\t",
    ]
    (folder / "train.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    monkeypatch.setenv("CALLQA_DEV_DATA", str(tmp_path))
    russian = dev_data.russian_rudeness()
    assert "ну и бред" not in russian.texts
    assert russian.labels == (1, 0, 1, 0)
    assert len(set(russian.groups)) == 1  # the repeated rude comment joins its two pairs


def test_the_strategy_reader_sees_the_papers_strategies_where_they_stand() -> None:
    def used(text: str) -> set[str]:
        names = [n for n, _ in strategies.STRATEGIES]
        return {n for n, v in zip(names, strategies.features(text), strict=True) if v}

    assert {"counterfactual_modal", "please", "gratitude"} <= used(
        "Could you please check it? Thanks"
    )
    assert {"direct_question", "direct_start"} <= used("Why did you do that? And what now?")
    assert "please_start" in used("Please stop.") and "please" not in used("Please stop.")
    assert "second_person_start" in used("You broke it")
    assert not used("")


def test_a_head_with_a_strategy_reader_round_trips_and_old_files_load_without_it() -> None:
    weights = np.zeros(len(strategies.STRATEGIES))
    weights[[n for n, _ in strategies.STRATEGIES].index("direct_question")] = 6.0
    reader = StrategyReader(weights, -3.0, 1.0)
    head = LanguageHead(np.zeros(384, np.float32), 0.0, 1.0, 0.0, (0.4, 0.6), None, reader)
    classifier = TextClassifier("rude", {"en": head}, 0.5, "test")
    again = TextClassifier.from_bytes(classifier.to_bytes())
    assert again.version == classifier.version
    p = again.probabilities(np.zeros((2, 384)), ["Why?", "Thank you"], ["en", "en"], "en")
    assert p[0] > 0.9 and p[1] < 0.1
    old = TextClassifier("rude", {"en": dataclasses.replace(head, strategy=None)}, 0.5, "test")
    assert TextClassifier.from_bytes(old.to_bytes()).heads["en"].strategy is None
    assert old.version != classifier.version


def test_a_file_reading_other_strategies_is_refused_not_misread() -> None:
    head = LanguageHead(
        np.zeros(384), 0.0, 1.0, 0.0, strategy=StrategyReader(np.zeros(2), 0.0, 1.0)
    )
    stored = dict(np.load(io.BytesIO(TextClassifier("rude", {"en": head}).to_bytes())))
    stored["en_strategy_names"] = np.array(["please", "hedges"])
    buffer = io.BytesIO()
    np.savez(buffer, **stored)
    with pytest.raises(IncompatibleModel, match="retrain"):
        TextClassifier.from_bytes(buffer.getvalue())


def test_rebuilding_one_language_keeps_the_other_stored_heads_as_they_were(
    tmp_path: Path,
) -> None:
    def head(value: float) -> LanguageHead:
        return LanguageHead(np.full(384, value, np.float32), value, 1.0, 0.0)

    stored = TextClassifier(
        "rude", {"ru": head(1.0), "en": head(2.0)}, trained={"sources": {"ru": "R", "en": "E"}}
    )
    (tmp_path / "rude.npz").write_bytes(stored.to_bytes())
    rebuilt = TextClassifier("rude", {"en": head(3.0)}, trained={"sources": {"en": "E2"}})
    merged = with_stored_heads(rebuilt, tmp_path)
    assert merged.heads["en"] is rebuilt.heads["en"]
    np.testing.assert_array_equal(merged.heads["ru"].weights, stored.heads["ru"].weights)
    assert merged.trained["sources"] == {"ru": "R", "en": "E2"}
    assert with_stored_heads(rebuilt, tmp_path / "none") is rebuilt
