#pragma once

#include "batch/BatchItem.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <optional>

namespace parallax {

/// The batch panel's table: one row per item × profile, with its state and metrics. Built for 100,000
/// rows: each row is a small struct (answers stay in the database until a row is opened), views ask
/// only for visible rows, and item updates are coalesced into one dataChanged per refresh interval
/// instead of a signal per item. A state filter hides rows without rebuilding the model.
class BatchItemsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Id,
        Profile,
        State,
        Attempts,
        FirstToken,
        Latency,
        InputTokens,
        OutputTokens,
        Cost,
        Error,
        ColumnCount
    };
    enum Role { ItemIdRole = Qt::UserRole + 1, StateRole };

    explicit BatchItemsModel(QStringList profileNames, QObject* parent = nullptr);

private:
    struct Row {
        qint64 id = 0;
        QString itemId;
        int profileIndex = 0;
        BatchItem::State state = BatchItem::State::Pending;
        int attempts = 0;
        std::optional<qint64> ttftMs;
        std::optional<qint64> latencyMs;
        std::optional<qint64> inputTokens;
        std::optional<qint64> outputTokens;
        std::optional<double> costUsd;
        QString error;
    };

public:
    /// The rows of a job, built where waiting is cheap: parsing 100,000 answers takes longer than a
    /// frame, so a window builds this on a worker thread and hands it to setSnapshot().
    struct Snapshot {
        QList<Row> rows;

        /// What the rows' answers cost, as far as it is known (a reopened batch shows what it spent).
        double spentUsd() const;
    };
    static Snapshot snapshot(const QList<BatchItem>& items);

    /// Replaces every row (loading a job).
    void setItems(const QList<BatchItem>& items);
    void setSnapshot(Snapshot snapshot);
    /// Records a change; views hear of it at the next refresh (coalesced).
    void updateItem(const BatchItem& item);
    /// Only rows in this state are shown; empty shows all.
    void setStateFilter(std::optional<BatchItem::State> state);

    void setRefreshIntervalMs(int milliseconds) { m_refresh.setInterval(milliseconds); }
    /// Sends pending updates now (tests, and before closing).
    void flush();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    qint64 databaseId(int row) const;

private:
    static Row rowFrom(const BatchItem& item);
    void rebuildVisible();

    QStringList m_profiles;
    QList<Row> m_rows;
    QHash<qint64, int> m_rowOfId; // database id → index in m_rows
    QList<int> m_visible;         // indexes into m_rows that pass the filter
    std::optional<BatchItem::State> m_filter;
    QSet<int> m_dirty; // indexes into m_rows changed since the last refresh
    bool m_visibilityChanged = false;
    QTimer m_refresh;
};

} // namespace parallax
