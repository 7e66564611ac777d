#include "ProfileListModel.h"

#include "app/ProfileLibrary.h"

namespace parallax {

ProfileListModel::ProfileListModel(ProfileLibrary* library, QObject* parent)
    : QAbstractListModel(parent)
    , m_library(library) {
    connect(library, &ProfileLibrary::aboutToChange, this, &ProfileListModel::beginResetModel);
    connect(library, &ProfileLibrary::changed, this, &ProfileListModel::endResetModel);
}

int ProfileListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : int(m_library->size());
}

QVariant ProfileListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const AppProfile& profile = m_library->profiles().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return profile.demo ? tr("%1 (demo)").arg(profile.name()) : profile.name();
    case Qt::ToolTipRole:
        return QStringLiteral("%1 · %2").arg(providerKindName(profile.profile.kind), profile.profile.model);
    case NameRole:
        return profile.name();
    case DemoRole:
        return profile.demo;
    default:
        return {};
    }
}

QHash<int, QByteArray> ProfileListModel::roleNames() const {
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(NameRole, "name");
    names.insert(DemoRole, "demo");
    return names;
}

} // namespace parallax
