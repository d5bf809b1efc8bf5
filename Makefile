# `make setup` installs everything the tools and tests need (Python packages into .venv, and the
# Debian packages the integration tests drive), then lints the sample content as a demo.
# `make test` runs the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# WordPress 6.1 + MariaDB + PHP for the publishing tests (tests/wordpress/), Chromium for the
# HTML report's browser test.
APT_PACKAGES := wordpress wordpress-theme-twentytwentythree mariadb-server php-cli php-mysql php \
	php8.2-cgi micro-httpd chromium chromium-driver

.PHONY: setup test system-packages venv demo clean

setup: system-packages venv demo

system-packages:
	@if [ -n "$(strip $(APT_PACKAGES))" ] && command -v apt-get >/dev/null; then \
		missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
		if [ -n "$$missing" ]; then \
			echo "installing Debian packages: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
		fi; \
	fi

venv:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	# Build the spelling dictionary cache now, so the first lint is as fast as every other.
	$(BIN)/python -m clinicpress.spelling.lexicon

# Exit 1 means "findings", which the sample content is meant to have; only 2 (a real error) fails.
demo:
	@echo "--- clinicpress lint content/ (the sample content has planted problems) ---"
	@$(BIN)/clinicpress lint content/ || [ $$? -eq 1 ]

test:
	$(BIN)/python -m pytest -q
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .clinicpress_cache
