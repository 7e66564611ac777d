#pragma once

#include "sanitize/RedactionMode.h"
#include "sanitize/Span.h"

#include <QHash>
#include <QList>
#include <QPlainTextEdit>

#include <optional>

namespace parallax {

class SpanHighlighter;

/// The prompt editor. Detected personal data and secrets are highlighted (SpanHighlighter: the
/// highlights follow later edits until the next scan arrives, and stay cheap on a megabyte of text);
/// hovering a span names its type and rule; its context menu offers "allow once", "always allow" and a
/// choice of mode for every value of its type.
class PromptEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit PromptEditor(QWidget* parent = nullptr);

    /// Spans of the current text. `replaced` holds, per span, the placeholder that replaces it in the
    /// outgoing text (empty: left as typed).
    void setSpans(const QList<Span>& spans);
    /// The spans, moved along with the edits made since the last setSpans().
    const QList<Span>& spans() const;
    /// The span under a text position, if any.
    std::optional<Span> spanAt(int position) const;
    /// The tooltip text for a span.
    static QString describe(const Span& span);
    /// The highlighter, for tests: what is drawn, and whether it is still catching up.
    SpanHighlighter* highlighter() const { return m_highlighter; }
    /// Highlight styles: to be masked (a warm background), found but sent as typed (a dotted underline).
    enum Style { Masked = 0, SentAsTyped = 1 };
    /// The context menu for a text position (exposed so tests can drive it without a popup).
    QMenu* createMenuAt(int position);
    /// The modes the current highlights were computed with (types not listed: placeholder), so the
    /// menu can tick the current one.
    void setRedactionModes(const QHash<QString, RedactionMode>& modes) { m_modes = modes; }

signals:
    void allowOnceRequested(const QString& value);
    void alwaysAllowRequested(const QString& value);
    /// The user chose how every value of `type` is sent from now on.
    void redactionModeRequested(const QString& type, parallax::RedactionMode mode);

protected:
    bool event(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    QMenu* createModeMenu(const QString& type, QMenu* parent);

    SpanHighlighter* m_highlighter;
    QHash<QString, RedactionMode> m_modes;
};

} // namespace parallax
