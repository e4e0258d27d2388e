#!/usr/bin/env sh
# Builds the API reference into docs/api/ (not committed) from the TSDoc comments of the public
# entry points listed in typedoc.json. It fails on any warning: a public class, function,
# interface, type alias, variable or enum (methods included) without a description, a broken
# {@link}, or a documented symbol that refers to one that is not exported.
#
#   scripts/docs/api.sh                   # write docs/api/
#   scripts/docs/api.sh --emit none       # validate only
set -eu
cd "$(dirname "$0")/../.."
exec npx typedoc "$@"
