#include "PromptPreparer.h"

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

PromptPreparer::PromptPreparer(QObject* parent)
    : QObject(parent)
    , m_watcher(new QFutureWatcher<PreparedPrompt>(this)) {
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &PromptPreparer::startPending);
    connect(m_watcher, &QFutureWatcher<PreparedPrompt>::finished, this, [this] {
        const PreparedPrompt result = m_watcher->result();
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

void PromptPreparer::request(const PreparedPrompt& input, bool immediate) {
    m_pending = input;
    if (immediate) {
        m_debounce.stop();
        startPending();
    } else {
        m_debounce.start();
    }
}

bool PromptPreparer::isBusy() const {
    return m_pending.has_value() || m_watcher->isRunning();
}

void PromptPreparer::startPending() {
    if (!m_pending || m_watcher->isRunning())
        return; // the running job's finished() starts the pending one
    PreparedPrompt input = std::move(*m_pending);
    m_pending.reset();
    m_watcher->setFuture(QtConcurrent::run(&PromptPreparer::prepare, std::move(input)));
}

PreparedPrompt PromptPreparer::prepare(PreparedPrompt input) {
    if (!input.sanitizer) {
        input.system.text = input.rawSystem;
        input.user.text = input.rawPrompt;
        return input;
    }
    const Sanitizer& sanitizer = *input.sanitizer;
    input.promptSpans = sanitizer.detect(input.rawPrompt);
    const QList<Span> systemSpans = sanitizer.detect(input.rawSystem);
    // System first, then the prompt, into one vault: the order GenerationCommand uses, so the same
    // value gets the same placeholder in the window and in parallax-cli.
    Vault vault;
    input.system =
        sanitizer.sanitize(input.rawSystem, vault, rangesOf(input.rawSystem, systemSpans, input.allowOnce));
    input.user = sanitizer.sanitize(input.rawPrompt, vault,
                                    rangesOf(input.rawPrompt, input.promptSpans, input.allowOnce));
    input.vault = vault;
    return input;
}

} // namespace parallax
