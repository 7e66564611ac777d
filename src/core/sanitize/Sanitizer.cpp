#include "Sanitizer.h"

#include "sanitize/BuiltinRules.h"
#include "sanitize/EntityType.h"
#include "sanitize/IncrementalScan.h"
#include "sanitize/SanitizeLog.h"

namespace parallax {

Sanitizer::Sanitizer(const SanitizerSettings& settings)
    : m_settings(settings) {
    QList<Rule> rules = BuiltinRules::all();
    for (const UserRule& user : settings.userRules) {
        if (auto error = user.validate()) {
            qCWarning(lcSanitize) << "user rule" << user.name << "skipped:" << error->message;
            continue;
        }
        rules.append(user.toRule());
    }
    const bool phones = settings.modeFor(EntityType::Phone) != RedactionMode::Allow;
    m_detector = std::make_unique<Detector>(rules, settings.phoneRegions, phones);
}

Sanitizer::~Sanitizer() = default;

QList<Span> Sanitizer::detect(const QString& text) const {
    return m_detector->detect(text);
}

QList<Span> Sanitizer::detect(const QString& text, TextRange changed) const {
    return m_detector->detect(text, changed);
}

QList<Span> Sanitizer::redetect(const QString& before, const QList<Span>& spansBefore, const QString& after,
                                TextRange* rescanned) const {
    return IncrementalScan::detect(*m_detector, before, spansBefore, after, rescanned);
}

SanitizedText Sanitizer::sanitize(const QString& text, const QList<TextRange>& allowOnce) const {
    Vault vault;
    return sanitize(text, vault, allowOnce);
}

QString Sanitizer::mask(const QString& type, QStringView value) {
    if (type == EntityType::Secret || value.size() < 8)
        return QStringLiteral("****");
    return QStringLiteral("****") + value.right(4).toString();
}

bool Sanitizer::shouldRedact(const Span& span, QStringView value, const QList<TextRange>& allowOnce) const {
    if (span.suggestion && !m_settings.redactSuggestions &&
        !m_settings.enabledSuggestionRules.contains(span.rule))
        return false;
    if (m_settings.modeFor(span.type) == RedactionMode::Allow)
        return false;
    for (const TextRange& range : allowOnce) {
        if (span.start < range.end && range.start < span.end)
            return false;
    }
    return !m_settings.allowlist.allows(value);
}

SanitizedText Sanitizer::sanitize(const QString& text, Vault& vault,
                                  const QList<TextRange>& allowOnce) const {
    return redact(text, m_detector->detect(text), vault, allowOnce);
}

QList<qsizetype> Sanitizer::replaced(const QString& text, const QList<Span>& spans,
                                     const QList<TextRange>& allowOnce) const {
    QList<qsizetype> indices;
    for (qsizetype i = 0; i < spans.size(); ++i) {
        const Span& span = spans.at(i);
        if (shouldRedact(span, QStringView(text).mid(span.start, span.length()), allowOnce))
            indices.append(i);
    }
    return indices;
}

QString Sanitizer::placeholderFor(const Span& span, QStringView value, Vault& vault) const {
    return m_settings.modeFor(span.type) == RedactionMode::Mask ? mask(span.type, value)
                                                                : vault.placeholderFor(span.type, value);
}

SanitizedText Sanitizer::redact(const QString& text, QList<Span> spans, Vault& vault,
                                const QList<TextRange>& allowOnce) const {
    SanitizedText result;
    result.spans = std::move(spans);
    result.text.reserve(text.size());
    result.placeholderRanges.reserve(result.spans.size());
    // A span from an earlier redaction says nothing about this one.
    for (Span& span : result.spans)
        span.placeholder.clear();
    qsizetype copied = 0;
    for (qsizetype index : replaced(text, result.spans, allowOnce)) {
        Span& span = result.spans[index];
        span.placeholder = placeholderFor(span, QStringView(text).mid(span.start, span.length()), vault);
        result.text.append(QStringView(text).mid(copied, span.start - copied));
        result.placeholderRanges.append({result.text.size(), result.text.size() + span.placeholder.size()});
        result.text.append(span.placeholder);
        copied = span.end;
    }
    result.text.append(QStringView(text).mid(copied));
    result.vault = vault;
    return result;
}

} // namespace parallax
