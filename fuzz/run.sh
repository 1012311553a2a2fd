#!/usr/bin/env bash
# Fuzzes one Courier input edge with AFL++ through SharpFuzz (docs/robustness.md, "Fuzzing").
#
# Usage: fuzz/run.sh <target> <seconds> [--cmin]
#   target: decoder | intake | runner | config | schema (fuzz/Courier.Fuzz/Targets/FuzzTargets.cs)
#   seconds: how long afl-fuzz runs; 0 skips fuzzing and keeps the last run's findings (to minimise them again)
#   --cmin: afterwards, minimise the corpus plus everything found (afl-cmin) into fuzz/corpus/<target>/; the
#           hand-made seeds (seed-*) are always kept as they are
# Installs afl++ (Debian) and SharpFuzz.CommandLine 2.3.0 (into fuzz/.tools) when missing, publishes Courier.Fuzz into
# fuzz/.work/<target>/bin, instruments the Courier assemblies there, runs afl-fuzz from fuzz/corpus/<target>/ and
# prints the run's statistics. Findings: fuzz/.work/<target>/findings/default/{crashes,hangs}; each one found becomes a
# fixed bug and a file in fuzz/regressions/<target>/ (replayed by tests/Courier.Fuzz.Tests).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
target="${1:?usage: fuzz/run.sh <target> <seconds> [--cmin]}"
seconds="${2:?usage: fuzz/run.sh <target> <seconds> [--cmin]}"
cmin="${3:-}"
case "$target" in decoder|intake|runner|config|schema) ;; *) echo "unknown target '$target'" >&2; exit 2 ;; esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1
tools="$repo_root/fuzz/.tools"
work="$repo_root/fuzz/.work/$target"
corpus="$repo_root/fuzz/corpus/$target"

if ! command -v afl-fuzz >/dev/null; then
  sudo=(); ((EUID == 0)) || sudo=(sudo)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q afl++
fi
if [[ ! -x "$tools/sharpfuzz" ]]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools"
fi

# A fresh publish each run: SharpFuzz rewrites the assemblies in place and refuses to instrument one twice. Under a
# lock, so runs of two targets started together do not build the same projects at once.
rm -rf "$work/bin"
mkdir -p "$repo_root/fuzz/.work"
flock "$repo_root/fuzz/.work/publish.lock" dotnet publish fuzz/Courier.Fuzz/Courier.Fuzz.csproj -c Release -o "$work/bin" -nodeReuse:false >/dev/null
for assembly in Courier Courier.Server Courier.Runner; do
  "$tools/sharpfuzz" "$work/bin/$assembly.dll"
done
case "$target" in
  config) "$tools/sharpfuzz" "$work/bin/YamlDotNet.dll" ;; # the YAML parser is part of this edge
esac

# afl-fuzz and afl-cmin want the binary's real path.
dotnet_bin="$(readlink -f "$(command -v dotnet)")"
# .NET is not a native AFL binary (AFL_SKIP_BIN_CHECK); the machine is shared (no core pinning, no CPU governor check).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
if ((seconds > 0)); then
  rm -rf "$work/findings"
  afl-fuzz -i "$corpus" -o "$work/findings" -t 5000 -m none -V "$seconds" -- "$dotnet_bin" "$work/bin/Courier.Fuzz.dll" "$target" \
    > "$work/afl.log" 2>&1 || { tail -40 "$work/afl.log" >&2; exit 1; }
fi

stats="$work/findings/default/fuzzer_stats"
value() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
printf '%s: %s execs, %s execs/s, %s s, corpus %s, crashes %s, hangs %s\n' "$target" "$(value execs_done)" \
  "$(value execs_per_sec)" "$(value run_time)" "$(value corpus_count)" "$(value saved_crashes)" "$(value saved_hangs)"

if [[ "$cmin" == "--cmin" ]]; then
  rm -rf "$work/cmin-in" "$work/cmin-out"
  mkdir -p "$work/cmin-in"
  cp "$corpus"/* "$work/findings/default/queue"/id:* "$work/cmin-in/" 2>/dev/null || true
  # -e: edge coverage only (hit counts ignored), which keeps the committed corpus to tens or hundreds of files.
  afl-cmin -e -i "$work/cmin-in" -o "$work/cmin-out" -t 5000 -m none -- "$dotnet_bin" "$work/bin/Courier.Fuzz.dll" "$target" \
    > "$work/cmin.log" 2>&1 || { tail -20 "$work/cmin.log" >&2; exit 1; }
  find "$corpus" -type f ! -name 'seed-*' -delete
  is_seed() { local seed; for seed in "$corpus"/seed-*; do cmp -s "$seed" "$1" && return 0; done; return 1; }
  kept=0
  for file in "$work/cmin-out"/*; do
    if ! is_seed "$file"; then
      # Short names without ':' (AFL's queue names), so the corpus checks out on any file system.
      cp "$file" "$corpus/min-$(sha1sum "$file" | cut -c1-12)"
      kept=$((kept + 1))
    fi
  done
  echo "$target: corpus minimised: $(ls "$corpus" | wc -l) files in fuzz/corpus/$target/ ($kept found by fuzzing, the rest seeds)"
fi
