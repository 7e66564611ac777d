#pragma once

#include "app/AppProfile.h"
#include "app/FallbackChains.h"
#include "app/PreparedPrompt.h"
#include "engine/CompareRequest.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace parallax {

/// Builds the CompareRequest the window sends, exactly as parallax-cli's GenerationCommand does: the
/// sanitized system and user texts (the ones the preview shows), the vault to restore answers, the raw
/// request for profiles that send raw (a local Ollama), per-column sanitizing from settings, each
/// column's fallback chain, and each column's own temperature and token limit.
class RequestBuilder {
public:
    /// One column per chain (the profile, then its fallbacks; see FallbackChains), with `keys` by profile
    /// name; `sanitizeSection` is settings.json's "sanitize". A column goes raw only when every profile in
    /// its chain may get raw text.
    static CompareRequest build(const PreparedPrompt& prepared, const FallbackChains& chains,
                                const QHash<QString, QString>& keys, const QJsonObject& sanitizeSection);

    /// Adds the synthesizer as parallax-cli's `compare --synthesize` does: the profile and its key, the
    /// template from the data folder (or the built-in one), and whether it gets placeholders.
    static void addSynthesizer(CompareRequest& request, const AppProfile& synthesizer, const QString& key,
                               const QJsonObject& sanitizeSection, const QString& dataDirectory);

    /// One set of parameters for several profiles (a batch's items share one request): those the
    /// profiles share; when they differ, the first profile's win and `conflict` is set so the caller
    /// can say so.
    static void applyParameters(ChatRequest& request, const QList<AppProfile>& profiles, bool* conflict);
};

} // namespace parallax
