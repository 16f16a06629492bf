#!/usr/bin/env bash
# Installs the Debian packages qingfeng builds with, only those missing.
# Called by `make run` and `make test`; safe to run repeatedly.
set -euo pipefail
PKGS=(cmake ninja-build g++ pkg-config make
  libboost1.81-dev wrk libsqlite3-dev libsodium-dev libssl-dev libicu-dev libuchardet-dev libopencc-dev
  libminizip-dev zlib1g-dev libexpat1-dev libpugixml-dev nlohmann-json3-dev libsimdjson-dev
  libtbb-dev libcli11-dev libspdlog-dev libfmt-dev libxlsxwriter-dev
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The web UI builds with Node and npm and is tested in Debian's Chromium: only
# when missing (a machine may already have a newer Node from elsewhere).
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v npm >/dev/null 2>&1 || { [[ " ${missing[*]} " == *" npm "* ]] || missing+=(npm); }
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
