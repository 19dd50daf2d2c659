# Two commands do everything on a fresh machine:
#   make run    set up, migrate, seed the demo meeting and serve on http://$(HOST):$(PORT)/
#   make test   the same set-up, then the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app server:create_app
HOST ?= 127.0.0.1
PORT ?= 5000
SYSTEM_PACKAGES := poppler-utils fonts-dejavu-core
TEST_SYSTEM_PACKAGES := chromium chromium-driver libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.PHONY: run test setup test-setup system-packages test-system-packages python-packages vendor translations migrate seed clean

run: setup seed
	HOST=$(HOST) PORT=$(PORT) $(PY) wsgi.py

test: setup test-setup
	$(PY) -m pytest $(PYTEST_ARGS)

setup: system-packages python-packages vendor translations migrate

test-setup: test-system-packages

# ---- system packages: installed with apt-get when we are root, otherwise named -------------------------------------
define need_debs
	@missing=""; for pkg in $(1); do dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    (apt-get install -y -qq --no-install-recommends $$missing || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing)) >/dev/null || exit 1; \
	  else \
	    echo "Missing system packages:$$missing -- install them with: sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi
endef

system-packages:
	$(call need_debs,$(SYSTEM_PACKAGES))

test-system-packages:
	$(call need_debs,$(TEST_SYSTEM_PACKAGES))

# ---- Python: a virtual environment, reinstalled when setup.cfg changes -------------------------------------------
python-packages: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip setuptools wheel
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

# ---- browser libraries from npm, copied into static/vendor (git-ignored) ------------------------------------------
vendor: static/vendor/.installed

static/vendor/.installed: package.json
	@command -v npm >/dev/null || { echo "npm is missing -- install it with: sudo apt-get install npm"; exit 1; }
	npm install --no-audit --no-fund --silent
	rm -rf static/vendor && mkdir -p static/vendor/fonts static/vendor/socket.io
	cp node_modules/socket.io-client/dist/socket.io.esm.min.js node_modules/socket.io-client/dist/socket.io.esm.min.js.map static/vendor/socket.io/
	cp node_modules/@fontsource/be-vietnam-pro/files/be-vietnam-pro-{latin,vietnamese}-{400,500,600,700}-normal.woff2 static/vendor/fonts/
	@touch $@

# ---- translations, schema, demo ------------------------------------------------------------------------------------
translations: python-packages
	@$(VENV)/bin/pybabel compile -f -d server/translations >/dev/null

migrate: python-packages translations
	@set -o pipefail; $(FLASK) db upgrade 2>&1 | { grep -v "^INFO" || true; }

seed: migrate
	@$(FLASK) seed-demo > /dev/null

clean:
	rm -rf $(VENV) node_modules static/vendor instance/*.sqlite3*
