#pragma once
// An invoice as a Factur-X document (docs/billing.md, "Factur-X"): a UN/CEFACT CII invoice of the
// EN 16931 profile, and the PDF/A-3 that shows it and carries it as `factur-x.xml`. Pure apart from
// reading the fonts and the colour profile: the same document gives the same figures in both.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mnemos::billing::facturx {

struct Party {
  std::string name;
  std::string address;
  std::string postal_code;
  std::string city;
  std::string country = "FR";  // ISO 3166 alpha-2
  std::optional<std::string> siren;
  std::optional<std::string> siret;
  std::optional<std::string> vat_number;
  std::optional<std::string> electronic_address;  // e-invoicing address (an email here)
};

// The platform's company (MNEMOS_SELLER_*, docs/configuration.md).
struct Seller : Party {
  std::string legal_mentions;  // "SAS au capital de 10 000 € · RCS Paris 100 000 009"
  std::string iban;
  std::string bic;
};

struct Line {
  std::string label;   // "Forfait Établissement"
  std::string detail;  // "1 au 31 octobre, 31 jours sur 31"
  std::int64_t quantity = 1;
  std::int64_t unit_price = 0;  // minor units, excl. VAT
  std::int64_t amount = 0;      // minor units, excl. VAT
};

struct Document {
  std::string number;
  bool credit_note = false;
  std::int64_t issued_at_ms = 0;
  std::int64_t issue_day = 0;  // days since 1970-01-01, in the seller's time zone
  std::int64_t due_day = 0;
  std::int64_t period_first_day = 0;  // the invoiced period, both days included
  std::int64_t period_last_day = 0;
  std::string currency = "EUR";
  Seller seller;
  Party buyer;
  std::vector<Line> lines;
  std::int64_t total_excl_tax = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
  std::string tax_category;  // S, AE or O (UNCL 5305)
  int tax_rate_basis_points = 0;
  std::string tax_mention;
  std::string payment_method = "transfer";  // transfer | card | sepa_debit
  // A credit note: the invoice it cancels (BT-25, BT-26) and why.
  std::optional<std::string> preceding_number;
  std::int64_t preceding_issue_day = 0;
  std::string credit_reason;
};

// The files the PDF needs, from Debian's fonts-dejavu-core and icc-profiles-free.
struct Assets {
  std::string regular_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
  std::string bold_font = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
  std::string srgb_profile = "/usr/share/color/icc/sRGB.icc";
};

// Amounts as CII writes them: minor units with the currency's decimals ("598.80").
std::string decimal_amount(std::int64_t minor, const std::string& currency);
// The CII XML (EN 16931, urn:cen.eu:en16931:2017).
std::string cii_xml(const Document& document);
// The invoice drawn as a plain PDF (libharu): fonts embedded, sRGB colours, French mentions.
std::string invoice_pdf(const Document& document, const Assets& assets);
// `pdf` made PDF/A-3B with `xml` attached as factur-x.xml (libqpdf): XMP metadata declaring
// Factur-X EN 16931, the sRGB output intent, the file specification with AFRelationship.
std::string attach_facturx(const std::string& pdf, const std::string& xml, const Document& document,
                           const Assets& assets);

// Both steps: what GET /api/v1/invoices/{id}/pdf returns. Throws std::runtime_error when the PDF
// cannot be made (a font missing, say).
std::string facturx_pdf(const Document& document, const Assets& assets);

}  // namespace mnemos::billing::facturx
