#include "AnswerColumn.h"

#include "app/ErrorHint.h"
#include "app/RenderQueue.h"

#include <QApplication>
#include <QClipboard>
#include <QElapsedTimer>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollBar>
#include <QStyle>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocumentFragment>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace parallax {

namespace {

QString seconds(qint64 ms) {
    return ms < 1000 ? QStringLiteral("%1 ms").arg(ms)
                     : QStringLiteral("%1 s").arg(static_cast<double>(ms) / 1000.0, 0, 'f', 2);
}

struct StateLook {
    QString glyph;
    QString text;
    QString colour;
};

StateLook lookOf(RequestState state) {
    switch (state) {
    case RequestState::Queued:
        return {QStringLiteral("○"), AnswerColumn::tr("queued"), QStringLiteral("#808080")};
    case RequestState::Waiting:
        return {QStringLiteral("⏸"), AnswerColumn::tr("waiting for rate limit"), QStringLiteral("#b8860b")};
    case RequestState::Sending:
        return {QStringLiteral("◌"), AnswerColumn::tr("waiting for the first token"),
                QStringLiteral("#808080")};
    case RequestState::Streaming:
        return {QStringLiteral("◐"), AnswerColumn::tr("streaming"), QStringLiteral("#1e6fd9")};
    case RequestState::Retrying:
        return {QStringLiteral("↻"), AnswerColumn::tr("retrying"), QStringLiteral("#b8860b")};
    case RequestState::Done:
        return {QStringLiteral("●"), AnswerColumn::tr("done"), QStringLiteral("#2e8b57")};
    case RequestState::Failed:
        return {QStringLiteral("⚠"), AnswerColumn::tr("failed"), QStringLiteral("#c0392b")};
    case RequestState::Cached:
        return {QStringLiteral("⟲"), AnswerColumn::tr("cached"), QStringLiteral("#2e8b57")};
    case RequestState::FellBack:
        return {QStringLiteral("↪"), AnswerColumn::tr("fell back"), QStringLiteral("#b8860b")};
    }
    return {};
}

} // namespace

AnswerColumn::AnswerColumn(const AppProfile& profile, QWidget* parent)
    : QFrame(parent)
    , m_profile(profile) {
    setObjectName(QStringLiteral("answerColumn"));
    setFrameShape(QFrame::StyledPanel);
    setMinimumWidth(160);

    auto* name = new QLabel(QStringLiteral("<b>%1</b>").arg(profile.name().toHtmlEscaped()), this);
    name->setObjectName(QStringLiteral("profileLabel"));
    name->setToolTip(profile.description.isEmpty() ? profile.profile.baseUrl.toString()
                                                   : profile.description);
    m_swatch = new QLabel(this);
    m_swatch->setObjectName(QStringLiteral("colourSwatch"));
    m_swatch->setToolTip(tr("This answer's colour: its citations in the synthesis and its row in the "
                            "agreement map use it too"));
    m_diffLabel = new QLabel(this);
    m_diffLabel->setObjectName(QStringLiteral("diffLabel"));
    m_diffLabel->setVisible(false);
    auto* model = new QLabel(profile.profile.model, this);
    model->setObjectName(QStringLiteral("modelLabel"));
    model->setForegroundRole(QPalette::PlaceholderText);
    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_copyButton = new QToolButton(this);
    m_copyButton->setObjectName(QStringLiteral("copyButton"));
    m_copyButton->setText(tr("Copy"));
    m_copyButton->setToolTip(tr("Copy this answer as Markdown"));
    m_copyButton->setAutoRaise(true);
    connect(m_copyButton, &QToolButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_text); });
    m_retryButton = new QToolButton(this);
    m_retryButton->setObjectName(QStringLiteral("retryButton"));
    m_retryButton->setText(tr("↻ Retry"));
    m_retryButton->setToolTip(tr("Send this prompt to this profile again"));
    m_retryButton->setAutoRaise(true);
    m_retryButton->setVisible(false);
    connect(m_retryButton, &QToolButton::clicked, this, &AnswerColumn::retryRequested);

    auto* top = new QHBoxLayout;
    top->setSpacing(6);
    top->addWidget(m_swatch);
    top->addWidget(name);
    top->addWidget(model);
    top->addStretch(1);
    top->addWidget(m_diffLabel);
    top->addWidget(m_stateLabel);
    top->addWidget(m_retryButton);
    top->addWidget(m_copyButton);

    m_metricsLabel = new QLabel(this);
    m_metricsLabel->setObjectName(QStringLiteral("metricsLabel"));
    m_metricsLabel->setForegroundRole(QPalette::PlaceholderText);
    m_metricsLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_metricsLabel->setWordWrap(true);
    m_metricsLabel->setToolTip(
        tr("TTFT: from sending the request to the first token. Total: to the end of the answer.\n"
           "Tokens as the provider reported them; tokens/s = output tokens ÷ (total − TTFT).\n"
           "Cost from the reported usage and the price table; unknown when either is missing."));
    m_metricsLabel->setText(QStringLiteral(" "));

    m_errorLabel = new QLabel(this);
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));
    m_errorLabel->setWordWrap(true);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_errorLabel->setStyleSheet(
        QStringLiteral("QLabel { background: rgba(192, 57, 43, 0.10); border: 1px solid "
                       "rgba(192, 57, 43, 0.45); border-radius: 4px; padding: 6px; }"));
    m_errorLabel->setVisible(false);

    m_body = new QTextBrowser(this);
    m_body->setObjectName(QStringLiteral("answerBody"));
    m_body->setOpenExternalLinks(true);
    m_body->setFrameShape(QFrame::NoFrame);
    m_body->document()->setDocumentMargin(8);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_metricsLabel);
    layout->addWidget(m_errorLabel);
    layout->addWidget(m_body, 1);

    m_renderTimer.setSingleShot(true);
    m_renderTimer.setInterval(renderIntervalMs);
    connect(&m_renderTimer, &QTimer::timeout, this,
            [this] { RenderQueue::instance().request(this, [this] { render(); }); });
    m_liveTimer.setInterval(250);
    connect(&m_liveTimer, &QTimer::timeout, this, &AnswerColumn::updateLiveMetrics);
    reset();
}

void AnswerColumn::reset() {
    m_diff.reset();
    m_diffLabel->setVisible(false);
    m_text.clear();
    m_answer.reset();
    m_finished = false;
    m_renderTimer.stop();
    m_renderTimer.setInterval(renderIntervalMs);
    m_lastRenderMs = 0;
    RenderQueue::instance().cancel(this);
    m_body->clear();
    m_errorLabel->clear();
    m_errorLabel->setVisible(false);
    m_retryButton->setVisible(false);
    m_metricsLabel->setText(QStringLiteral(" "));
    m_firstTextMs.reset();
    m_clock.start();
    m_liveTimer.start();
    setState(RequestState::Queued);
}

void AnswerColumn::setState(RequestState state, const QString& detail) {
    if (m_finished)
        return;
    m_state = state;
    m_stateDetail = detail;
    updateStateLabel(detail);
}

void AnswerColumn::updateStateLabel(const QString& detail) {
    const StateLook look = lookOf(m_state);
    QString text = QStringLiteral("<span style=\"color:%1\">%2 %3</span>")
                       .arg(look.colour, look.glyph, look.text.toHtmlEscaped());
    // Only states that wait or switch profile need their reason; "streaming" explains itself.
    const bool explains = m_state == RequestState::Waiting || m_state == RequestState::Retrying ||
                          m_state == RequestState::FellBack;
    if (!detail.isEmpty() && explains)
        text += QStringLiteral(" <span style=\"color:palette(placeholder-text)\">— %1</span>")
                    .arg(detail.toHtmlEscaped());
    m_stateLabel->setText(text);
    m_stateLabel->setToolTip(detail);
}

QString AnswerColumn::stateText() const {
    return QTextDocumentFragment::fromHtml(m_stateLabel->text()).toPlainText();
}

QString AnswerColumn::metricsText() const {
    return m_metricsLabel->text().trimmed();
}

QString AnswerColumn::errorText() const {
    return m_errorLabel->isVisibleTo(this) ? m_errorLabel->text() : QString();
}

void AnswerColumn::appendText(const QString& delta) {
    if (delta.isEmpty())
        return;
    m_text += delta;
    if (!m_firstTextMs)
        m_firstTextMs = m_clock.elapsed();
    if (!m_renderTimer.isActive())
        m_renderTimer.start();
}

void AnswerColumn::render() {
    if (m_diff) {
        renderDiff();
        return;
    }
    QScrollBar* bar = m_body->verticalScrollBar();
    // Follow the stream only while the reader is at the bottom; someone reading earlier text keeps
    // their place.
    const bool follow = bar->value() >= bar->maximum() - 4;
    const int position = bar->value();
    QElapsedTimer took;
    took.start();
    // setMarkdown() first empties the document, which hides a shown scroll bar; the new text, laid out
    // at the full width, brings it back, and the narrower viewport makes Qt lay everything out a second
    // time. Keeping the bar while the text is replaced saves that second layout.
    const bool keepBar = bar->isVisible();
    if (keepBar)
        m_body->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    m_body->setMarkdown(m_text);
    if (keepBar)
        m_body->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    bar->setValue(follow ? bar->maximum() : position);
    ++m_renderCount;
    // Laying out the whole answer again costs more as it grows (10–15 ms for 2,000 words in a narrow
    // column): wait renderCostFactor times as long as this render took, so a column never spends more
    // than a few percent of the GUI thread on re-rendering, however long its answer gets.
    m_lastRenderMs = took.elapsed();
    const qint64 nextMs = m_lastRenderMs * renderCostFactor;
    m_renderTimer.setInterval(int(std::clamp<qint64>(nextMs, renderIntervalMs, maxRenderIntervalMs)));
}

void AnswerColumn::setAccentColour(const QColor& colour) {
    m_accent = colour;
    m_swatch->setText(QStringLiteral("<span style=\"color:%1\">●</span>").arg(colour.name()));
}

void AnswerColumn::showDiff(const QList<WordDiff::Segment>& segments, const QString& baseName) {
    m_diff = segments;
    m_diffLabel->setText(tr("diff against %1").arg(baseName));
    m_diffLabel->setToolTip(tr("Words only in this answer have a green background; words of %1 missing "
                               "here are struck through in red. Shown as plain text: the words compared "
                               "are the Markdown source.")
                                .arg(baseName));
    m_diffLabel->setVisible(true);
    m_renderTimer.stop();
    renderDiff();
}

void AnswerColumn::showAsDiffBase() {
    const bool wasDiff = m_diff.has_value();
    m_diff.reset();
    m_diffLabel->setText(tr("diff base"));
    m_diffLabel->setToolTip(tr("The other answers are compared with this one"));
    m_diffLabel->setVisible(true);
    if (wasDiff)
        render();
}

void AnswerColumn::clearDiff() {
    const bool wasDiff = m_diff.has_value();
    m_diff.reset();
    m_diffLabel->setVisible(false);
    if (wasDiff)
        render();
}

QString AnswerColumn::diffLabelText() const {
    return m_diffLabel->isVisibleTo(this) ? m_diffLabel->text() : QString();
}

void AnswerColumn::renderDiff() {
    QScrollBar* bar = m_body->verticalScrollBar();
    const int position = bar->value();
    m_body->clear();
    QTextCharFormat plain;
    QTextCharFormat inserted;
    inserted.setBackground(QColor(46, 160, 67, 80)); // translucent: readable on light and dark bases
    QTextCharFormat deleted;
    deleted.setForeground(QColor(0xc0, 0x39, 0x2b));
    deleted.setFontStrikeOut(true);
    QTextCursor cursor(m_body->document());
    for (const WordDiff::Segment& segment : std::as_const(*m_diff)) {
        switch (segment.kind) {
        case WordDiff::Segment::Kind::Equal:
            cursor.insertText(segment.text, plain);
            break;
        case WordDiff::Segment::Kind::Inserted:
            cursor.insertText(segment.text, inserted);
            break;
        case WordDiff::Segment::Kind::Deleted:
            cursor.insertText(segment.text, deleted);
            break;
        }
    }
    bar->setValue(position);
    ++m_renderCount;
}

void AnswerColumn::updateLiveMetrics() {
    if (m_finished) {
        m_liveTimer.stop();
        return;
    }
    // Measured here while streaming; the provider-reported metrics replace these when the answer ends.
    QStringList parts;
    if (m_firstTextMs)
        parts << tr("first text after %1").arg(seconds(*m_firstTextMs));
    parts << tr("%1 elapsed").arg(seconds(m_clock.elapsed()));
    if (!m_text.isEmpty()) {
        int words = 0;
        bool inWord = false;
        for (const QChar c : std::as_const(m_text)) {
            const bool letter = !c.isSpace();
            words += letter && !inWord;
            inWord = letter;
        }
        parts << tr("%1 words so far").arg(words);
    }
    m_metricsLabel->setText(parts.join(QStringLiteral(" · ")));
}

void AnswerColumn::finish(const Answer& answer) {
    m_liveTimer.stop();
    m_answer = answer;
    // The finished answer is authoritative (fully restored, nothing held back).
    if (!answer.text.isEmpty() || m_text.isEmpty())
        m_text = answer.text;
    m_renderTimer.stop();
    // The final layout waits its turn like the streaming ones: answers that end together (their last
    // chunks arrive in one batch of events) would otherwise lay out back to back in one pass, 5–10 ms
    // each for long answers.
    RenderQueue::instance().request(this, [this] { render(); });

    RequestState state = RequestState::Done;
    QString detail;
    if (answer.error && answer.error->type == ErrorType::Cancelled) {
        state = RequestState::Failed;
    } else if (answer.error) {
        state = RequestState::Failed;
    } else if (answer.cached) {
        state = RequestState::Cached;
    } else if (answer.fallbackFrom) {
        state = RequestState::FellBack;
        detail = tr("answered by %1 instead of %2").arg(answer.profile, *answer.fallbackFrom);
    }
    m_state = state;
    updateStateLabel(detail);
    if (answer.error && answer.error->type == ErrorType::Cancelled)
        m_stateLabel->setText(
            QStringLiteral("<span style=\"color:#808080\">■ %1</span>").arg(tr("cancelled")));
    m_finished = true;

    QStringList parts;
    if (answer.ttftMs)
        parts << tr("TTFT %1").arg(seconds(*answer.ttftMs));
    if (answer.latencyMs)
        parts << tr("total %1").arg(seconds(*answer.latencyMs));
    if (answer.usage.inputTokens || answer.usage.outputTokens) {
        auto count = [](const std::optional<qint64>& v) {
            return v ? QString::number(*v) : QStringLiteral("?");
        };
        parts << tr("%1 in / %2 out tok")
                     .arg(count(answer.usage.inputTokens), count(answer.usage.outputTokens));
    }
    if (answer.usage.outputTokens && answer.latencyMs) {
        const qint64 streamingMs = *answer.latencyMs - answer.ttftMs.value_or(0);
        if (streamingMs > 0 && *answer.usage.outputTokens > 0)
            parts << tr("%1 tok/s")
                         .arg(static_cast<double>(*answer.usage.outputTokens) * 1000.0 /
                                  static_cast<double>(streamingMs),
                              0, 'f', 0);
    }
    if (answer.cached)
        parts << tr("from cache, $0");
    else if (answer.costUsd)
        parts << QStringLiteral("$%1").arg(*answer.costUsd, 0, 'f', *answer.costUsd < 0.01 ? 5 : 3);
    else if (!answer.error)
        parts << tr("cost unknown");
    m_metricsLabel->setText(parts.isEmpty() ? QStringLiteral(" ") : parts.join(QStringLiteral(" · ")));

    if (answer.error && answer.error->type != ErrorType::Cancelled) {
        m_errorLabel->setText(ErrorHint::sentence(*answer.error, m_profile.name()));
        m_errorLabel->setVisible(true);
    }
    m_retryButton->setVisible(!answer.succeeded());
}

void AnswerColumn::mouseDoubleClickEvent(QMouseEvent* event) {
    emit maximizeRequested();
    QFrame::mouseDoubleClickEvent(event);
}

} // namespace parallax
