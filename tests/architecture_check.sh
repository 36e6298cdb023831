#!/usr/bin/env bash
# Architecture rules, checked on the source tree (docs/architecture.md, "Layout"):
#   1. only server/http/src (and test clients) include Beast or Asio;
#   2. a module's public headers include no Beast, Asio, SOCI, Boost.JSON or core/db.hpp;
#   3. no module reaches into another module's src/;
#   4. core depends on nothing above it (http, modules, app).
set -uo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
failures=0
fail() { echo "architecture: $*"; failures=$((failures + 1)); }

while IFS= read -r hit; do fail "Beast/Asio outside server/http/src: $hit"; done < <(
  grep -rnE '#include <boost/(beast|asio)' server --include='*.hpp' --include='*.cpp' | grep -v '^server/http/src/')

while IFS= read -r hit; do fail "heavy header in a module's public interface: $hit"; done < <(
  grep -rnE '#include <(boost/(beast|asio|json)|soci/|mnemos/core/db\.hpp)' server/modules/*/include 2>/dev/null)

for module_dir in server/modules/*/; do
  module=$(basename "$module_dir")
  while IFS= read -r hit; do fail "module $module reaches into another module's src/: $hit"; done < <(
    grep -rnE '#include ".*modules/[a-z_]+/src/|#include "\.\./\.\./[a-z_]+/src/' "$module_dir" | grep -v "modules/$module/src/")
done

while IFS= read -r hit; do fail "core depends on a layer above it: $hit"; done < <(
  grep -rnE '#include <mnemos/(http|app|users|learning|srs|ai|communication|billing|reporting)/' server/core)

if [ "$failures" -gt 0 ]; then
  echo "architecture: $failures rule(s) broken"
  exit 1
fi
echo "architecture: 4 rules hold"
