"""Exact 1:N search: best subjects first, a subject scoring its best template."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from openlfr.biometrics.index import TemplateIndex


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_top_k_is_ranked_and_a_subject_scores_its_best_template() -> None:
    index = TemplateIndex(
        ["bob", "alice", "bob", "carol"],
        np.stack([_unit(1, 0, 0), _unit(0, 1, 0), _unit(0.6, 0.8, 0), _unit(0, 0, 1)]),
    )
    assert index.subject_count == 3 and index.template_count == 4
    [candidates] = index.search(_unit(0.5, 1, 0)[None], k=2)
    assert [c.subject for c in candidates] == ["bob", "alice"]
    assert candidates[0].score == pytest.approx(float(_unit(0.5, 1, 0) @ _unit(0.6, 0.8, 0)))


def test_search_matches_brute_force_on_a_large_random_gallery() -> None:
    rng = np.random.default_rng(7)
    gallery = rng.normal(size=(5000, 128)).astype(np.float32)
    gallery /= np.linalg.norm(gallery, axis=1, keepdims=True)
    labels = [f"s{i % 2500}" for i in range(5000)]  # two templates each
    probes = gallery[[3, 4000]] + 0.01
    results = TemplateIndex(labels, gallery).search(probes, k=5)
    for probe, candidates in zip(probes, results, strict=True):
        best = {}
        for label, score in zip(labels, gallery @ probe, strict=True):
            best[label] = max(best.get(label, -2.0), float(score))
        expected = sorted(best, key=best.__getitem__, reverse=True)[:5]
        assert [c.subject for c in candidates] == expected


def test_an_empty_watchlist_returns_no_candidates() -> None:
    assert TemplateIndex([], np.zeros((0, 128))).search(np.ones((1, 128)), k=5) == [[]]


def test_a_saved_index_loads_back_with_every_template(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    templates = rng.normal(size=(5, 128)).astype(np.float32)
    templates /= np.linalg.norm(templates, axis=1, keepdims=True)
    saved = TemplateIndex(["b", "a", "b", "c", "a"], templates)
    saved.save(tmp_path / "w.npz")
    again = TemplateIndex.load(tmp_path / "w.npz")
    assert (again.subject_count, again.template_count) == (3, 5)
    probes = templates + rng.normal(scale=0.05, size=templates.shape).astype(np.float32)
    assert again.search(probes, k=3) == saved.search(probes, k=3)  # same people, same scores
