#pragma once

#include <QAbstractListModel>
#include <QStringList>

namespace parallax {

/// The fallback choice of one profile: every other profile as a checkable row, the checked ones first in
/// the order they are tried. Entries of the saved chain that are no profile of the list (KIND:MODEL
/// specs written by hand, or a name not known here) stay as checked rows, so saving loses none of them.
class FallbackChainModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { EntryRole = Qt::UserRole + 1 };

    explicit FallbackChainModel(QObject* parent = nullptr);

    /// `profiles`: the profiles that may be chosen, in the order they are listed; `chain`: the saved chain
    /// of the profile named `self` (an entry naming it is shown as such, so that it can be unchecked).
    void setChoices(const QStringList& profiles, const QStringList& chain, const QString& self = {});
    /// The checked entries, in row order: what is saved.
    QStringList chain() const;

    /// Moves a row one place up or down; false at the edge.
    bool moveUp(int row);
    bool moveDown(int row);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    struct Row {
        QString entry;
        bool checked = false;
        bool known = true; ///< one of the listed profiles
        bool self = false; ///< the profile whose chain this is
    };

    bool swap(int row, int other);

    QList<Row> m_rows;
};

} // namespace parallax
