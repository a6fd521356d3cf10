#!/bin/sh
# install.sh - install what wenming needs to build, run and test, and only
# what is missing: a second run takes a second or two.  Debian packages via
# apt-get (sudo when not root), npm packages for web/ and tests/.
set -eu
cd "$(dirname "$0")/.."

# Build: compiler, pkg-config and the C libraries (found through pkg-config).
# Run: PostgreSQL (multi-server mode and its tests), CJK fonts (pages, PDFs).
# Test: cmocka, chromium (browser tests), wrk, nginx and the vips tool (benchmarks),
# poppler-utils (pdftotext), clang + its runtime (libFuzzer), curl; clang-format
# (the Debian package pins the formatter `make format` and the format-check stage use).
PKGS="build-essential pkg-config clang libclang-rt-14-dev
libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev
libxlsxwriter-dev libzip-dev libexpat1-dev libcairo2-dev libpango1.0-dev libvips-dev libqrencode-dev
postgresql postgresql-client fonts-noto-cjk fonts-wqy-microhei
libcmocka-dev clang-format chromium wrk nginx-light libvips-tools poppler-utils curl ca-certificates
pandoc"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
# Node.js: keep whatever node the machine has (Vite needs >= 20.19); Debian's otherwise.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	echo "install: apt-get install$missing"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
	# The Debian postgresql package starts a system cluster; tests run their own.
fi

# npm packages, only when the lock file is newer than what is installed.
for d in web tests; do
	if [ ! -f "$d/node_modules/.package-lock.json" ] ||
	   [ "$d/package-lock.json" -nt "$d/node_modules/.package-lock.json" ]; then
		echo "install: npm ci in $d/"
		npm ci --prefix "$d" --no-audit --no-fund --loglevel=error
	fi
done
