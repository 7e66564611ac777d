#pragma once

#include <QString>

namespace parallax {

/// Public-suffix checks through libpsl's built-in list (Presidio uses tldextract for the same
/// purpose): "presidio.site" has a registrable domain, "presidio." and "microsoft" do not.
class PublicSuffix {
public:
    /// True when `host` (ASCII, punycode or UTF-8) ends in a public suffix with a label before it.
    static bool hasRegistrableDomain(const QString& host);
};

} // namespace parallax
