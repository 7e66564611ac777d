#pragma once

namespace parallax {

/// What happens to a detected value of a type, chosen per type by the user.
enum class RedactionMode {
    Placeholder, ///< `[TYPE_n]`, restored in the answer (the default)
    Mask,        ///< `****1234`: the last four characters stay readable, nothing to restore
    Allow,       ///< sent as is
};

} // namespace parallax
