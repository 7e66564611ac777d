#include "FallbackChainModel.h"

#include "providers/ProfileSpec.h"

#include <algorithm>

namespace parallax {

FallbackChainModel::FallbackChainModel(QObject* parent)
    : QAbstractListModel(parent) {}

void FallbackChainModel::setChoices(const QStringList& profiles, const QStringList& chain,
                                    const QString& self) {
    beginResetModel();
    m_rows.clear();
    QStringList listed;
    for (const QString& entry : chain) {
        if (entry.isEmpty() || listed.contains(entry))
            continue;
        listed.append(entry);
        m_rows.append(Row{entry, true, profiles.contains(entry), !self.isEmpty() && entry == self});
    }
    for (const QString& profile : profiles) {
        if (!listed.contains(profile))
            m_rows.append(Row{profile, false, true, false});
    }
    endResetModel();
}

QStringList FallbackChainModel::chain() const {
    QStringList entries;
    for (const Row& row : m_rows) {
        if (row.checked)
            entries.append(row.entry);
    }
    return entries;
}

bool FallbackChainModel::moveUp(int row) {
    return swap(row, row - 1);
}

bool FallbackChainModel::moveDown(int row) {
    return swap(row, row + 1);
}

bool FallbackChainModel::swap(int row, int other) {
    if (row < 0 || other < 0 || row >= m_rows.size() || other >= m_rows.size() || row == other)
        return false;
    const int first = std::min(row, other);
    // Moving the upper row below the lower one: Qt's destination is the row it lands before.
    if (!beginMoveRows({}, first, first, {}, first + 2))
        return false;
    m_rows.move(first, first + 1);
    endMoveRows();
    return true;
}

int FallbackChainModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant FallbackChainModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (row.self)
            return tr("%1 (this profile itself: uncheck it)").arg(row.entry);
        if (row.known)
            return row.entry;
        return ProfileSpec::looksLikeSpec(row.entry) ? tr("%1 (model without a profile)").arg(row.entry)
                                                     : tr("%1 (no such profile)").arg(row.entry);
    case Qt::ToolTipRole:
        if (row.self)
            return tr("A profile cannot fall back to itself.");
        if (row.known)
            return tr("Tried in this order when the profile fails; uncheck to leave it out.");
        return ProfileSpec::looksLikeSpec(row.entry)
                   ? tr("Written in settings.json as KIND:MODEL; its key comes from the environment, as "
                        "for parallax-cli.")
                   : tr("No profile has this name now: uncheck it, or add a profile of that name.");
    case Qt::CheckStateRole:
        return row.checked ? Qt::Checked : Qt::Unchecked;
    case EntryRole:
        return row.entry;
    default:
        return {};
    }
}

bool FallbackChainModel::setData(const QModelIndex& index, const QVariant& value, int role) {
    if (role != Qt::CheckStateRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    const bool checked = value.toInt() == Qt::Checked;
    Row& row = m_rows[index.row()];
    if (row.checked == checked)
        return true;
    row.checked = checked;
    emit dataChanged(index, index, {Qt::CheckStateRole});
    return true;
}

Qt::ItemFlags FallbackChainModel::flags(const QModelIndex& index) const {
    // Views ask for the flags of the root too: it has none, and that is no misuse to warn about.
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> FallbackChainModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(EntryRole, "entry");
    return names;
}

} // namespace parallax
