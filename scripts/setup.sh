#!/bin/sh
# Sets up a checkout: Debian packages (when root and missing), npm packages, and the build.
# Idempotent; safe to run before every `npm start` / `npm test`.
set -eu
cd "$(dirname "$0")/.."

# Debian packages Capstan's roles use on the host, installed only when running as root on Debian
# and missing. The control plane needs none (better-sqlite3 builds with the machine's python3,
# make and g++); the node roles need the OCI runtimes, conmon (the per-container monitor that
# holds a container's stdio and writes its log), the CNI plugins, the packet filters, and attr
# (setfattr: the image store marks opaque directories of unpacked layers with an xattr).
# `--test` adds what only the test suite uses: a registry on loopback and the tools that build
# and push a busybox image into it; tmux and python3 give `kubectl exec -it` tests a terminal.
NODE_PACKAGES="runc crun conmon containernetworking-plugins nftables iptables iproute2 util-linux attr socat conntrack"
TEST_PACKAGES="docker-registry skopeo umoci busybox-static tmux curl python3 dnsperf"
DEBIAN_PACKAGES="${CAPSTAN_DEBIAN_PACKAGES:-$NODE_PACKAGES}"
[ "${1:-}" = "--test" ] && DEBIAN_PACKAGES="$DEBIAN_PACKAGES $TEST_PACKAGES"
if [ -n "$DEBIAN_PACKAGES" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $DEBIAN_PACKAGES; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
  done
  if [ -n "$missing" ]; then
    echo "setup: installing Debian packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
  fi
fi

# npm packages: install when missing or when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund
fi

echo "setup: building"
# A clean build: tsc never removes outputs of deleted sources, and the test runner runs every
# compiled test it finds.
rm -rf dist
npx tsc -p tsconfig.json
