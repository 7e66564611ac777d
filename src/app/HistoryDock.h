#pragma once

#include <QDockWidget>
#include <QTimer>

class QLineEdit;
class QListView;

namespace parallax {

class HistoryModel;
class HistoryStore;

/// Past comparisons, newest first, searchable; activating one reopens it (its prompt in the editor, its
/// answers in the columns).
/// The list is loaded on the GUI thread: the history's SQLite connection belongs to this thread (Qt SQL
/// connections cannot cross threads), and one indexed query of 200 rows takes a millisecond or two.
class HistoryDock : public QDockWidget {
    Q_OBJECT
public:
    explicit HistoryDock(HistoryStore* store, QWidget* parent = nullptr);

    static constexpr int limit = 200;
    HistoryModel* model() const { return m_model; }

public slots:
    void reload();

signals:
    /// The run with this request id (HistoryStore::load) is to be shown again.
    void reopenRequested(const QString& requestId);

private:
    HistoryStore* m_store;
    HistoryModel* m_model;
    QLineEdit* m_search;
    QListView* m_list;
    QTimer m_searchDelay;
};

} // namespace parallax
