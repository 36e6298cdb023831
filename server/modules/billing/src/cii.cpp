// The CII XML of an invoice (facturx.hpp): EN 16931 through the UN/CEFACT Cross Industry Invoice
// D16B, elements in the order of its schema. The business terms (BT-n) are named where they are
// written, so the XML can be checked against the norm's list.
#include "facturx.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace mnemos::billing::facturx {
namespace {

class Xml {
 public:
  void open(std::string_view tag, std::string_view attributes = {}) {
    indent();
    out_ += '<';
    out_ += tag;
    if (!attributes.empty()) out_.append(" ").append(attributes);
    out_ += ">\n";
    ++depth_;
  }
  void close(std::string_view tag) {
    --depth_;
    indent();
    out_.append("</").append(tag).append(">\n");
  }
  void leaf(std::string_view tag, std::string_view text, std::string_view attributes = {}) {
    indent();
    out_ += '<';
    out_ += tag;
    if (!attributes.empty()) out_.append(" ").append(attributes);
    out_ += '>';
    escape(text);
    out_.append("</").append(tag).append(">\n");
  }
  void date(std::string_view tag, std::int64_t day) {
    open(tag);
    leaf("udt:DateTimeString", yyyymmdd(day), "format=\"102\"");
    close(tag);
  }
  std::string take() { return std::move(out_); }
  std::string& raw() { return out_; }

  static std::string yyyymmdd(std::int64_t day) {
    const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
    char text[32];
    std::snprintf(text, sizeof text, "%04d%02u%02u", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
    return text;
  }

 private:
  void indent() { out_.append(static_cast<std::size_t>(depth_) * 2, ' '); }
  void escape(std::string_view text) {
    for (char c : text) {
      switch (c) {
        case '&': out_ += "&amp;"; break;
        case '<': out_ += "&lt;"; break;
        case '>': out_ += "&gt;"; break;
        case '"': out_ += "&quot;"; break;
        default:
          // Control characters other than tab and newline are not allowed in XML 1.0.
          if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out_ += c;
      }
    }
  }
  std::string out_;
  int depth_ = 0;
};

int decimals_of(const std::string& currency) {
  // ISO 4217 currencies without minor units; every other one the plans may use has two.
  for (const char* code : {"JPY", "KRW", "ISK", "CLP", "VND", "XAF", "XOF", "XPF"}) {
    if (currency == code) return 0;
  }
  return 2;
}

std::string rate_text(int basis_points) {
  char text[32];
  if (basis_points % 100 == 0) {
    std::snprintf(text, sizeof text, "%d", basis_points / 100);
  } else {
    std::snprintf(text, sizeof text, "%d.%02d", basis_points / 100, basis_points % 100);
  }
  return text;
}

// The payment means code (UNCL 4461): SEPA credit transfer, SEPA direct debit, card.
const char* payment_means_code(const std::string& method) {
  if (method == "sepa_debit") return "59";
  if (method == "card") return "48";
  return "58";
}

void party(Xml& xml, std::string_view tag, const Party& p, const std::string& description, bool with_vat_number) {
  xml.open(tag);
  xml.leaf("ram:Name", p.name);                                   // BT-27 / BT-44
  if (!description.empty()) xml.leaf("ram:Description", description);  // BT-33
  if (p.siren) {                                                  // BT-30 / BT-47: SIREN (ISO 6523 0002)
    xml.open("ram:SpecifiedLegalOrganization");
    xml.leaf("ram:ID", *p.siren, "schemeID=\"0002\"");
    xml.close("ram:SpecifiedLegalOrganization");
  }
  xml.open("ram:PostalTradeAddress");                             // BG-5 / BG-8
  if (!p.postal_code.empty()) xml.leaf("ram:PostcodeCode", p.postal_code);
  if (!p.address.empty()) xml.leaf("ram:LineOne", p.address);
  if (!p.city.empty()) xml.leaf("ram:CityName", p.city);
  xml.leaf("ram:CountryID", p.country);                           // BT-40 / BT-55
  xml.close("ram:PostalTradeAddress");
  if (p.electronic_address) {                                     // BT-34 / BT-49
    xml.open("ram:URIUniversalCommunication");
    xml.leaf("ram:URIID", *p.electronic_address, "schemeID=\"EM\"");
    xml.close("ram:URIUniversalCommunication");
  }
  if (with_vat_number && p.vat_number) {                          // BT-31 / BT-48
    xml.open("ram:SpecifiedTaxRegistration");
    xml.leaf("ram:ID", *p.vat_number, "schemeID=\"VA\"");
    xml.close("ram:SpecifiedTaxRegistration");
  }
  xml.close(tag);
}

void payment_means(Xml& xml, const Document& d) {
  xml.open("ram:SpecifiedTradeSettlementPaymentMeans");            // BG-16
  xml.leaf("ram:TypeCode", payment_means_code(d.payment_method));  // BT-81
  if (d.payment_method == "transfer" && !d.seller.iban.empty()) {
    xml.open("ram:PayeePartyCreditorFinancialAccount");
    xml.leaf("ram:IBANID", d.seller.iban);  // BT-84
    xml.close("ram:PayeePartyCreditorFinancialAccount");
    if (!d.seller.bic.empty()) {
      xml.open("ram:PayeeSpecifiedCreditorFinancialInstitution");
      xml.leaf("ram:BICID", d.seller.bic);  // BT-86
      xml.close("ram:PayeeSpecifiedCreditorFinancialInstitution");
    }
  }
  xml.close("ram:SpecifiedTradeSettlementPaymentMeans");
}

void note(Xml& xml, std::string_view text, std::string_view subject) {
  xml.open("ram:IncludedNote");  // BG-1
  xml.leaf("ram:Content", text);
  xml.leaf("ram:SubjectCode", subject);
  xml.close("ram:IncludedNote");
}

}  // namespace

std::string decimal_amount(std::int64_t minor, const std::string& currency) {
  const int decimals = decimals_of(currency);
  const bool negative = minor < 0;
  const std::uint64_t value = negative ? static_cast<std::uint64_t>(-(minor + 1)) + 1 : static_cast<std::uint64_t>(minor);
  std::string text = std::to_string(value);
  if (decimals > 0) {
    if (text.size() <= static_cast<std::size_t>(decimals)) text.insert(0, static_cast<std::size_t>(decimals) + 1 - text.size(), '0');
    text.insert(text.size() - static_cast<std::size_t>(decimals), ".");
  }
  return negative ? "-" + text : text;
}

std::string cii_xml(const Document& d) {
  Xml xml;
  const auto money = [&](std::int64_t minor) { return decimal_amount(minor, d.currency); };
  // "Not subject to VAT" names no VAT number (EN 16931 BR-O-02); the PDF still shows the seller's.
  const bool vat_numbers = d.tax_category != "O";
  xml.raw() = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml.open("rsm:CrossIndustryInvoice",
           "xmlns:rsm=\"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100\" "
           "xmlns:qdt=\"urn:un:unece:uncefact:data:standard:QualifiedDataType:100\" "
           "xmlns:ram=\"urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100\" "
           "xmlns:udt=\"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100\"");
  xml.open("rsm:ExchangedDocumentContext");
  xml.open("ram:GuidelineSpecifiedDocumentContextParameter");
  xml.leaf("ram:ID", "urn:cen.eu:en16931:2017");  // BT-24: the EN 16931 profile of Factur-X
  xml.close("ram:GuidelineSpecifiedDocumentContextParameter");
  xml.close("rsm:ExchangedDocumentContext");

  xml.open("rsm:ExchangedDocument");
  xml.leaf("ram:ID", d.number);                          // BT-1
  xml.leaf("ram:TypeCode", d.credit_note ? "381" : "380");  // BT-3
  xml.date("ram:IssueDateTime", d.issue_day);            // BT-2
  note(xml, "Nature de l'opération : prestations de services.", "AAI");
  if (!d.seller.legal_mentions.empty()) note(xml, d.seller.legal_mentions, "REG");
  note(xml,
       "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de l'échéance. "
       "Pas d'escompte pour paiement anticipé.",
       "PMD");
  note(xml, "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €.", "PMT");
  if (d.tax_category == "S") note(xml, "Option pour le paiement de la taxe d'après les débits.", "TXD");
  if (d.preceding_number) note(xml, "Avoir sur la facture " + *d.preceding_number + " : " + d.credit_reason, "AAI");
  xml.close("rsm:ExchangedDocument");

  xml.open("rsm:SupplyChainTradeTransaction");
  int line_id = 0;
  for (const auto& line : d.lines) {
    xml.open("ram:IncludedSupplyChainTradeLineItem");  // BG-25
    xml.open("ram:AssociatedDocumentLineDocument");
    xml.leaf("ram:LineID", std::to_string(++line_id));  // BT-126
    xml.close("ram:AssociatedDocumentLineDocument");
    xml.open("ram:SpecifiedTradeProduct");
    xml.leaf("ram:Name", line.label);  // BT-153
    if (!line.detail.empty()) xml.leaf("ram:Description", line.detail);  // BT-154
    xml.close("ram:SpecifiedTradeProduct");
    // A line prorated by the day is one unit at its amount, so that price × quantity is the amount.
    const bool exact = line.quantity * line.unit_price == line.amount;
    xml.open("ram:SpecifiedLineTradeAgreement");
    xml.open("ram:NetPriceProductTradePrice");
    xml.leaf("ram:ChargeAmount", money(exact ? line.unit_price : line.amount));  // BT-146
    xml.close("ram:NetPriceProductTradePrice");
    xml.close("ram:SpecifiedLineTradeAgreement");
    xml.open("ram:SpecifiedLineTradeDelivery");
    xml.leaf("ram:BilledQuantity", std::to_string(exact ? line.quantity : 1), "unitCode=\"C62\"");  // BT-129, BT-130
    xml.close("ram:SpecifiedLineTradeDelivery");
    xml.open("ram:SpecifiedLineTradeSettlement");
    xml.open("ram:ApplicableTradeTax");
    xml.leaf("ram:TypeCode", "VAT");
    xml.leaf("ram:CategoryCode", d.tax_category);  // BT-151
    if (d.tax_category != "O") xml.leaf("ram:RateApplicablePercent", rate_text(d.tax_rate_basis_points));  // BT-152
    xml.close("ram:ApplicableTradeTax");
    xml.open("ram:SpecifiedTradeSettlementLineMonetarySummation");
    xml.leaf("ram:LineTotalAmount", money(line.amount));  // BT-131
    xml.close("ram:SpecifiedTradeSettlementLineMonetarySummation");
    xml.close("ram:SpecifiedLineTradeSettlement");
    xml.close("ram:IncludedSupplyChainTradeLineItem");
  }

  xml.open("ram:ApplicableHeaderTradeAgreement");
  party(xml, "ram:SellerTradeParty", d.seller, d.seller.legal_mentions, vat_numbers);  // BG-4
  party(xml, "ram:BuyerTradeParty", d.buyer, "", vat_numbers);                        // BG-7
  xml.close("ram:ApplicableHeaderTradeAgreement");
  xml.open("ram:ApplicableHeaderTradeDelivery");
  xml.close("ram:ApplicableHeaderTradeDelivery");

  xml.open("ram:ApplicableHeaderTradeSettlement");
  xml.leaf("ram:PaymentReference", d.number);      // BT-83
  xml.leaf("ram:InvoiceCurrencyCode", d.currency);  // BT-5
  // A credit note asks no payment: no payment means (a transfer's would need an account, BR-61).
  if (!d.credit_note) payment_means(xml, d);
  xml.open("ram:ApplicableTradeTax");  // BG-23: one VAT category per invoice here
  xml.leaf("ram:CalculatedAmount", money(d.tax));  // BT-117
  xml.leaf("ram:TypeCode", "VAT");
  if (!d.tax_mention.empty()) xml.leaf("ram:ExemptionReason", d.tax_mention);  // BT-120
  xml.leaf("ram:BasisAmount", money(d.total_excl_tax));  // BT-116
  xml.leaf("ram:CategoryCode", d.tax_category);          // BT-118
  if (d.tax_category == "AE") xml.leaf("ram:ExemptionReasonCode", "VATEX-EU-AE");  // BT-121
  if (d.tax_category == "O") xml.leaf("ram:ExemptionReasonCode", "VATEX-EU-O");
  if (d.tax_category == "S") xml.leaf("ram:DueDateTypeCode", "5");  // BT-8: VAT on debits, due at the invoice date
  if (d.tax_category != "O") xml.leaf("ram:RateApplicablePercent", rate_text(d.tax_rate_basis_points));  // BT-119
  xml.close("ram:ApplicableTradeTax");
  xml.open("ram:BillingSpecifiedPeriod");  // BG-14
  xml.date("ram:StartDateTime", d.period_first_day);  // BT-73
  xml.date("ram:EndDateTime", d.period_last_day);     // BT-74
  xml.close("ram:BillingSpecifiedPeriod");
  xml.open("ram:SpecifiedTradePaymentTerms");
  xml.leaf("ram:Description", d.credit_note ? "Avoir : déduit du prochain règlement, ou remboursé si la facture est payée."
                                            : "Paiement à 30 jours de la date de facture.");  // BT-20
  xml.date("ram:DueDateDateTime", d.due_day);  // BT-9
  xml.close("ram:SpecifiedTradePaymentTerms");
  xml.open("ram:SpecifiedTradeSettlementHeaderMonetarySummation");  // BG-22
  xml.leaf("ram:LineTotalAmount", money(d.total_excl_tax));                                  // BT-106
  xml.leaf("ram:TaxBasisTotalAmount", money(d.total_excl_tax));                              // BT-109
  xml.leaf("ram:TaxTotalAmount", money(d.tax), "currencyID=\"" + d.currency + "\"");         // BT-110
  xml.leaf("ram:GrandTotalAmount", money(d.total));                                          // BT-112
  xml.leaf("ram:DuePayableAmount", money(d.total));                                          // BT-115
  xml.close("ram:SpecifiedTradeSettlementHeaderMonetarySummation");
  if (d.preceding_number) {  // BG-3: the invoice a credit note cancels
    xml.open("ram:InvoiceReferencedDocument");
    xml.leaf("ram:IssuerAssignedID", *d.preceding_number);  // BT-25
    xml.open("ram:FormattedIssueDateTime");                 // BT-26
    xml.leaf("qdt:DateTimeString", Xml::yyyymmdd(d.preceding_issue_day), "format=\"102\"");
    xml.close("ram:FormattedIssueDateTime");
    xml.close("ram:InvoiceReferencedDocument");
  }
  xml.close("ram:ApplicableHeaderTradeSettlement");
  xml.close("rsm:SupplyChainTradeTransaction");
  xml.close("rsm:CrossIndustryInvoice");
  return xml.take();
}

}  // namespace mnemos::billing::facturx
