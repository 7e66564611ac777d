#pragma once

#include "batch/BatchItem.h"

#include <QDialog>
#include <QList>
#include <QStringList>

namespace parallax {

/// One input row of a batch: its prompt (and system prompt) above, each profile's answer side by side
/// below with its state and metrics, or the error that ended it.
class BatchItemDialog : public QDialog {
    Q_OBJECT
public:
    /// `items` are the row's items, one per profile (BatchStore::rowItems); `profileNames` by index.
    BatchItemDialog(const QList<BatchItem>& items, const QStringList& profileNames,
                    QWidget* parent = nullptr);

    /// The text shown for each profile, in profile order (tests).
    QStringList answerTexts() const { return m_answerTexts; }

private:
    QStringList m_answerTexts;
};

} // namespace parallax
