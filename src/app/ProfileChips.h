#pragma once

#include "app/AppProfile.h"

#include <QList>
#include <QStringList>
#include <QWidget>

class QHBoxLayout;
class QToolButton;

namespace parallax {

/// The profile picker: one checkable chip per profile, at most `maxChecked` at once (the comparison
/// has room for eight columns), and a "+" chip that opens the providers dialog.
class ProfileChips : public QWidget {
    Q_OBJECT
public:
    static constexpr int maxChecked = 8;

    explicit ProfileChips(QWidget* parent = nullptr);

    /// Rebuilds the chips; names in `checked` that still exist stay checked.
    void setProfiles(const QList<AppProfile>& profiles, const QStringList& checked);
    QStringList checkedNames() const;
    void setChecked(const QString& name, bool checked);
    QToolButton* chip(const QString& name) const;

signals:
    void selectionChanged();
    void addRequested();

private:
    void enforceLimit();

    QHBoxLayout* m_layout;
    QList<QToolButton*> m_chips;
    QToolButton* m_addButton;
};

} // namespace parallax
