#include "RequestBuilder.h"

#include "engine/SanitizerConfig.h"
#include "engine/SynthesisPrompt.h"

namespace parallax {

CompareRequest RequestBuilder::build(const PreparedPrompt& prepared, const FallbackChains& chains,
                                     const QHash<QString, QString>& keys,
                                     const QJsonObject& sanitizeSection) {
    QList<AppProfile> profiles;
    for (const QList<AppProfile>& chain : chains.chains())
        profiles.append(chain.first());
    CompareRequest request;
    request.command = profiles.size() == 1 ? QStringLiteral("run") : QStringLiteral("compare");
    ChatRequest raw;
    raw.system = prepared.rawSystem;
    raw.messages = {ChatMessage{ChatMessage::Role::User, prepared.rawPrompt}};
    applyParameters(raw, profiles, nullptr);

    request.request = raw;
    if (prepared.sanitizer) {
        request.rawRequest = raw;
        request.request.system = prepared.system.text;
        request.request.messages.first().content = prepared.user.text;
        for (const Span& span : prepared.system.redactedSpans())
            ++request.redactions[span.type];
        for (const Span& span : prepared.user.redactedSpans())
            ++request.redactions[span.type];
        for (const QList<AppProfile>& chain : chains.chains()) {
            QList<ProviderProfile> hops;
            for (const AppProfile& hop : chain)
                hops.append(hop.profile);
            request.columnSanitized.append(SanitizerConfig::sanitizesChain(hops, sanitizeSection));
        }
        request.vault = prepared.vault;
        request.sanitizer = prepared.sanitizer;
    }
    request.columns = chains.targets(keys);
    // A fallback answers with the column's parameters: one request goes down the whole chain.
    for (const AppProfile& profile : profiles)
        request.columnParameters.append({profile.temperature, profile.maxTokens});
    return request;
}

void RequestBuilder::addSynthesizer(CompareRequest& request, const AppProfile& synthesizer,
                                    const QString& key, const QJsonObject& sanitizeSection,
                                    const QString& dataDirectory) {
    request.synthesizer = CompareTarget{synthesizer.profile, key};
    request.synthesisParameters = CompareRequest::Parameters{synthesizer.temperature, synthesizer.maxTokens};
    request.synthesisTemplate = SynthesisPrompt::templateFor(dataDirectory);
    if (request.sanitizer)
        request.synthesisSanitized = SanitizerConfig::sanitizes(synthesizer.profile, sanitizeSection);
}

void RequestBuilder::applyParameters(ChatRequest& request, const QList<AppProfile>& profiles,
                                     bool* conflict) {
    if (conflict)
        *conflict = false;
    if (profiles.isEmpty())
        return;
    request.temperature = profiles.first().temperature;
    request.maxTokens = profiles.first().maxTokens;
    for (const AppProfile& profile : profiles) {
        if (conflict &&
            (profile.temperature != request.temperature || profile.maxTokens != request.maxTokens))
            *conflict = true;
    }
}

} // namespace parallax
