#!/bin/sh
# Runs the whole suite: lint (includes the layering rule), then every compiled *.test.js with node's runner.
# The build (type-check) already ran in scripts/setup.sh via `npm test`'s pretest.
set -eu
cd "$(dirname "$0")/.."
npx eslint --max-warnings 0 src test bench
files=$(find dist/src dist/test -name '*.test.js' | sort)
exec node --test --test-concurrency=2 --test-timeout=600000 $files
