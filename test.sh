#!/usr/bin/env bash
# Installs what the tests need (Debian packages, npm packages), then runs the whole test suite.
# Under CI=true every real component must be present: tests fail rather than skip.
set -euo pipefail
cd "$(dirname "$0")"

need_apt=()
dpkg -s python3-torch >/dev/null 2>&1 || need_apt+=(python3-torch)
dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need_apt+=(libopenblas0-pthread)
dpkg -s chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s slurm-wlm >/dev/null 2>&1 || need_apt+=(slurm-wlm)
dpkg -s munge >/dev/null 2>&1 || need_apt+=(munge)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "test.sh: installing ${need_apt[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "test.sh: not root, cannot install ${need_apt[*]}; tests needing them will skip (or fail under CI=true)"
  fi
fi

if [ ! -f node_modules/plotly.js-dist-min/plotly.min.js ]; then
  npm install --no-audit --no-fund --silent
fi

# Notebook hosts the notebook tests run (tests/Notebooks.Tests), as .NET tools in .tools/ (git-ignored).
for tool in dotnet-repl@0.3.259 Microsoft.dotnet-interactive@1.0.712001; do
  name=${tool%@*}; version=${tool#*@}
  if [ ! -d ".tools/.store/${name,,}/$version" ]; then
    if ! dotnet tool install "$name" --version "$version" --tool-path .tools >/dev/null; then
      [ "${CI:-}" = true ] && { echo "test.sh: could not install $name" >&2; exit 1; }
      echo "test.sh: could not install $name; the notebook test that runs it will skip"
    fi
  fi
done

dotnet build Sim.sln -c Release -nologo -v q
# One test project at a time (-m:1): calibration and validation tests time real PyTorch runs, and a
# second test assembly running beside them would steal the 2 cores they measure.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
dotnet test Sim.sln -c Release --no-build -nologo -v m -m:1 "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line with the totals over every test project.
awk '/^(Passed|Failed)!/ { for (i = 1; i <= NF; i++) { gsub(",", "", $(i+1)); if ($i == "Passed:") p += $(i+1); if ($i == "Failed:") f += $(i+1); if ($i == "Skipped:") s += $(i+1) } }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
exit "$status"
