"""The web tests' fixtures; the world they share is built in web_world.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from web_world import World, build_world


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    built = build_world(tmp_path_factory.mktemp("web"))
    yield built
    built.database.dispose()
