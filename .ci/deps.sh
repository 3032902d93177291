#!/usr/bin/env bash
# Installs the Debian packages tfc builds and tests with. Idempotent.
set -eu
PKGS="build-essential re2c lemon clang libclang-rt-14-dev llvm libcjson-dev libssl-dev \
libcurl4-openssl-dev libutf8proc-dev libpcre2-dev libyaml-dev zlib1g-dev libcrypt-dev libmpfr-dev libgmp-dev libedit-dev libexpat1-dev libyajl-dev graphviz python3"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
