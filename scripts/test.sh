#!/usr/bin/env bash
# Builds Courier and runs every test project of Courier.slnx; the last line printed is
# "N passed, N failed[, N skipped]", summed from the TRX files. Exits non-zero if the build fails, a test fails,
# or a test project leaves no TRX or an aborted run (a crashed or hung test host must never read as green).
#
# Usage: scripts/test.sh                 (from any directory; CI runs it through .ci/run)
# Env:   COURIER_TEST_RESULTS=DIR        where the TRX files go (default: artifacts/test-results)
#        COURIER_TEST_FILTER=EXPR        passed to `dotnet test --filter` (local use)
#        COURIER_TEST_HANG_TIMEOUT=5m    a test making no progress this long kills its test host
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# NuGet and the dotnet CLI keep their caches under HOME; a bare CI runner may not set it.
if [[ -z "${HOME:-}" ]]; then
  HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
  export HOME="${HOME:-/tmp}"
fi
# Build servers and reused MSBuild nodes would outlive this script and keep a CI job's process tree alive.
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1

results_dir="${COURIER_TEST_RESULTS:-$repo_root/artifacts/test-results}"
hang_timeout="${COURIER_TEST_HANG_TIMEOUT:-5m}" # per test: VSTest's blame collector kills a test host that stops making progress.
project_timeout="15m" # per project: backstop if `dotnet test` itself never returns.

log() { printf '==> %s\n' "$*"; }

# --- Debian packages -------------------------------------------------------------------------------------
# Real servers and tools the tests drive (kcat, redis, prometheus, …) come from Debian. List them here;
# installed ones are skipped, the rest come in one `apt-get update` and one `apt-get install`.
debian_packages=(
  chromium # the console's browser tests: Playwright drives Debian's chromium, as Playwright's own browser download cannot work here (tests/Courier.Browser.Tests)
  kcat # Kafka interop tests (tests/Courier.Server.Tests/Kafka/KcatInteropTests.cs)
  prometheus # promtool (the shipped alert rules' checks and unit tests) and the server of the end-to-end alerting tests (tests/Courier.Server.Tests/Alerting)
  prometheus-alertmanager # Alertmanager and amtool: end-to-end alerting, Prometheus -> Alertmanager -> webhook (tests/Courier.Server.Tests/Alerting)
  redis-server # the Redis state store: its contract and outage tests (tests/Courier.Redis.Tests), the Kafka engine suite (tests/Courier.Kafka.Tests) and two dispatcher processes sharing it (tests/Courier.EndToEnd/Kafka/Redis*Tests.cs)
  systemd # systemd-analyze verify over the shipped units in deploy/systemd (tests/Courier.Server.Tests/Cli/SystemdUnitTests.cs)
)

ensure_debian_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || { echo "error: need root or sudo to install: ${missing[*]}" >&2; return 1; }
    sudo=(sudo)
  fi
  log "installing Debian packages: ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

if ((${#debian_packages[@]} > 0)); then
  ensure_debian_packages "${debian_packages[@]}"
fi

command -v dotnet >/dev/null || { echo "error: the .NET SDK (dotnet) is not on PATH" >&2; exit 1; }
log "dotnet $(dotnet --version)"

# --- Build ---------------------------------------------------------------------------------------------------
log "restore"
dotnet restore Courier.slnx --disable-build-servers
log "build (Release, warnings are errors)"
if ! dotnet build Courier.slnx -c Release --no-restore --disable-build-servers -nodeReuse:false; then
  echo "build failed"
  exit 1
fi

# --- Test ----------------------------------------------------------------------------------------------------
# One `dotnet test` per test project rather than one on the solution: with a fixed LogFileName every project of
# a solution run writes the same TRX (microsoft/vstest#15673), and with generated names a project whose host
# crashed before writing anything cannot be told apart from one that was never run. Per project, each TRX has
# a known name and a missing one is caught.
test_projects=()
while IFS= read -r project; do
  [[ "$project" == *.csproj ]] || continue
  if [[ "$(dotnet msbuild "$project" -getProperty:IsTestProject -p:Configuration=Release)" == "true" ]]; then
    test_projects+=("$project")
  fi
done < <(dotnet sln Courier.slnx list)

if ((${#test_projects[@]} == 0)); then
  echo "error: Courier.slnx has no test projects" >&2
  exit 1
fi

mkdir -p "$results_dir"
rm -f "$results_dir"/*.trx # results of an earlier run must not be counted

filter_args=()
if [[ -n "${COURIER_TEST_FILTER:-}" ]]; then
  filter_args=(--filter "$COURIER_TEST_FILTER")
fi

# Reads one counter of the TRX's <Counters …/> element (0 if absent).
trx_counter() {
  local name="$1" file="$2" value
  value="$(tr '\n' ' ' <"$file" | grep -o '<Counters [^>]*>' | head -n1 | grep -o " $name=\"[0-9]*\"" | grep -o '[0-9][0-9]*' || true)"
  echo "${value:-0}"
}

trx_outcome() {
  tr '\n' ' ' <"$1" | grep -o '<ResultSummary outcome="[A-Za-z]*"' | head -n1 | sed 's/.*outcome="\([A-Za-z]*\)"/\1/' || true
}

# The names of a TRX file's failed tests, one per line. The console log names them too, but far above the
# summary; CI shows only the tail of the output.
trx_failed_tests() {
  tr '\n' ' ' <"$1" | grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' |
    grep -o ' testName="[^"]*"' | sed 's/^ testName="\(.*\)"$/\1/' || true
}

total_passed=0 total_failed=0 total_skipped=0
broken_projects=()
failed_tests=()
for project in "${test_projects[@]}"; do
  name="$(basename "$project" .csproj)"
  trx="$results_dir/$name.trx"
  log "test $name"
  rc=0
  timeout --kill-after=30s "$project_timeout" \
    dotnet test "$project" --no-build -c Release --disable-build-servers \
      --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" \
      --results-directory "$results_dir" \
      --blame-hang-timeout "$hang_timeout" --blame-hang-dump-type none \
      "${filter_args[@]}" </dev/null || rc=$?

  if [[ ! -s "$trx" ]]; then
    echo "error: $name produced no TRX (exit code $rc): its test host crashed, hung or never started" >&2
    broken_projects+=("$name (no TRX)")
    total_failed=$((total_failed + 1)) # a project without results counts as a failure, never as green
    continue
  fi

  passed="$(trx_counter passed "$trx")"
  failed="$(trx_counter failed "$trx")"
  errors=$(($(trx_counter error "$trx") + $(trx_counter timeout "$trx") + $(trx_counter aborted "$trx")))
  # VSTest leaves the notExecuted counter at 0 for skipped tests; they are the ones counted but not executed.
  skipped=$(($(trx_counter total "$trx") - $(trx_counter executed "$trx")))
  ((skipped >= 0)) || skipped=0
  outcome="$(trx_outcome "$trx")"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed + errors))
  total_skipped=$((total_skipped + skipped))
  echo "    $name: $passed passed, $((failed + errors)) failed, $skipped skipped (run outcome: ${outcome:-unknown}, exit code $rc)"
  while IFS= read -r test; do
    [[ -n "$test" ]] && failed_tests+=("$name: $test")
  done < <(trx_failed_tests "$trx")

  # A run can abort (host crash, hang timeout) after some tests passed and none failed: the counters look
  # green, the outcome and exit code do not.
  if ((failed + errors == 0)) && { ((rc != 0)) || [[ "$outcome" =~ ^(Failed|Aborted|Error|Timeout)$ ]]; }; then
    echo "error: $name: the test run did not complete (outcome ${outcome:-unknown}, exit code $rc); see $trx" >&2
    broken_projects+=("$name (run ${outcome:-failed})")
    total_failed=$((total_failed + 1))
  fi
done

echo
echo "TRX files: $results_dir"
ls -1 "$results_dir"/*.trx 2>/dev/null | sed 's/^/    /' || true
if ((${#failed_tests[@]} > 0)); then
  echo "failed tests:"
  printf '    %s\n' "${failed_tests[@]}"
fi
if ((${#broken_projects[@]} > 0)); then
  echo "test projects without a complete run (each counted as one failure): ${broken_projects[*]}"
fi

summary="$total_passed passed, $total_failed failed"
if ((total_skipped > 0)); then
  summary+=", $total_skipped skipped"
fi
echo "$summary"
((total_failed == 0))
