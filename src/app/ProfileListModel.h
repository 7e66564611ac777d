#pragma once

#include <QAbstractListModel>

namespace parallax {

class ProfileLibrary;

/// The profiles of a ProfileLibrary as a list: name, with kind and model as the tooltip.
class ProfileListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1, DemoRole };

    explicit ProfileListModel(ProfileLibrary* library, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    ProfileLibrary* m_library;
};

} // namespace parallax
