# The portal's commands. Each creates .venv and installs requirements.lock on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := espeak-ng:espeak-ng lame:lame
RUN := PYTHONPATH=scripts $(BIN)/python -m portal

.PHONY: build test check serve translations audio system-packages clean lock

build: $(STAMP) system-packages
	$(RUN) audio
	$(RUN) build

audio: $(STAMP) system-packages
	$(RUN) audio --upgrade $(if $(STRICT),--strict)

test: $(STAMP) system-packages
	$(BIN)/pytest

check: $(STAMP)
	$(RUN) check --summary reports/check-summary.md

translations: $(STAMP)
	$(RUN) translations --json reports/translations.json

serve: $(STAMP)
	$(BIN)/mkdocs serve

system-packages:
	@scripts/require-system-packages.sh $(SYSTEM_PACKAGES)

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module is missing. Install it with: sudo apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

lock: $(STAMP)
	{ head -n 1 requirements.lock; $(BIN)/pip freeze; } > requirements.lock.new && mv requirements.lock.new requirements.lock

clean:
	rm -rf site .site-building-* reports .pytest_cache
