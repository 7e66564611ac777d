#!/usr/bin/env bash
# Installs the Debian packages Parallax needs to build and test, and only those that are missing.
# Idempotent: with everything present it changes nothing and never touches the network.
set -euo pipefail

packages=(
    cmake ninja-build g++ make clang-format pkg-config
    qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-charts-dev qtkeychain-qt6-dev libphonenumber-dev libpsl-dev libpcre2-dev libdtl-dev
    dbus gnome-keyring desktop-file-utils appstream dpkg-dev
)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: this system has no apt/dpkg. Install these (or your distribution's equivalents) by hand:" >&2
    echo "  ${packages[*]}" >&2
    echo "  (Qt 6.4 or newer with Core, Network, Concurrent, Sql, Widgets, Charts and Test; QtKeychain for Qt 6)" >&2
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
    [ "$status" = "installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "install-deps: installing missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        sudo="sudo"
    else
        echo "install-deps: these packages are missing and you are not root (and sudo is absent): ${missing[*]}" >&2
        exit 1
    fi
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
