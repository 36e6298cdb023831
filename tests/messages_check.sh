#!/usr/bin/env bash
# Every message a person can read in an error is in a French catalog: core's
# (server/core/src/messages.cpp) or its module's (server/modules/<module>/src/messages.cpp). Checks the messages written as one literal at the place they are
# raised; messages assembled from parts are matched by the catalog's {} patterns and tested in
# tests/api/messages_test.cpp.
set -uo pipefail
root=${1:-$(dirname "$0")/..}
cd "$root" || exit 2
catalogs=(server/core/src/messages.cpp server/modules/*/src/messages.cpp)
missing=0
checked=0
while IFS= read -r message; do
  checked=$((checked + 1))
  if ! grep -qF "{\"$message\"," "${catalogs[@]}"; then
    echo "messages: not in the French catalog: \"$message\""
    missing=$((missing + 1))
  fi
done < <(
  grep -rhoE '(Error::(invalid|not_found|forbidden|conflict|unauthorized|bad_request)\((("[a-z_]+"|field|std::string\(name\)), *)?|Error\(ErrorCode::[a-z_]+, *|\.fail\((std::string\(name\)|"[a-z_]+"|field), *|reject\(|error_reply\([^,]+, [0-9]+, "[a-z_]*", *|problem\([0-9]+, "", *|\{"[a-z_]+", )"([^"\\]|\\.)*"[[:space:]]*[^+"[:space:]]' \
    server --include='*.cpp' --include='*.hpp' |
    sed -E 's/^[^"]*("[a-z_]+", *)?"//; s/"[^"]*$//' |
    grep -E '^[A-Z].* ' | sort -u)
if [ "$missing" -gt 0 ]; then
  echo "messages: $missing of $checked messages lack a French translation"
  exit 1
fi
echo "messages: $checked messages have their French"
