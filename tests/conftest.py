import os
from pathlib import Path

import pytest

from corroborate.ingest import load_documents

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def seed_docs():
    return load_documents(SEEDS)
