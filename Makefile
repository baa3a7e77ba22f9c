# Two commands matter: `make run` (build outputs/ from seeds/) and `make test` (the whole suite).
# Both set up .venv/ first when it is missing, so a fresh clone needs nothing done by hand.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.setup-done
PKUSEG := pkuseg==0.0.25

.PHONY: run test setup browser train lint lock clean

run: $(STAMP)
	$(BIN)/kg build seeds -o outputs

test: $(STAMP) browser
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/ruff format --check kg tests benchmarks
	$(BIN)/python -m pytest -q

setup: $(STAMP) browser

# The view tests and benchmarks/views_first_draw.py drive Debian's chromium (through the pinned
# playwright package, never a browser it downloads); without fonts-noto-cjk Chinese renders as
# empty boxes. Installed when missing and we are root (CI is); otherwise say what to install.
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
browser:
	@if [ -x $(CHROMIUM) ] && [ -e $(CJK_FONT) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk; \
	else \
	  echo "note: the browser tests need $(CHROMIUM) and fonts-noto-cjk: apt-get install chromium fonts-noto-cjk" >&2; \
	fi

# Retrain the shipped NER (kg/models/ner) from tests/gold/train/: seeded, CPU, about 20 minutes.
# Needs the provinces corpus beside the checkout (or KG_CORPUS) for the provincial gold files.
train: $(STAMP)
	$(BIN)/kg train --docs seeds --docs $${KG_CORPUS:-../shared/corpus/provinces-2026}

# pkuseg's sdist carries the segmenter's `default` model; it compiles against numpy and Cython
# already in the venv, hence --no-build-isolation. After this nothing is downloaded at run time.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check pip==26.3 setuptools==80.9.0 wheel==0.48.0
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps $(PKUSEG)
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-build-isolation --no-deps -e .
	$(BIN)/python -c "import kg.segment as s; s.check_model()"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/ruff format --check kg tests benchmarks

lock: $(STAMP)
	{ head -2 requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -v -E '^(pkuseg|zhgov-kg)=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf $(VENV) outputs/*.ttl outputs/*.html outputs/*.json outputs/entity outputs/report outputs/assets outputs/.cache
