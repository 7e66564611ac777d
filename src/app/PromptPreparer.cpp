#include "PromptPreparer.h"

#include "text/TemplateRenderer.h"

#include <QtConcurrent/QtConcurrentRun>

namespace parallax {

namespace {
/// "Allow once" is kept as values, not offsets, so it survives edits elsewhere in the prompt.
QList<TextRange> rangesOf(const QString& text, const QList<Span>& spans, const QSet<QString>& values) {
    QList<TextRange> ranges;
    if (values.isEmpty())
        return ranges;
    for (const Span& span : spans) {
        if (values.contains(text.mid(span.start, span.length())))
            ranges.append({span.start, span.end});
    }
    return ranges;
}
} // namespace

PromptPreparer::PromptPreparer(Source source, QObject* parent)
    : QObject(parent)
    , m_source(std::move(source))
    , m_watcher(new QFutureWatcher<PreparedPrompt>(this)) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &PromptPreparer::startPending);
    connect(m_watcher, &QFutureWatcher<PreparedPrompt>::finished, this, [this] {
        const PreparedPrompt result = m_watcher->result();
        m_lastScan = result.scan();
        emit prepared(result);
        if (m_pending && !m_debounce.isActive())
            startPending();
    });
}

PromptPreparer::~PromptPreparer() {
    // The job only reads its own copies; letting it finish unobserved is safe, and the watcher (our
    // child) is disconnected first so no result arrives at a half-destroyed object.
    m_watcher->disconnect(this);
}

void PromptPreparer::request(bool immediate) {
    m_pending = true;
    if (immediate) {
        m_debounce.stop();
        startPending();
    } else {
        m_debounce.start();
    }
}

bool PromptPreparer::isBusy() const {
    return m_pending || m_watcher->isRunning();
}

void PromptPreparer::startPending() {
    if (!m_pending || m_watcher->isRunning())
        return; // the running job's finished() starts the pending one
    m_pending = false;
    PreparedPrompt input = m_source();
    if (m_lastScan && m_lastScan->sanitizer == input.sanitizer)
        input.previous = m_lastScan;
    m_watcher->setFuture(QtConcurrent::run(&PromptPreparer::prepare, std::move(input)));
}

PreparedPrompt PromptPreparer::prepare(PreparedPrompt input) {
    input.variableNames = TemplateRenderer::names(input.typedSystem);
    for (const QString& name : TemplateRenderer::names(input.typedPrompt)) {
        if (!input.variableNames.contains(name))
            input.variableNames.append(name);
    }
    QStringList missing;
    input.rawSystem = TemplateRenderer::fillKnown(input.typedSystem, input.variables, &missing);
    input.missingVariables = missing;
    input.rawPrompt = TemplateRenderer::fillKnown(input.typedPrompt, input.variables, &missing);
    for (const QString& name : std::as_const(missing)) {
        if (!input.missingVariables.contains(name))
            input.missingVariables.append(name);
    }
    if (!input.sanitizer) {
        input.system.text = input.rawSystem;
        input.user.text = input.rawPrompt;
        return input;
    }

    const Sanitizer& sanitizer = *input.sanitizer;
    if (input.previous && input.previous->sanitizer == input.sanitizer)
        input.typedSpans = sanitizer.redetect(input.previous->text, input.previous->spans, input.typedPrompt);
    else
        input.typedSpans = sanitizer.detect(input.typedPrompt);
    input.previous.reset(); // not needed any more; the result should not keep the old text alive
    // Without variables the typed prompt is the one sent, and its spans are already known.
    const bool filled = input.rawPrompt != input.typedPrompt;
    const QList<Span> promptSpans = filled ? sanitizer.detect(input.rawPrompt) : input.typedSpans;
    const QList<Span> systemSpans = sanitizer.detect(input.rawSystem);
    // System first, then the prompt, into one vault: the order GenerationCommand uses, so the same
    // value gets the same placeholder in the window and in parallax-cli.
    Vault vault;
    input.system = sanitizer.redact(input.rawSystem, systemSpans, vault,
                                    rangesOf(input.rawSystem, systemSpans, input.allowOnce));
    input.user = sanitizer.redact(input.rawPrompt, promptSpans, vault,
                                  rangesOf(input.rawPrompt, promptSpans, input.allowOnce));
    input.vault = vault;

    if (!filled) {
        input.editorSpans = input.user.spans;
    } else {
        // The editor shows the typed text: its values are marked with the placeholder the same value
        // got in the filled text (a value only in a variable's field is seen in the preview).
        QHash<QString, QString> placeholderOf;
        for (const Span& span : std::as_const(input.user.spans))
            placeholderOf.insert(input.rawPrompt.mid(span.start, span.length()), span.placeholder);
        input.editorSpans = input.typedSpans;
        for (Span& span : input.editorSpans) {
            const QString value = input.typedPrompt.mid(span.start, span.length());
            span.placeholder = placeholderOf.value(value);
        }
    }
    return input;
}

} // namespace parallax
