#include "TextPatch.h"

#include "text/TextEdit.h"

#include <QTextCursor>
#include <QTextDocument>

namespace parallax {

void TextPatch::apply(QTextDocument* document, const QString& shown, const QString& wanted) {
    // characterCount() counts the final paragraph separator too.
    if (document->characterCount() - 1 != shown.size()) {
        document->setPlainText(wanted);
        return;
    }
    const TextEdit edit = TextEdit::between(shown, wanted);
    if (edit.isEmpty())
        return;
    QTextCursor cursor(document);
    cursor.setPosition(int(edit.start));
    cursor.setPosition(int(edit.start + edit.removed), QTextCursor::KeepAnchor);
    cursor.insertText(wanted.mid(edit.start, edit.added));
    // "\r\n" becomes one paragraph break in a QTextDocument; a text that holds one cannot be patched
    // by offsets, so it is set whole.
    if (document->characterCount() - 1 != wanted.size())
        document->setPlainText(wanted);
}

} // namespace parallax
