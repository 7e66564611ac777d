#include "VariablesPanel.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace parallax {

VariablesPanel::VariablesPanel(QWidget* parent)
    : QWidget(parent)
    , m_form(new QFormLayout(this)) {
    setObjectName(QStringLiteral("variablesPanel"));
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    setToolTip(tr("Values for the {{variables}} in the prompt. What is sent, and what the preview shows, "
                  "is the prompt with these filled in."));
    setVisible(false);
}

QLineEdit* VariablesPanel::fieldFor(const QString& name) {
    if (QLineEdit* existing = m_fields.value(name))
        return existing;
    auto* field = new QLineEdit(this);
    field->setObjectName(QStringLiteral("variable_") + name);
    field->setPlaceholderText(tr("value of {{%1}}").arg(name));
    field->setClearButtonEnabled(true);
    connect(field, &QLineEdit::textChanged, this, [this, field] {
        field->setStyleSheet(QString());
        emit valuesChanged();
    });
    m_fields.insert(name, field);
    return field;
}

void VariablesPanel::setNames(const QStringList& names) {
    if (names == m_names)
        return;
    // Take every row out (fields are kept, with their values), then lay out the current names.
    while (m_form->rowCount() > 0) {
        const QFormLayout::TakeRowResult row = m_form->takeRow(0);
        delete row.labelItem->widget();
        delete row.labelItem;
        row.fieldItem->widget()->hide();
        delete row.fieldItem;
    }
    m_names = names;
    for (const QString& name : names) {
        QLineEdit* field = fieldFor(name);
        auto* label = new QLabel(QStringLiteral("{{%1}}").arg(name), this);
        label->setBuddy(field);
        m_form->addRow(label, field);
        field->show();
    }
    setVisible(!names.isEmpty());
    emit valuesChanged();
}

QHash<QString, QString> VariablesPanel::values() const {
    QHash<QString, QString> values;
    for (const QString& name : m_names) {
        const QString text = m_fields.value(name)->text();
        if (!text.isEmpty())
            values.insert(name, text);
    }
    return values;
}

QLineEdit* VariablesPanel::field(const QString& name) const {
    return m_names.contains(name) ? m_fields.value(name) : nullptr;
}

void VariablesPanel::showMissing(const QStringList& names) {
    for (const QString& name : names) {
        if (QLineEdit* missing = field(name))
            missing->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #c0392b; }"));
    }
    if (QLineEdit* first = names.isEmpty() ? nullptr : field(names.first()))
        first->setFocus();
}

} // namespace parallax
