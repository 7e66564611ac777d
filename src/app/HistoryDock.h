#pragma once

#include <QDockWidget>
#include <QTimer>

class QLineEdit;
class QListView;

namespace parallax {

class HistoryModel;
class HistoryStore;

/// Past comparisons, newest first, searchable; activating one puts its prompt back in the editor.
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
    void reopenRequested(const QString& systemPrompt, const QString& prompt);

private:
    HistoryStore* m_store;
    HistoryModel* m_model;
    QLineEdit* m_search;
    QListView* m_list;
    QTimer m_searchDelay;
};

} // namespace parallax
