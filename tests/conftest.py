from pathlib import Path

import pytest

from corroborate.ingest import load_documents

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="session")
def models():
    from corroborate.pipeline import load_models

    return load_models()                                   # real models, loaded once


@pytest.fixture(scope="session")
def encoder(models):
    return models.encoder


@pytest.fixture(scope="session")
def scorer(models):
    return models.scorer


@pytest.fixture(scope="session")
def seed_docs():
    return load_documents(SEEDS)


@pytest.fixture(scope="session")
def seed_analysis(seed_docs, models):
    from corroborate.pipeline import analyze

    return analyze(seed_docs, models=models)


@pytest.fixture(scope="session")
def seed_json(seed_analysis):
    import json

    return json.loads(seed_analysis.to_json())


# Debian's chromium, driven by Playwright, for the review page's tests (`browser`: one per module)
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()
