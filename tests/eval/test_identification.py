"""LFR-ID-1 as the protocol fixes it: the split, the per-probe records and the summary."""

from __future__ import annotations

import json
from pathlib import Path

from command_line import Cli
from openlfr.eval.identification import split_folder


def _folder(root: Path, counts: dict[str, int]) -> Path:
    for identity, count in counts.items():
        (root / identity).mkdir(parents=True)
        for i in range(1, count + 1):
            (root / identity / f"{identity}_{i:04d}.jpg").write_bytes(b"")
    return root


def test_the_split_follows_the_protocol(tmp_path: Path) -> None:
    split = split_folder(
        _folder(tmp_path, {"a": 13, "b": 2, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1})
    )
    # 2+ images: first enrolled; 1-image identities alternate: 1st, 3rd, ... enrolled.
    assert {who: path.name for who, path in split.enrolment.items()} == {
        "a": "a_0001.jpg",
        "b": "b_0001.jpg",
        "c": "c_0001.jpg",
        "e": "e_0001.jpg",
        "g": "g_0001.jpg",
    }
    mated = [p.path.name for p in split.probes if p.mated]
    assert mated == [f"a_{i:04d}.jpg" for i in range(2, 12)] + ["b_0002.jpg"]  # at most 10
    assert [p.identity for p in split.probes if not p.mated] == ["d", "f"]


def test_the_command_writes_probe_records_and_a_summary(
    cli: Cli, data_dir: Path, tmp_path: Path
) -> None:
    gallery = tmp_path / "gallery"
    for person in sorted((data_dir / "stills/deepface-identities").iterdir())[:4]:
        (gallery / person.name).mkdir(parents=True)
        for photo in sorted(person.iterdir())[:3]:
            (gallery / person.name / photo.name).symlink_to(photo)
    for name in ("obama.jpg", "biden.jpg", "32bit.png"):  # three 1-image identities
        (gallery / name.split(".")[0]).mkdir()
        (gallery / name.split(".")[0] / name).symlink_to(data_dir / "stills/misc" / name)
    out = tmp_path / "out"
    result = cli("eval", "identification", str(gallery), "--out", str(out), "--workers", "1")
    assert f"written to {out}" in "".join(result.output.split("\n"))
    records = [json.loads(line) for line in (out / "probes.jsonl").read_text().splitlines()]
    assert len(records) == 4 * 2 + 1  # two mated probes each, one non-mated (biden)
    assert all(len(r["candidates"]) == 5 for r in records)
    assert [r["truth"] for r in records if r["probe"].startswith("biden/")] == [None]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["gallery_size"] == 6 and summary["rank1"] == 1.0
    assert summary["failure_to_enrol"] == 0 and summary["failure_to_acquire"] == 0
    assert {"1e-2", "1e-3"} == set(summary["tpir_at_fpir"])
    assert len(summary["threshold_table"]) == 101
