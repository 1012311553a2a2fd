#!/usr/bin/env bash
# Packs every NuGet package Courier ships (the libraries and the `courier` .NET tool) into one folder, which works
# as a local package source (`dotnet add package … --source DIR`, `dotnet tool install --add-source DIR`).
#
# Usage: scripts/pack.sh [DIR] [extra `dotnet pack` arguments, e.g. --no-build]
#        DIR defaults to artifacts/packages. The version comes from Directory.Build.props (one place).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$repo_root/artifacts/packages}"
shift || true
mkdir -p "$out"
out="$(cd "$out" && pwd)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1

cd "$repo_root"
# Packing the solution packs exactly the projects marked IsPackable (src/); tests, benchmarks and fuzzing are not.
dotnet pack Courier.slnx -c Release -o "$out" --disable-build-servers -nodeReuse:false "$@"
echo "packages in $out:"
ls -1 "$out" | sed 's/^/    /'
