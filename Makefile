# Mnemos. `make run` serves the product on http://localhost:8080; `make test` runs every test.
SHELL := /bin/bash
BUILD ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
MNEMOS := $(BUILD)/server/app/mnemos
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime

.PHONY: all deps configure server web build run test test-unit test-sqlite test-postgres test-e2e fuzz bench lint clean

all: build

deps:
	@scripts/install-deps

configure:
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(if $(CI),-DMNEMOS_WERROR=ON) >/dev/null

server: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The API types of the web app come from the server's own OpenAPI document.
web: server
	@$(MNEMOS) openapi > $(BUILD)/openapi.json
	@cd web && npx openapi-typescript ../$(BUILD)/openapi.json -o src/shared/api/schema.d.ts --silent
	@cd web && npm run --silent build

build: deps server web

run: build
	@mkdir -p var
	@$(MNEMOS) seed --demo
	@echo ""
	@echo "  Mnemos is starting on http://localhost:8080"
	@echo "  Demo logins (password: mnemos-demo), school 'demo':"
	@echo "    admin@demo.test (school admin), teacher@demo.test, student@demo.test, support@demo.test"
	@echo "  Platform admin (no school): platform@mnemos.test"
	@echo ""
	@MNEMOS_WEB_ROOT=web/dist $(MNEMOS) serve

# Unit and API tests on SQLite, then on PostgreSQL, then the browser suite.
test: build
	@scripts/run-tests

test-sqlite: server
	@MNEMOS_TEST_DB=sqlite ctest --test-dir $(BUILD) --output-on-failure

test-postgres: server
	@MNEMOS_TEST_DB=postgresql scripts/with-postgres ctest --test-dir $(BUILD) --output-on-failure

test-e2e: build
	@scripts/run-e2e

bench: server
	@bench/run

lint:
	@find server tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format --dry-run --Werror
	@cd web && npx tsc -b

clean:
	rm -rf $(BUILD) web/dist
