#pragma once

#include "sanitize/Detector.h"
#include "sanitize/SanitizedText.h"
#include "sanitize/SanitizerSettings.h"

#include <QList>
#include <QString>

#include <memory>

namespace parallax {

/// Entry point for the engine, the CLI and the GUI.
///
/// Usage (engine, before sending):
/// ```
/// Sanitizer sanitizer(settings);              // compile once, reuse for every request
/// Vault vault;                                 // one per request
/// SanitizedText system = sanitizer.sanitize(systemPrompt, vault);
/// SanitizedText user = sanitizer.sanitize(prompt, vault);   // same value -> same placeholder
/// send(system.text, user.text);                // exactly these strings
/// Restorer restorer(vault);                    // per answer stream
/// onDelta(d) { show(restorer.push(d)); }  onFinished() { show(restorer.finish()); }
/// ```
/// Threading: construction compiles the rules (a few milliseconds); all const methods may run
/// concurrently from any thread, e.g. the GUI's preview on a QThreadPool while the engine
/// sanitizes another prompt. A Sanitizer is immutable: to change settings, build a new one.
class Sanitizer {
public:
    explicit Sanitizer(const SanitizerSettings& settings = {});
    ~Sanitizer();

    const SanitizerSettings& settings() const { return m_settings; }

    /// Every span (suggestions included), without replacing anything: the editor's highlights.
    QList<Span> detect(const QString& text) const;
    /// Re-scan only the lines touching `changed` (typing in a large prompt); spans outside
    /// Detector::expandToLines(text, changed) are the caller's previous ones, shifted.
    QList<Span> detect(const QString& text, TextRange changed) const;
    /// detect(after), given `spansBefore` = detect(before): only what the edit from `before` to
    /// `after` touched is scanned again (IncrementalScan). `rescanned` receives that range of `after`.
    QList<Span> redetect(const QString& before, const QList<Span>& spansBefore, const QString& after,
                         TextRange* rescanned = nullptr) const;

    /// Sanitizes with a fresh vault. `allowOnce` lists ranges (input offsets) the user allowed for
    /// this request only; a span overlapping one is left in place.
    SanitizedText sanitize(const QString& text, const QList<TextRange>& allowOnce = {}) const;
    /// Same, adding to `vault` (several messages of one request); the result's vault is a copy of
    /// `vault` afterwards.
    SanitizedText sanitize(const QString& text, Vault& vault, const QList<TextRange>& allowOnce = {}) const;
    /// The second half of sanitize(): replaces `spans` (detect(text)'s result) in `text`. Lets a
    /// caller detect several texts on worker threads and still number placeholders in text order
    /// on one thread: sanitize(text, vault) == redact(text, detect(text), vault).
    SanitizedText redact(const QString& text, QList<Span> spans, Vault& vault,
                         const QList<TextRange>& allowOnce = {}) const;

    /// redact() in two halves, for a caller that detects on worker threads and writes in text
    /// order on one: replaced() (any thread) picks the spans redact() replaces, without numbering
    /// anything; placeholderFor() (in text order, one vault) gives each of them the string redact()
    /// puts in its place.
    QList<qsizetype> replaced(const QString& text, const QList<Span>& spans,
                              const QList<TextRange>& allowOnce = {}) const;
    QString placeholderFor(const Span& span, QStringView value, Vault& vault) const;

    /// `****1234` for long values, `****` for short ones and for secrets.
    static QString mask(const QString& type, QStringView value);

private:
    bool shouldRedact(const Span& span, QStringView value, const QList<TextRange>& allowOnce) const;

    SanitizerSettings m_settings;
    std::unique_ptr<Detector> m_detector;
};

} // namespace parallax
