# TruceWatch - the two commands a fresh machine needs:
#   make demo   set up .venv, ingest the bundled examples into ./trucewatch.db, print a summary
#   make test   set up .venv if needed, run the whole test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= trucewatch.db

.PHONY: demo test setup lock lint bench clean browser-deps screenshots serve train eval-dev

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
	  || $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/trucewatch ingest examples --db $(DB)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# Debian's Chromium for the browser tests (they are skipped without it; CI installs it).
browser-deps:
	test -x /usr/bin/chromium || (apt-get update -q && apt-get install -y -q --no-install-recommends chromium)

# Re-take the README's screenshots (the browser tests write them).
screenshots: $(STAMP)
	TRUCEWATCH_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_browser.py

serve: $(STAMP)
	$(BIN)/trucewatch serve --db $(DB)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

bench: $(STAMP)
	$(BIN)/python bench/ingest_throughput.py
	$(BIN)/python bench/extraction_speed.py
	$(BIN)/python bench/incidents_scale.py
	$(BIN)/python bench/batch_throughput.py
	$(BIN)/python bench/web_load.py

# Rebuild every shipped trained component (src/trucewatch/weights/) from its sources: the shared
# development gold (../shared), the development kit (eval/data/dev, see ../shared/devdata/README.md)
# and the team's corpus (training/corpus). CPU only; see docs/training.md.
train: $(STAMP)
	$(BIN)/python -m trucewatch.train

# One table of development scores: the shared gold and every development-kit set built (docs/evaluation.md).
eval-dev: $(STAMP)
	$(BIN)/python eval/eval_dev.py

# Re-pin every dependency after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links \
	  --no-emit-trusted-host -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache
