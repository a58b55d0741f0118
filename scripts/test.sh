#!/usr/bin/env bash
# Runs every check duban's CI runs: formatting, vet, and all tests with the
# race detector. It installs what the tests need when missing (Debian):
# redis-server for the Redis store and replica tests, chromium with a CJK font
# for the emulator's and the dashboard's browser tests, node and npm for the
# MCP test that runs the official TypeScript SDK as an independent client.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v chromium >/dev/null || need+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || need+=(fonts-wqy-microhei)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
if ((${#need[@]})); then
  echo "== installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "not gofmt-ed:"; echo "$unformatted"; exit 1
fi

echo "== go vet"
go vet ./...

echo "== go test -race"
# The tests read ../shared/seeds; CI=true makes missing tools fail instead of skip.
export DUBAN_ARTIFACTS="${DUBAN_ARTIFACTS:-$PWD/.artifacts}"
mkdir -p "$DUBAN_ARTIFACTS"
go test -race -count=1 -timeout 20m ./...
