#pragma once

#include "providers/Provider.h"

namespace parallax {

/// The one Provider per kind. Providers are stateless, so they are shared freely across threads.
class ProviderRegistry {
public:
    static const Provider& provider(ProviderKind kind);
};

} // namespace parallax
