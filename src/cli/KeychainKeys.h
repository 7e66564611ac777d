#pragma once

#include <QString>

#include <optional>

namespace parallax::cli {

/// The keys the window stored in the OS keychain for saved profiles, read for parallax-cli. The read
/// waits (a few seconds at most) in a nested event loop: the CLI does this while it sets up, before any
/// request is sent, so nothing else is waiting. Each profile is asked for once per process.
class KeychainKeys {
public:
    static constexpr int timeoutMs = 10'000;

    /// The key stored for `profileName`; nothing when there is none, no keychain answers, or (Linux)
    /// there is no D-Bus session to reach the Secret Service through — one is never started for this.
    static std::optional<QString> keyFor(const QString& profileName);
};

} // namespace parallax::cli
