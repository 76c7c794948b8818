# The README's two commands. Both start with the same idempotent setup (system packages, .venv).
#   make book  → _build/html/index.html (the latest edition, with its PDF in _build/html/pdf/) and
#                _build/html/<year>/ (every edition, each with its PDF)
#   make test  → the whole test suite, including the notebooks under nbval and the slow build tests, on two
#                workers (tests/conftest.py groups the tests that share a build; PYTEST_ARGS="-n 0": serial)
.PHONY: setup book test

VENV := .venv
PYTEST_ARGS ?=

setup:
	scripts/setup.sh

book: setup
	$(VENV)/bin/dcbook build --all-editions

# pytest exits 5 when it collected nothing: that is a broken suite, not a pass.
test: setup
	@rc=0; $(VENV)/bin/pytest tests book --nbval-lax --nbval-sanitize-with nbval_sanitize.cfg -n 2 --dist loadscope $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; exit 1; fi; exit $$rc
