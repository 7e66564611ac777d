#include "BatchItemsModel.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace parallax {

BatchItemsModel::BatchItemsModel(QStringList profileNames, QObject* parent)
    : QAbstractTableModel(parent)
    , m_profiles(std::move(profileNames)) {
    m_refresh.setInterval(100); // a dozen refreshes a second look live without flooding the view
    m_refresh.setSingleShot(true);
    connect(&m_refresh, &QTimer::timeout, this, &BatchItemsModel::flush);
}

BatchItemsModel::Row BatchItemsModel::rowFrom(const BatchItem& item) {
    Row row;
    row.id = item.id;
    row.itemId = item.itemId;
    row.profileIndex = item.profileIndex;
    row.state = item.state;
    row.attempts = item.attempts;
    if (!item.answerJson.isEmpty()) {
        const QJsonObject answer = QJsonDocument::fromJson(item.answerJson.toUtf8()).object();
        const auto integer = [](const QJsonValue& value) {
            return value.isDouble() ? std::optional<qint64>(value.toInteger()) : std::nullopt;
        };
        row.ttftMs = integer(answer.value(QLatin1String("ttft_ms")));
        row.latencyMs = integer(answer.value(QLatin1String("latency_ms")));
        const QJsonObject usage = answer.value(QLatin1String("usage")).toObject();
        row.inputTokens = integer(usage.value(QLatin1String("input_tokens")));
        row.outputTokens = integer(usage.value(QLatin1String("output_tokens")));
        if (answer.value(QLatin1String("cost_usd")).isDouble())
            row.costUsd = answer.value(QLatin1String("cost_usd")).toDouble();
        row.error =
            answer.value(QLatin1String("error")).toObject().value(QLatin1String("message")).toString();
    }
    return row;
}

BatchItemsModel::Snapshot BatchItemsModel::snapshot(const QList<BatchItem>& items) {
    Snapshot snapshot;
    snapshot.rows.reserve(items.size());
    for (const BatchItem& item : items)
        snapshot.rows.append(rowFrom(item));
    return snapshot;
}

double BatchItemsModel::Snapshot::spentUsd() const {
    double sum = 0;
    for (const Row& row : rows)
        sum += row.costUsd.value_or(0);
    return sum;
}

void BatchItemsModel::setItems(const QList<BatchItem>& items) {
    setSnapshot(snapshot(items));
}

void BatchItemsModel::setSnapshot(Snapshot snapshot) {
    beginResetModel();
    m_rows = std::move(snapshot.rows);
    m_rowOfId.clear();
    m_rowOfId.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i)
        m_rowOfId.insert(m_rows.at(i).id, i);
    m_dirty.clear();
    m_visibilityChanged = false;
    rebuildVisible();
    endResetModel();
}

void BatchItemsModel::rebuildVisible() {
    m_visible.clear();
    m_visible.reserve(m_rows.size());
    for (int i = 0; i < m_rows.size(); ++i) {
        if (!m_filter || m_rows.at(i).state == *m_filter)
            m_visible.append(i);
    }
}

void BatchItemsModel::updateItem(const BatchItem& item) {
    const auto it = m_rowOfId.constFind(item.id);
    if (it == m_rowOfId.constEnd())
        return;
    Row& row = m_rows[*it];
    const BatchItem::State before = row.state;
    // An update carries the answer only when it finished; keep what is known otherwise.
    Row updated = item.answerJson.isEmpty() ? row : rowFrom(item);
    updated.state = item.state;
    updated.attempts = qMax(row.attempts, item.attempts);
    row = updated;
    if (m_filter && before != row.state)
        m_visibilityChanged = true;
    m_dirty.insert(*it);
    if (!m_refresh.isActive())
        m_refresh.start();
}

void BatchItemsModel::setStateFilter(std::optional<BatchItem::State> state) {
    if (state == m_filter)
        return;
    flush();
    beginResetModel();
    m_filter = state;
    rebuildVisible();
    endResetModel();
}

void BatchItemsModel::flush() {
    m_refresh.stop();
    if (m_visibilityChanged) {
        // Rows entered or left the filter: a reset is cheaper than many inserts and removals.
        beginResetModel();
        rebuildVisible();
        m_visibilityChanged = false;
        m_dirty.clear();
        endResetModel();
        return;
    }
    if (m_dirty.isEmpty() || m_visible.isEmpty())
        return;
    // One dataChanged spanning the changed visible rows.
    int first = INT_MAX;
    int last = -1;
    for (int index : std::as_const(m_dirty)) {
        const auto position = std::lower_bound(m_visible.cbegin(), m_visible.cend(), index);
        if (position == m_visible.cend() || *position != index)
            continue;
        const int visibleRow = static_cast<int>(position - m_visible.cbegin());
        first = qMin(first, visibleRow);
        last = qMax(last, visibleRow);
    }
    m_dirty.clear();
    if (last >= 0)
        emit dataChanged(this->index(first, 0), this->index(last, ColumnCount - 1));
}

int BatchItemsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_visible.size());
}

int BatchItemsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 BatchItemsModel::databaseId(int row) const {
    return row >= 0 && row < m_visible.size() ? m_rows.at(m_visible.at(row)).id : 0;
}

QVariant BatchItemsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(m_visible.at(index.row()));
    if (role == ItemIdRole)
        return row.id;
    if (role == StateRole)
        return static_cast<int>(row.state);
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Attempts && index.column() <= Cost
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const auto number = [](const std::optional<qint64>& value) {
        return value ? QVariant(*value) : QVariant();
    };
    switch (index.column()) {
    case Id:
        return row.itemId;
    case Profile:
        return m_profiles.value(row.profileIndex);
    case State:
        return BatchItem::stateName(row.state);
    case Attempts:
        return row.attempts;
    case FirstToken:
        return number(row.ttftMs);
    case Latency:
        return number(row.latencyMs);
    case InputTokens:
        return number(row.inputTokens);
    case OutputTokens:
        return number(row.outputTokens);
    case Cost:
        return row.costUsd ? QVariant(QStringLiteral("$%1").arg(*row.costUsd, 0, 'f', 6)) : QVariant();
    case Error:
        return row.error;
    default:
        return {};
    }
}

QVariant BatchItemsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const QStringList titles{
        tr("ID"),         tr("Profile"),   tr("State"),      tr("Attempts"), tr("First token (ms)"),
        tr("Total (ms)"), tr("Tokens in"), tr("Tokens out"), tr("Cost"),     tr("Error")};
    return titles.value(section);
}

} // namespace parallax
