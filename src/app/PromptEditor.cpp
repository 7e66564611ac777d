#include "PromptEditor.h"

#include "app/SpanHighlighter.h"

#include <QActionGroup>
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

    QTextCharFormat masked;
    masked.setBackground(QColor(255, 170, 0, 70)); // readable in light and dark themes
    masked.setUnderlineStyle(QTextCharFormat::SingleUnderline);
    masked.setUnderlineColor(QColor(230, 126, 34));
    QTextCharFormat sentAsTyped; // allowed, or a weak suggestion
    sentAsTyped.setUnderlineStyle(QTextCharFormat::DotLine);
    sentAsTyped.setUnderlineColor(QColor(128, 128, 128));
    m_highlighter = new SpanHighlighter(document(), {masked, sentAsTyped}, [](const Span& span) {
        return span.placeholder.isEmpty() ? SentAsTyped : Masked;
    });
}

void PromptEditor::setSpans(const QList<Span>& spans) {
    m_highlighter->setSpans(spans);
}

const QList<Span>& PromptEditor::spans() const {
    return m_highlighter->spans();
}

std::optional<Span> PromptEditor::spanAt(int position) const {
    return m_highlighter->spanAt(position);
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
        menu->insertMenu(first, createModeMenu(span->type, menu));
        menu->insertSeparator(first);
    }
    return menu;
}

QMenu* PromptEditor::createModeMenu(const QString& type, QMenu* parent) {
    auto* modes = new QMenu(tr("Change mode for every %1").arg(type), parent);
    modes->setObjectName(QStringLiteral("changeModeMenu"));
    modes->setToolTip(tr("Saved in settings.json (sanitize ▸ modes); applies to every value of this type"));
    auto* group = new QActionGroup(modes);
    const RedactionMode current = m_modes.value(type, RedactionMode::Placeholder);
    const struct {
        RedactionMode mode;
        const char* objectName;
        QString text;
    } choices[] = {
        {RedactionMode::Placeholder, "modePlaceholderAction",
         tr("Placeholder: send [%1_1], put the value back in the answers").arg(type)},
        {RedactionMode::Mask, "modeMaskAction", tr("Mask: send ****, keep the last four characters")},
        {RedactionMode::Allow, "modeAllowAction", tr("Allow: send as typed")},
    };
    for (const auto& choice : choices) {
        QAction* action = modes->addAction(choice.text);
        action->setObjectName(QLatin1String(choice.objectName));
        action->setCheckable(true);
        action->setChecked(choice.mode == current);
        group->addAction(action);
        connect(action, &QAction::triggered, this,
                [this, type, mode = choice.mode] { emit redactionModeRequested(type, mode); });
    }
    return modes;
}

void PromptEditor::contextMenuEvent(QContextMenuEvent* event) {
    QMenu* menu = createMenuAt(cursorForPosition(event->pos()).position());
    menu->setAttribute(Qt::WA_DeleteOnClose);
    menu->popup(event->globalPos());
}

} // namespace parallax
