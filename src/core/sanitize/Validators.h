#pragma once

#include <QString>
#include <QStringView>

namespace parallax {

/// Checksum and structure checks run after a rule's regex matched. Each takes the matched text as
/// written (separators included) and returns whether it is a plausible real value. Pure functions,
/// safe from any thread.
class Validators {
public:
    /// Luhn over the digits of `text` (spaces and '-' ignored); 12..19 digits required.
    static bool luhn(QStringView text);
    /// ISO 13616: country length table, then mod-97 == 1. Spaces and '-' between groups allowed.
    static bool iban(QStringView text);
    /// SSA rules: area not 000/666/900-999, group not 00, serial not 0000, one delimiter style,
    /// not all one digit, not a published sample (123-45-6789, 078-05-1120).
    static bool usSsn(QStringView text);
    /// IPv4 dotted quad or IPv6 (zone id and /prefix allowed), parsed by QHostAddress.
    static bool ipAddress(QStringView text);
    /// 6 octets with ':' or '-' (one style) or Cisco dotted; all-zero and broadcast rejected.
    static bool macAddress(QStringView text);
    /// Bitcoin P2PKH/P2SH Base58Check (double SHA-256) or SegWit Bech32/Bech32m (BIP-173/350).
    static bool bitcoinAddress(QStringView text);
    /// Shannon entropy in bits per character.
    static double shannonEntropy(QStringView text);
    /// shannonEntropy(text) < threshold, decided without the logarithms when the most frequent
    /// character alone shows the entropy is well above the threshold.
    static bool entropyBelow(QStringView text, double threshold);
    /// gitleaks' global allowlist for secret values: templating (`${VAR}`, `{{ x }}`, `%s`,
    /// `<token>`), runs of one character (`xxxx`, `****`), `…EXAMPLE`, `true/false/null`,
    /// the alphabet, paths. Such values are documentation, not secrets.
    static bool looksLikeSecretPlaceholder(QStringView value);
};

} // namespace parallax
