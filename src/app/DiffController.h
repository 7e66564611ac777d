#pragma once

#include "text/WordDiff.h"

#include <QFutureWatcher>
#include <QList>
#include <QObject>
#include <QPointer>

namespace parallax {

class AnswerColumn;

/// Diff mode of the comparison: one column is the base, every other finished column shows its words
/// against it. The diffs are computed on the thread pool (an answer can be pages long); one job runs
/// at a time, a request made meanwhile runs after it, and a result that no longer matches the columns'
/// texts or the base is dropped instead of painted.
class DiffController : public QObject {
    Q_OBJECT
public:
    explicit DiffController(QObject* parent = nullptr);
    ~DiffController() override;

    /// A new comparison's columns. The base stays the same position when it still exists.
    void setColumns(const QList<AnswerColumn*>& columns);
    /// The base column, or -1 to leave diff mode.
    void setBase(int column);
    int base() const { return m_base; }
    bool isBusy() const;

    /// Computes again (an answer finished, or a retried one did).
    void refresh();

signals:
    /// The columns show the diffs of the current texts and base (or none, when diff mode is off).
    void applied();
    void baseChanged(int column);

private:
    struct Job {
        quint64 generation = 0;
        QString base;
        QList<int> columns;
        QStringList texts;
    };
    struct Result {
        quint64 generation = 0;
        QList<int> columns;
        QList<QList<WordDiff::Segment>> diffs;
    };

    void start();
    void onFinished();

    QList<QPointer<AnswerColumn>> m_columns;
    int m_base = -1;
    quint64 m_generation = 0; ///< bumped by every change; results of older generations are stale
    bool m_pending = false;
    QFutureWatcher<Result>* m_watcher;
};

} // namespace parallax
