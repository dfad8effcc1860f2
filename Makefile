# The book's two commands, from a fresh clone (Python >= 3.10, Node.js >= 18 with npm):
#   make book    set up (.venv + requirements, npm ci), then build the HTML book, warnings = errors
#                (needs the MNIST files: the build writes chapter 11's live-panel subset from them)
#   make test    set up if needed, then pytest: unit tests + every chapter under strict nbval,
#                in two workers (WORKERS=2) with one BLAS thread each
# Other targets: test-threads (the chapters with THREADS=2 BLAS threads and an empty model
# cache; FRESH_CACHE=0 keeps the cache, see below), check (the built site, then every chapter in a live JupyterLab, both in headless
# Chromium), student, assignments (student notebooks + otter-grader autograders),
# grade CHAPTER=02 SUBMISSIONS=folder/, execute NB=..., clean.
# Use another venv with `make VENV=path ...`.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.mlp-book-installed
NPM_STAMP := node_modules/.package-lock.json
BUILD_FLAGS ?= -W -n --keep-going --all  # --all: an incremental build would not repeat old warnings

.PHONY: book test test-threads check student assignments grade execute setup vendor clean
WORKERS ?= 2  # make test: pytest-xdist workers, each kernel with one BLAS thread

book: setup vendor
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)

test: $(STAMP)
	@MLP_BLAS_THREADS=$${MLP_BLAS_THREADS:-1} $(BIN)/pytest -n $(WORKERS) --dist loadscope --no-loadscope-reorder; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; exit $$rc

# The chapters again as another machine would run them: another BLAS thread count and an empty
# model cache, so every model is retrained and every trained figure must stay within its
# stated tolerance (mlp.book.tolerance). FRESH_CACHE=0 keeps the current cache: the runs whose
# cache name holds the thread count (mlp.book.seeds) are still retrained, and chapter 10's two
# recipes and the drawing pad's network are loaded. CI runs THREADS=2 FRESH_CACHE=0 after
# make test trained everything with one thread.
THREADS ?= 2
FRESH_CACHE ?= 1
test-threads: $(STAMP)
	MLP_BLAS_THREADS=$(THREADS) $(if $(filter 0,$(FRESH_CACHE)),,MLP_CACHE_DIR=$$(mktemp -d)) \
	$(BIN)/pytest chapters

# check_lab runs two chapters at a time, each kernel with one BLAS thread (as make test's, so
# they load what it cached): one per core
check: $(STAMP)
	$(BIN)/python tools/check_site.py
	MLP_BLAS_THREADS=$${MLP_BLAS_THREADS:-1} $(BIN)/python tools/check_lab.py

student: $(STAMP)
	$(BIN)/python tools/student_edition.py --out student/

assignments: $(STAMP)
	$(BIN)/python tools/assignments.py --out assignments/

grade: $(STAMP)
	$(BIN)/python tools/grade.py $(CHAPTER) $(SUBMISSIONS)

execute: $(STAMP)
	$(BIN)/python tools/execute.py $(NB)

setup: $(STAMP) $(NPM_STAMP)

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

vendor: $(NPM_STAMP) $(STAMP)
	$(BIN)/python tools/vendor_assets.py

clean:
	rm -rf _build book/vendor student assignments grades
