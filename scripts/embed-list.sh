#!/bin/sh
# Turn a one-item-per-line text file (# comments) into a C array of strings.
# Usage: embed-list.sh FILE NAME > out.h
set -eu
echo "/* Generated from $1 by scripts/embed-list.sh; do not edit. */"
echo "static const char *const $2[] = {"
grep -v '^#' "$1" | grep -v '^$' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/",/'
echo "	0,"
echo "};"
