#pragma once

namespace parallax {

/// How a profile's requests are sanitized, as settings.json's "sanitize" section lists it.
enum class SanitizePolicy {
    Automatic,      ///< listed nowhere: sanitized, except a local Ollama, which gets the text as typed
    AlwaysSanitize, ///< in "always_sanitize": sanitized even when local
    SendRaw,        ///< in "send_raw": sent as typed
};

} // namespace parallax
