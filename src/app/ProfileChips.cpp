#include "ProfileChips.h"

#include <QHBoxLayout>
#include <QSignalBlocker>
#include <QToolButton>

namespace parallax {

namespace {
// Rounded, tinted when checked: reads as a toggle at a glance in both light and dark palettes.
const char* chipStyle = R"(
QToolButton#profileChip { border: 1px solid palette(mid); border-radius: 11px; padding: 2px 10px; }
QToolButton#profileChip:checked { background: palette(highlight); color: palette(highlighted-text);
                                  border-color: palette(highlight); }
QToolButton#profileChip:disabled { color: palette(placeholder-text); }
)";
} // namespace

ProfileChips::ProfileChips(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("profileChips"));
    setStyleSheet(QString::fromLatin1(chipStyle));
    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(6);
    m_addButton = new QToolButton(this);
    m_addButton->setObjectName(QStringLiteral("addProfileButton"));
    m_addButton->setText(QStringLiteral("+"));
    m_addButton->setToolTip(tr("Add or edit provider profiles"));
    m_addButton->setAutoRaise(true);
    connect(m_addButton, &QToolButton::clicked, this, &ProfileChips::addRequested);
    m_layout->addWidget(m_addButton);
    m_layout->addStretch(1);
}

void ProfileChips::setProfiles(const QList<AppProfile>& profiles, const QStringList& checked) {
    qDeleteAll(m_chips);
    m_chips.clear();
    int index = 0;
    for (const AppProfile& profile : profiles) {
        auto* chip = new QToolButton(this);
        chip->setObjectName(QStringLiteral("profileChip"));
        chip->setProperty("profileName", profile.name());
        chip->setText(profile.name());
        chip->setCheckable(true);
        chip->setChecked(checked.contains(profile.name()));
        QString tip =
            QStringLiteral("%1 · %2").arg(providerKindName(profile.profile.kind), profile.profile.model);
        if (!profile.description.isEmpty())
            tip += QLatin1Char('\n') + profile.description;
        chip->setToolTip(tip);
        connect(chip, &QToolButton::toggled, this, [this, chip](bool on) {
            if (on && checkedNames().size() > maxChecked) {
                const QSignalBlocker blocker(chip); // a ninth column has no room: undo quietly
                chip->setChecked(false);
                return;
            }
            enforceLimit();
            emit selectionChanged();
        });
        m_layout->insertWidget(index++, chip);
        m_chips.append(chip);
    }
    enforceLimit();
    emit selectionChanged();
}

QStringList ProfileChips::checkedNames() const {
    QStringList names;
    for (QToolButton* chip : m_chips) {
        if (chip->isChecked())
            names.append(chip->property("profileName").toString());
    }
    return names;
}

void ProfileChips::setChecked(const QString& name, bool checked) {
    if (QToolButton* button = chip(name))
        button->setChecked(checked);
}

QToolButton* ProfileChips::chip(const QString& name) const {
    for (QToolButton* chip : m_chips) {
        if (chip->property("profileName").toString() == name)
            return chip;
    }
    return nullptr;
}

void ProfileChips::enforceLimit() {
    const bool full = checkedNames().size() >= maxChecked;
    for (QToolButton* chip : m_chips) {
        chip->setEnabled(chip->isChecked() || !full);
        if (!chip->isChecked() && full)
            chip->setToolTip(chip->toolTip().section(QLatin1Char('\n'), 0, 0) +
                             tr("\nAt most %1 profiles can be compared at once.").arg(maxChecked));
    }
}

} // namespace parallax
