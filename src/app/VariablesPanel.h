#pragma once

#include <QHash>
#include <QStringList>
#include <QWidget>

class QFormLayout;
class QLineEdit;

namespace parallax {

/// The values of the `{{variables}}` the prompt and system prompt use: one field per name, in the order
/// the names first appear, shown only while the text uses any. A value is kept when its name disappears
/// and comes back (a placeholder cut and pasted), but only for this window: values may be personal, so
/// they are never written to disk.
class VariablesPanel : public QWidget {
    Q_OBJECT
public:
    explicit VariablesPanel(QWidget* parent = nullptr);

    /// The names the text uses now; fields are added, removed and reordered to match.
    void setNames(const QStringList& names);
    QStringList names() const { return m_names; }
    /// The value of every shown name whose field has been filled in (an empty field is a missing value).
    QHash<QString, QString> values() const;
    /// The field of `name`, or null.
    QLineEdit* field(const QString& name) const;
    /// Marks the fields of `names` as still to be filled in, and puts the cursor in the first.
    void showMissing(const QStringList& names);

signals:
    void valuesChanged();

private:
    QLineEdit* fieldFor(const QString& name);

    QFormLayout* m_form;
    QStringList m_names;
    QHash<QString, QLineEdit*> m_fields; ///< every name seen in this window, shown or not
};

} // namespace parallax
