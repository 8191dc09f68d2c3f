# Nexus developer tasks (GNU make). `make` or `make help` lists them.
#
# Environment:
#   NEXUS_DATABASE   use this Npgsql connection string instead of the private PostgreSQL cluster
#   NEXUS_PG_PORT    port of the private cluster (default 55432)
#   NEXUS_PORT       port of the web app for `make run` (default 5080)
#   NEXUS_BENCH_PORT port of the app under test for `make bench` (default 5090; more in bench/run.sh)
#   NEXUS_BENCH_RECEIVER_PORT port of the webhook receiver for the delivery benchmark (default 56290;
#                    more in bench/deliveries.sh, e.g. BENCH_DELIVERIES, BENCH_MEMORY_RUN=1)

SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-print-directory

# The solution file (Nexus.sln; a .slnx is picked up too).
SLN := $(firstword $(wildcard Nexus.sln Nexus.slnx) Nexus.sln)

export DOTNET_NOLOGO := 1
export DOTNET_CLI_TELEMETRY_OPTOUT := 1

# ---- front-end assets: wwwroot-src (npm) -> src/Nexus.Web/wwwroot -----------------------------
ASSETS_SRC := wwwroot-src
# npm writes node_modules/.package-lock.json on every install; it stamps the install.
NODE_STAMP := $(ASSETS_SRC)/node_modules/.package-lock.json
WWWROOT    := src/Nexus.Web/wwwroot
CSS_OUT    := $(WWWROOT)/css/app.css
HTMX_OUT   := $(WWWROOT)/js/htmx.min.js
# Our own small scripts and images are copied as they are (no bundler).
APPJS_OUT  := $(WWWROOT)/js/app.js
FAVICON_OUT:= $(WWWROOT)/favicon.svg
# Tailwind scans the Razor views, so the CSS is rebuilt when one of them changes.
VIEWS      := $(shell find src/Nexus.Web -name '*.cshtml' -not -path '*/bin/*' -not -path '*/obj/*' 2>/dev/null)

.PHONY: help assets build run reset-password test bench bench-api bench-deliveries db-stop db-status stand-ins clean

help: ## List the targets
	@echo "Nexus — make targets:"
	@awk 'BEGIN { FS = ":.*## " } /^[a-zA-Z_-]+:.*## / { printf "  make %-15s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))
	@echo
	@echo "Environment: NEXUS_DATABASE (use an existing database), NEXUS_PG_PORT (default 55432),"
	@echo "             NEXUS_PORT (web port for 'make run', default 5080),"
	@echo "             NEXUS_BENCH_PORT (app port for 'make bench', default 5090; see bench/run.sh)."
	@echo "Also: scripts/db.sh psql opens psql on the local database."

assets: $(CSS_OUT) $(HTMX_OUT) $(APPJS_OUT) $(FAVICON_OUT) ## Build front-end assets (Tailwind CSS, htmx, app.js) into src/Nexus.Web/wwwroot

$(NODE_STAMP): $(ASSETS_SRC)/package.json $(ASSETS_SRC)/package-lock.json
	npm ci --prefix $(ASSETS_SRC) --no-audit --no-fund --ignore-scripts
	@touch $@

$(CSS_OUT): $(ASSETS_SRC)/css/app.css $(VIEWS) $(NODE_STAMP)
	@mkdir -p $(@D)
	$(ASSETS_SRC)/node_modules/.bin/tailwindcss --input $< --output $@ --minify

$(HTMX_OUT): $(NODE_STAMP)
	@mkdir -p $(@D)
	cp $(ASSETS_SRC)/node_modules/htmx.org/dist/htmx.min.js $@

$(APPJS_OUT): $(ASSETS_SRC)/js/app.js
	@mkdir -p $(@D)
	cp $< $@

$(FAVICON_OUT): $(ASSETS_SRC)/img/favicon.svg
	@mkdir -p $(@D)
	cp $< $@

build: assets ## Build assets and the .NET solution (Debug)
	dotnet build $(SLN) -c Debug -v q -nologo

run: build ## Run web (http://127.0.0.1:5080) and worker against the local PostgreSQL
	@scripts/run.sh

# The database `make run` uses; the link starts with the address it serves unless Nexus__PublicUrl says otherwise.
reset-password: build ## Print a one-time password reset link for EMAIL=you@x.test (TWO_FACTOR=off also turns 2FA off)
	@test -n "$(EMAIL)" || { echo "Usage: make reset-password EMAIL=you@x.test [TWO_FACTOR=off]" >&2; exit 2; }
	@DB="$$(scripts/db.sh ensure)" && \
	  ConnectionStrings__Nexus="$$DB" \
	  Nexus__PublicUrl="$${Nexus__PublicUrl:-http://127.0.0.1:$${NEXUS_PORT:-5080}}" \
	  ASPNETCORE_ENVIRONMENT="$${ASPNETCORE_ENVIRONMENT:-Development}" DOTNET_ENVIRONMENT="$${DOTNET_ENVIRONMENT:-Development}" \
	  dotnet run --no-build --no-launch-profile --project src/Nexus.Web -- reset-password '$(EMAIL)' $(if $(filter off,$(TWO_FACTOR)),--disable-two-factor)

test: assets ## Run all tests against the local PostgreSQL; last line "N passed, N failed"
	@SLN=$(SLN) scripts/test.sh

bench: assets ## Benchmark: API pipeline vs its ceiling with wrk, then webhook deliveries vs theirs (Release, ~10 min); prints two tables
	@bench/run.sh
	@bench/deliveries.sh

bench-api: ## Benchmark only the API pipeline vs its ceiling (bench/run.sh, ~7 min); prints one table
	@bench/run.sh

bench-deliveries: ## Benchmark only webhook delivery: one worker vs a plain HttpClient loop (BENCH_MEMORY_RUN=1 adds 100,000)
	@bench/deliveries.sh

db-stop: ## Stop the local PostgreSQL cluster
	@scripts/db.sh stop

db-status: ## Show whether the local PostgreSQL cluster is running
	@scripts/db.sh status

stand-ins: ## Re-pack the Patched.DistributedLock.Postgres stand-in into build/local-packages
	dotnet pack build/stand-ins/Patched.DistributedLock.Postgres -c Release -o build/local-packages
	@echo "Note: NuGet caches packages by version; after changing the stand-in, remove"
	@echo "      ~/.nuget/packages/patched.distributedlock.postgres or bump its version."

clean: ## Remove bin/ and obj/ folders and built assets (keeps .data and node_modules)
	find src tests bench build/stand-ins -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} + 2>/dev/null || true
	rm -f $(CSS_OUT) $(HTMX_OUT) $(APPJS_OUT) $(FAVICON_OUT)
