#pragma once

#include "sanitize/Span.h"

#include <QList>
#include <QPlainTextEdit>

#include <optional>

namespace parallax {

/// The prompt editor. Detected personal data and secrets are highlighted (ExtraSelections, whose cursors
/// follow later edits until the next scan arrives); hovering a span names its type and rule; its
/// context menu offers "allow once" and "always allow".
class PromptEditor : public QPlainTextEdit {
    Q_OBJECT
public:
    explicit PromptEditor(QWidget* parent = nullptr);

    /// Spans of the current text. `replaced` holds, per span, the placeholder that replaces it in the
    /// outgoing text (empty: left as typed).
    void setSpans(const QList<Span>& spans);
    const QList<Span>& spans() const { return m_spans; }
    /// The span under a text position, if any.
    std::optional<Span> spanAt(int position) const;
    /// The tooltip text for a span.
    static QString describe(const Span& span);
    /// The context menu for a text position (exposed so tests can drive it without a popup).
    QMenu* createMenuAt(int position);

signals:
    void allowOnceRequested(const QString& value);
    void alwaysAllowRequested(const QString& value);

protected:
    bool event(QEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    QList<Span> m_spans;
};

} // namespace parallax
