#!/usr/bin/env bash
# Runs TestKeychainRoundtrip against a real Secret Service: a private D-Bus session (dbus-run-session)
# with a gnome-keyring unlocked by a throwaway password, under a throwaway HOME, so the user's own
# keyring is never touched. Skips (exit 77) only when those programs are missing.
set -euo pipefail

test_binary="$1"
for tool in dbus-run-session gnome-keyring-daemon; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed; the real keychain round-trip needs it (Debian: dbus, gnome-keyring)."
        exit 77
    fi
done

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export HOME="$scratch/home"
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
export XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK

# Inside the private bus: start the keyring (it daemonizes and creates the "login" collection, unlocked
# with the password read from stdin), run the test, then stop that daemon: it would outlive the bus.
exec dbus-run-session -- bash -c '
    set -e
    printf "throwaway-password" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    keyring_pid=$(dbus-send --session --print-reply=literal --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null |
        awk "{print \$2}" || true)
    status=0
    "$1" || status=$?
    if [ -n "$keyring_pid" ]; then
        kill "$keyring_pid" 2>/dev/null || true
    fi
    exit $status
' keychain-roundtrip "$test_binary"
