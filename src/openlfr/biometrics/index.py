"""Exact 1:N search: one matrix product against every template of the watchlist.

Exact rather than approximate, because a missed candidate is a missed person and a watchlist of
even a million templates is searched in milliseconds on two cores.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from openlfr.domain.alerts import Candidate


class TemplateIndex:
    """Templates of several subjects, several templates per subject; a subject scores its best."""

    def __init__(self, subjects: Sequence[str], templates: np.ndarray) -> None:
        templates = np.asarray(templates, dtype=np.float32)
        if templates.ndim != 2 or len(subjects) != templates.shape[0]:
            raise ValueError("one subject label is needed per template row")
        order = np.array(sorted(range(len(subjects)), key=subjects.__getitem__), dtype=np.intp)
        labels = [subjects[i] for i in order]
        self._templates = np.ascontiguousarray(templates[order])
        starts = [i for i in range(len(labels)) if i == 0 or labels[i] != labels[i - 1]]
        self._starts = np.asarray(starts, dtype=np.intp)
        self._subjects = [labels[i] for i in starts]
        self._one_per_subject = len(starts) == len(labels)

    @property
    def subject_count(self) -> int:
        return len(self._subjects)

    @property
    def template_count(self) -> int:
        return int(self._templates.shape[0])

    @property
    def dim(self) -> int:
        return int(self._templates.shape[1])

    def _labels(self) -> list[str]:
        runs = np.diff(np.append(self._starts, self.template_count))
        return list(np.repeat(self._subjects, runs))

    def save(self, path: Path) -> None:
        """Write the subjects and templates to an .npz file (test and benchmark watchlists)."""
        np.savez(path, subjects=self._labels(), templates=self._templates)

    @classmethod
    def union(cls, indices: Sequence[TemplateIndex]) -> TemplateIndex:
        """Every template of several indices in one (benchmarks joining test watchlists)."""
        labels = [label for index in indices for label in index._labels()]
        return cls(labels, np.vstack([index._templates for index in indices]))

    @classmethod
    def load(cls, path: Path) -> TemplateIndex:
        """An index written by `save` (no pickled objects are read)."""
        with np.load(path, allow_pickle=False) as saved:
            return cls([str(s) for s in saved["subjects"]], saved["templates"])

    def scores(self, probes: np.ndarray) -> np.ndarray:
        """Best score of each probe (rows) against each subject (columns)."""
        probes = np.atleast_2d(np.asarray(probes, dtype=np.float32))
        if self.template_count == 0:
            return np.zeros((probes.shape[0], 0), dtype=np.float32)
        raw = probes @ self._templates.T
        return raw if self._one_per_subject else np.maximum.reduceat(raw, self._starts, axis=1)

    def search(self, probes: np.ndarray, k: int = 5) -> list[list[Candidate]]:
        """The top-k subjects for each probe, best first."""
        scores = self.scores(probes)
        k = min(k, scores.shape[1])
        if k == 0:
            return [[] for _ in range(scores.shape[0])]
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        results = []
        for row, columns in zip(scores, top, strict=True):
            ranked = columns[np.argsort(-row[columns], kind="stable")]
            results.append(
                [Candidate(subject=self._subjects[c], score=float(row[c])) for c in ranked]
            )
        return results
