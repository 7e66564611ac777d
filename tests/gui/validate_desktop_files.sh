#!/usr/bin/env bash
# Validates the desktop entry and the AppStream metainfo. A missing validator skips (exit 77) with the
# package that provides it, so the check runs wherever the tools are installed.
set -euo pipefail
dir="$1"
status=0
if command -v desktop-file-validate >/dev/null 2>&1; then
    desktop-file-validate "$dir/io.github.parallax.Parallax.desktop" || status=1
else
    echo "desktop-file-validate not installed (Debian: desktop-file-utils); .desktop file not checked"
    missing=1
fi
if command -v appstreamcli >/dev/null 2>&1; then
    appstreamcli validate --no-net "$dir/io.github.parallax.Parallax.metainfo.xml" || status=1
else
    echo "appstreamcli not installed (Debian: appstream); metainfo not checked"
    missing=1
fi
if [ "$status" -ne 0 ]; then
    exit 1
fi
if [ "${missing:-0}" -eq 1 ] && ! command -v appstreamcli >/dev/null 2>&1 && ! command -v desktop-file-validate >/dev/null 2>&1; then
    exit 77
fi
exit 0
