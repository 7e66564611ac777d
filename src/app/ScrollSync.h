#pragma once

#include <QList>
#include <QObject>
#include <QPointer>
#include <QScrollBar>

namespace parallax {

/// Synchronized scrolling of the answer columns: when the reader scrolls one, the others follow to the
/// same relative place (answers differ in length, so "the same place" is the same fraction of each).
/// Only the reader's own scrolling is followed (wheel, keys, dragging: the scroll bar's actions), never
/// a column that keeps itself at the bottom while it streams, so one stream cannot drag the others.
class ScrollSync : public QObject {
    Q_OBJECT
public:
    explicit ScrollSync(QObject* parent = nullptr);

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    /// The scroll bars to keep together (the columns of the current comparison).
    void setScrollBars(const QList<QScrollBar*>& bars);

private:
    void follow(QScrollBar* leader);

    bool m_enabled = false;
    QList<QPointer<QScrollBar>> m_bars;
    QList<QMetaObject::Connection> m_connections;
};

} // namespace parallax
