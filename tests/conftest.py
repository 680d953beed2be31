import os
from pathlib import Path

import pytest

from corroborate.ingest import load_documents

os.environ.setdefault("HF_HUB_OFFLINE", "1")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def seed_docs():
    return load_documents(SEEDS)


@pytest.fixture(scope="session")
def seed_analysis(seed_docs):
    from corroborate.encode import default_encoder
    from corroborate.pipeline import analyze

    return analyze(seed_docs, encoder=default_encoder())      # real model, loaded once


@pytest.fixture(scope="session")
def seed_json(seed_analysis):
    import json

    from corroborate.report import to_json

    return json.loads(to_json(seed_analysis))
