#pragma once

#include "sanitize/Span.h"

#include <QList>
#include <QRegularExpression>
#include <QStringList>

namespace parallax {

/// Finds phone numbers with libphonenumber's PhoneNumberMatcher at leniency VALID (as Presidio
/// does), which rejects dates, timestamps and numbers that are impossible in the region.
/// The matcher is slow compared with a regex, so a cheap candidate regex picks the digit runs
/// and only a small window around each candidate is handed to libphonenumber.
class PhoneNumberFinder {
public:
    /// `regions` are ISO 3166 codes ("US", "DE"); numbers written with "+" are found regardless.
    /// Empty means the system locale's territory, falling back to US.
    explicit PhoneNumberFinder(const QStringList& regions = {});

    /// Ranges (UTF-16 offsets into `text`) of the phone numbers found, sorted and disjoint.
    QList<TextRange> find(QStringView text) const;

    const QStringList& regions() const { return m_regions; }
    /// The region implied by QLocale::system(), or "US".
    static QString defaultRegion();

private:
    QStringList m_regions;
    QRegularExpression m_candidate;
    QRegularExpression m_date;
};

} // namespace parallax
