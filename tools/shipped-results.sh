#!/bin/bash
# Proves a refactoring changed no result: run every shipped scenario (sweeps aside) with one build, then
# with another, and compare every file byte for byte, wall-time lines aside.
#   tools/shipped-results.sh run OUT [SIM_DLL]   # default build: src/Cli/bin/Release/net10.0/sim.dll
#   tools/shipped-results.sh diff OLD NEW        # exit 1 and list the files that differ
# Typical use: build main, `run /tmp/before`, copy the build aside if needed; build the branch,
# `run /tmp/after`, then `diff /tmp/before /tmp/after`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case "${1:-}" in
  run)
    out=$(mkdir -p "$2" && cd "$2" && pwd); dll=${3:-$root/src/Cli/bin/Release/net10.0/sim.dll}
    for f in "$root"/scenarios/*.yaml; do
      n=$(basename "$f" .yaml); [[ $n == sweep-* ]] && continue
      # The scenario path is written into summary.json: pass it the same way every time.
      (cd "$root" && dotnet "$dll" run "scenarios/$n.yaml" --out "$out/$n" > "$out/$n.stdout" 2> "$out/$n.stderr") || { echo "$n failed: see $out/$n.stderr"; exit 1; }
    done
    echo "wrote $out" ;;
  diff)
    old=$2; new=$3; bad=0; count=0
    # Every line that mentions wall_s is a wall-clock time; the results folder path differs by design.
    normal() { grep -v 'wall_s' "$1" | sed "s|$2|OUT|g"; }
    while IFS= read -r f; do
      count=$((count + 1))
      if [[ ! -f $new/$f ]]; then echo "missing: $f"; bad=1
      elif ! cmp -s <(normal "$old/$f" "$old") <(normal "$new/$f" "$new"); then echo "differs: $f"; bad=1; fi
    done < <(cd "$old" && find . -type f ! -name '*.stderr' | sort)
    while IFS= read -r f; do [[ -f $old/$f ]] || { echo "extra: $f"; bad=1; }; done < <(cd "$new" && find . -type f ! -name '*.stderr' | sort)
    [[ $bad == 0 ]] && echo "identical: $count files (wall time aside)"
    exit $bad ;;
  *) sed -n 2,7p "$0"; exit 2 ;;
esac
