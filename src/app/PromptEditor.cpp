#include "PromptEditor.h"

#include <QContextMenuEvent>
#include <QHelpEvent>
#include <QMenu>
#include <QTextBlock>
#include <QToolTip>

namespace parallax {

PromptEditor::PromptEditor(QWidget* parent)
    : QPlainTextEdit(parent) {
    setObjectName(QStringLiteral("promptEditor"));
    setPlaceholderText(tr("Ask something… Ctrl+Enter sends it to every checked profile.\n"
                          "E-mail addresses, card numbers, keys and other personal data are highlighted "
                          "and masked before anything leaves this machine."));
    setTabChangesFocus(true);
}

void PromptEditor::setSpans(const QList<Span>& spans) {
    m_spans = spans;
    QList<QTextEdit::ExtraSelection> selections;
    const int length = document()->characterCount() - 1;
    for (const Span& span : spans) {
        if (span.start < 0 || span.end > length || span.start >= span.end)
            continue;
        QTextEdit::ExtraSelection selection;
        selection.cursor = QTextCursor(document());
        selection.cursor.setPosition(int(span.start));
        selection.cursor.setPosition(int(span.end), QTextCursor::KeepAnchor);
        if (!span.placeholder.isEmpty()) {
            // Will be masked: a warm background, readable in light and dark themes.
            selection.format.setBackground(QColor(255, 170, 0, 70));
            selection.format.setUnderlineStyle(QTextCharFormat::SingleUnderline);
            selection.format.setUnderlineColor(QColor(230, 126, 34));
        } else {
            // Found but sent as typed (allowed, or a weak suggestion): only a dotted underline.
            selection.format.setUnderlineStyle(QTextCharFormat::DotLine);
            selection.format.setUnderlineColor(QColor(128, 128, 128));
        }
        selection.format.setProperty(QTextFormat::UserProperty, span.type);
        selections.append(selection);
    }
    setExtraSelections(selections);
}

std::optional<Span> PromptEditor::spanAt(int position) const {
    for (const Span& span : m_spans) {
        if (position >= span.start && position < span.end)
            return span;
    }
    return std::nullopt;
}

QString PromptEditor::describe(const Span& span) {
    QString text = tr("%1 (rule: %2)").arg(span.type, span.rule);
    if (!span.placeholder.isEmpty())
        text += tr("\nSent as %1; the real value is put back in the answers on this machine.")
                    .arg(span.placeholder);
    else if (span.suggestion)
        text += tr("\nA weak match: shown, but sent as typed.");
    else
        text += tr("\nAllowed: sent as typed.");
    return text;
}

bool PromptEditor::event(QEvent* event) {
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QTextCursor cursor = cursorForPosition(viewport()->mapFromGlobal(help->globalPos()));
        if (auto span = spanAt(cursor.position()))
            QToolTip::showText(help->globalPos(), describe(*span), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QPlainTextEdit::event(event);
}

QMenu* PromptEditor::createMenuAt(int position) {
    QMenu* menu = createStandardContextMenu();
    if (auto span = spanAt(position)) {
        const QString value = toPlainText().mid(span->start, span->length());
        QString shown = value.size() > 32 ? value.left(29) + QStringLiteral("…") : value;
        QAction* first = menu->actions().value(0);
        auto* header = new QAction(tr("%1 (%2)").arg(span->type, span->rule), menu);
        header->setEnabled(false);
        auto* once = new QAction(tr("Allow “%1” once").arg(shown), menu);
        once->setObjectName(QStringLiteral("allowOnceAction"));
        once->setToolTip(tr("Send this value as typed in the next request only"));
        auto* always = new QAction(tr("Always allow “%1”").arg(shown), menu);
        always->setObjectName(QStringLiteral("alwaysAllowAction"));
        connect(once, &QAction::triggered, this, [this, value] { emit allowOnceRequested(value); });
        connect(always, &QAction::triggered, this, [this, value] { emit alwaysAllowRequested(value); });
        once->setEnabled(!span->placeholder.isEmpty());
        menu->insertAction(first, header);
        menu->insertAction(first, once);
        menu->insertAction(first, always);
        menu->insertSeparator(first);
    }
    return menu;
}

void PromptEditor::contextMenuEvent(QContextMenuEvent* event) {
    QMenu* menu = createMenuAt(cursorForPosition(event->pos()).position());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

} // namespace parallax
