# ruff: noqa
# The metric functions of the official SQuAD v1.1 evaluation script ("evaluate-v1.1.py", published
# by the SQuAD authors at https://rajpurkar.github.io/SQuAD-explorer/), copied verbatim from the
# copy kept in huggingface/evaluate, metrics/squad/compute_score.py (commit b6e7c3b0ed02, Apache
# License 2.0; formatted there with black, otherwise unchanged; the SQuAD-explorer repository is
# MIT-licensed). Only the four functions are kept; the command-line part is left out.
# The reference the tests compare lab_app.core.taskmodels.squad's metrics against: do not edit.
# fmt: off
""" Official evaluation script for v1.1 of the SQuAD dataset. """

import re
import string
from collections import Counter


def normalize_answer(s):
    """Lower text and remove punctuation, articles and extra whitespace."""

    def remove_articles(text):
        return re.sub(r"\b(a|an|the)\b", " ", text)

    def white_space_fix(text):
        return " ".join(text.split())

    def remove_punc(text):
        exclude = set(string.punctuation)
        return "".join(ch for ch in text if ch not in exclude)

    def lower(text):
        return text.lower()

    return white_space_fix(remove_articles(remove_punc(lower(s))))


def f1_score(prediction, ground_truth):
    prediction_tokens = normalize_answer(prediction).split()
    ground_truth_tokens = normalize_answer(ground_truth).split()
    common = Counter(prediction_tokens) & Counter(ground_truth_tokens)
    num_same = sum(common.values())
    if num_same == 0:
        return 0
    precision = 1.0 * num_same / len(prediction_tokens)
    recall = 1.0 * num_same / len(ground_truth_tokens)
    f1 = (2 * precision * recall) / (precision + recall)
    return f1


def exact_match_score(prediction, ground_truth):
    return normalize_answer(prediction) == normalize_answer(ground_truth)


def metric_max_over_ground_truths(metric_fn, prediction, ground_truths):
    scores_for_ground_truths = []
    for ground_truth in ground_truths:
        score = metric_fn(prediction, ground_truth)
        scores_for_ground_truths.append(score)
    return max(scores_for_ground_truths)
