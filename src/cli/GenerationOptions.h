#pragma once

#include "net/CallOptions.h"
#include "providers/ChatRequest.h"
#include "providers/ProviderProfile.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace parallax::cli {

/// Everything `run` and `compare` were asked to do, validated.
struct GenerationOptions {
    bool compare = false;
    QList<ProviderProfile> profiles;
    /// By profile name: the profiles tried in order when it fails (--fallback, else the saved chain).
    QHash<QString, QList<ProviderProfile>> fallbacks;
    std::optional<ProviderProfile> synthesizer;
    bool json = false;
    bool noCache = false;
    bool noSanitize = false;
    ChatRequest request;
    CallOptions call;
};

} // namespace parallax::cli
