// The Factur-X document: the PDF passes `qpdf --check`, declares PDF/A-3B and Factur-X EN 16931,
// carries factur-x.xml as an alternative form of itself, and the XML read back with libxml2 holds
// the mandatory business terms with totals that add up.
#include "../src/facturx.hpp"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace mnemos::billing::facturx {
namespace {

constexpr std::int64_t kDec3 = 20790;  // 2026-12-03, days since 1970-01-01

Document french_invoice() {
  Document d;
  d.number = "F-2026-000042";
  d.issued_at_ms = kDec3 * 86'400'000LL + 3'600'000;
  d.issue_day = kDec3;
  d.due_day = kDec3 + 30;
  d.period_first_day = kDec3 - 33;  // 2026-10-31
  d.period_last_day = kDec3 - 3;
  d.seller.name = "Mnemos SAS";
  d.seller.address = "10 rue de la Paix";
  d.seller.postal_code = "75002";
  d.seller.city = "Paris";
  d.seller.siren = "100000009";
  d.seller.vat_number = "FR88100000009";
  d.seller.electronic_address = "factures@mnemos.example";
  d.seller.legal_mentions = "SAS au capital de 10 000 € · RCS Paris 100 000 009";
  d.seller.iban = "FR7630006000011234567890189";
  d.seller.bic = "AGRIFRPP";
  d.buyer.name = "Collège Jean Moulin & Cie <test>";
  d.buyer.address = "1 place de l'École";
  d.buyer.postal_code = "69001";
  d.buyer.city = "Lyon";
  d.buyer.siren = "732829320";
  d.buyer.siret = "73282932000074";
  d.lines = {{"Forfait Établissement", "Du 31/10/2026 au 30/11/2026 : 31 jours sur 31", 1, 49900, 49900},
             {"Élèves au-delà du forfait (Établissement)", "12 élèves, 18 jours sur 31", 12, 80, 557}};
  d.total_excl_tax = 50457;
  d.tax_category = "S";
  d.tax_rate_basis_points = 2000;
  d.tax = 10091;
  d.total = 60548;
  return d;
}

struct XmlDocument {
  explicit XmlDocument(const std::string& text)
      : doc(xmlReadMemory(text.data(), static_cast<int>(text.size()), "factur-x.xml", "UTF-8", XML_PARSE_NONET)),
        context(doc ? xmlXPathNewContext(doc) : nullptr) {
    if (context == nullptr) return;
    xmlXPathRegisterNs(context, BAD_CAST "rsm", BAD_CAST "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100");
    xmlXPathRegisterNs(context, BAD_CAST "ram",
                       BAD_CAST "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100");
    xmlXPathRegisterNs(context, BAD_CAST "udt", BAD_CAST "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100");
  }
  ~XmlDocument() {
    if (context != nullptr) xmlXPathFreeContext(context);
    if (doc != nullptr) xmlFreeDoc(doc);
  }
  std::vector<std::string> all(const char* path) const {
    std::vector<std::string> out;
    xmlXPathObjectPtr result = xmlXPathEvalExpression(BAD_CAST path, context);
    if (result != nullptr && result->nodesetval != nullptr) {
      for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
        xmlChar* text = xmlNodeGetContent(result->nodesetval->nodeTab[i]);
        out.emplace_back(reinterpret_cast<const char*>(text));
        xmlFree(text);
      }
    }
    xmlXPathFreeObject(result);
    return out;
  }
  std::string one(const char* path) const {
    const auto values = all(path);
    return values.size() == 1 ? values[0] : "<" + std::to_string(values.size()) + " nodes at " + path + ">";
  }
  double number(const char* path) const { return std::stod(one(path)); }
  xmlDocPtr doc;
  xmlXPathContextPtr context;
};

std::int64_t cents(double amount) { return std::llround(amount * 100); }

TEST(FacturX, TheXmlHoldsTheMandatoryTermsAndItsTotalsAddUp) {
  const auto d = french_invoice();
  const XmlDocument xml(cii_xml(d));
  ASSERT_NE(xml.context, nullptr) << "the XML is not well formed";
  EXPECT_EQ(xml.one("/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID"),
            "urn:cen.eu:en16931:2017");
  EXPECT_EQ(xml.one("//rsm:ExchangedDocument/ram:ID"), "F-2026-000042");
  EXPECT_EQ(xml.one("//rsm:ExchangedDocument/ram:TypeCode"), "380");
  EXPECT_EQ(xml.one("//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString"), "20261203");
  EXPECT_EQ(xml.one("//ram:SellerTradeParty/ram:Name"), "Mnemos SAS");
  EXPECT_EQ(xml.one("//ram:SellerTradeParty/ram:SpecifiedLegalOrganization/ram:ID[@schemeID='0002']"), "100000009");
  EXPECT_EQ(xml.one("//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='VA']"), "FR88100000009");
  EXPECT_EQ(xml.one("//ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID"), "FR");
  EXPECT_EQ(xml.one("//ram:BuyerTradeParty/ram:Name"), "Collège Jean Moulin & Cie <test>");  // escaped, read back
  EXPECT_EQ(xml.one("//ram:BuyerTradeParty/ram:SpecifiedLegalOrganization/ram:ID"), "732829320");  // the buyer's SIREN
  EXPECT_EQ(xml.one("//ram:InvoiceCurrencyCode"), "EUR");
  EXPECT_EQ(xml.one("//ram:SpecifiedTradeSettlementPaymentMeans/ram:TypeCode"), "58");
  EXPECT_EQ(xml.one("//ram:PayeePartyCreditorFinancialAccount/ram:IBANID"), "FR7630006000011234567890189");
  EXPECT_EQ(xml.one("//ram:SpecifiedTradePaymentTerms/ram:DueDateDateTime/udt:DateTimeString"), "20270102");
  EXPECT_EQ(xml.one("//ram:ApplicableHeaderTradeSettlement/ram:BillingSpecifiedPeriod/ram:StartDateTime/udt:DateTimeString"),
            "20261031");
  // The French mentions, as notes: services, late penalties, the 40 € indemnity, VAT on debits.
  const auto notes = xml.all("//rsm:ExchangedDocument/ram:IncludedNote/ram:SubjectCode");
  for (const char* subject : {"AAI", "PMD", "PMT", "TXD", "REG"}) {
    EXPECT_NE(std::find(notes.begin(), notes.end(), subject), notes.end()) << subject;
  }
  EXPECT_EQ(xml.one("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:DueDateTypeCode"), "5");

  // Totals: the lines add up to the net total, net + VAT to the grand total, the VAT breakdown to
  // the VAT total, and each line is its price × quantity.
  std::int64_t lines = 0;
  const auto amounts = xml.all("//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount");
  const auto prices = xml.all("//ram:IncludedSupplyChainTradeLineItem//ram:NetPriceProductTradePrice/ram:ChargeAmount");
  const auto quantities = xml.all("//ram:IncludedSupplyChainTradeLineItem//ram:BilledQuantity");
  ASSERT_EQ(amounts.size(), 2U);
  for (std::size_t i = 0; i < amounts.size(); ++i) {
    lines += cents(std::stod(amounts[i]));
    EXPECT_EQ(cents(std::stod(prices[i])) * std::stoll(quantities[i]), cents(std::stod(amounts[i]))) << "line " << i + 1;
  }
  const char* summation = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation/";
  const auto total = [&](const char* term) { return cents(xml.number((std::string(summation) + term).c_str())); };
  EXPECT_EQ(lines, total("ram:LineTotalAmount"));
  EXPECT_EQ(total("ram:TaxBasisTotalAmount") + total("ram:TaxTotalAmount"), total("ram:GrandTotalAmount"));
  EXPECT_EQ(total("ram:GrandTotalAmount"), 60548);
  EXPECT_EQ(total("ram:DuePayableAmount"), 60548);
  EXPECT_EQ(cents(xml.number("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount")),
            total("ram:TaxTotalAmount"));
  const double basis = xml.number("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:BasisAmount");
  const double rate = xml.number("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent");
  EXPECT_EQ(std::llround(basis * rate), total("ram:TaxTotalAmount"));  // basis × rate %, in cents
  EXPECT_EQ(xml.one((std::string(summation) + "ram:TaxTotalAmount/@currencyID").c_str()), "EUR");
}

TEST(FacturX, ReverseChargeAndOutsideTheEuNameTheirVatCase) {
  auto d = french_invoice();
  d.buyer.country = "DE";
  d.buyer.vat_number = "DE123456789";
  d.tax_category = "AE";
  d.tax_rate_basis_points = 0;
  d.tax = 0;
  d.total = d.total_excl_tax;
  d.tax_mention = "Autoliquidation";
  {
    const XmlDocument xml(cii_xml(d));
    EXPECT_EQ(xml.one("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode"), "AE");
    EXPECT_EQ(xml.one("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:ExemptionReasonCode"), "VATEX-EU-AE");
    EXPECT_EQ(xml.one("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:RateApplicablePercent"), "0");
    EXPECT_EQ(xml.one("//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/ram:ID"), "DE123456789");
    EXPECT_TRUE(xml.all("//ram:DueDateTypeCode").empty());  // no French VAT, no VAT-on-debits option
  }
  d.buyer.country = "GB";
  d.buyer.vat_number = "GB123456789";
  d.tax_category = "O";
  {
    const XmlDocument xml(cii_xml(d));
    EXPECT_EQ(xml.one("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CategoryCode"), "O");
    EXPECT_TRUE(xml.all("//ram:RateApplicablePercent").empty());      // BR-O-05
    EXPECT_TRUE(xml.all("//ram:SpecifiedTaxRegistration").empty());   // BR-O-02
  }
}

TEST(FacturX, AmountsAreWrittenWithTheCurrencysDecimals) {
  EXPECT_EQ(decimal_amount(59880, "EUR"), "598.80");
  EXPECT_EQ(decimal_amount(5, "EUR"), "0.05");
  EXPECT_EQ(decimal_amount(0, "EUR"), "0.00");
  EXPECT_EQ(decimal_amount(-1250, "EUR"), "-12.50");
  EXPECT_EQ(decimal_amount(1500, "JPY"), "1500");
}

std::string text_of(const std::string& pdf) {
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(pdf.data(), static_cast<int>(pdf.size())));
  if (!doc) return {};
  std::string out;
  for (int i = 0; i < doc->pages(); ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    const auto bytes = page->text().to_utf8();
    out.append(bytes.begin(), bytes.end());
  }
  return out;
}

TEST(FacturX, ThePdfIsAPdfA3CarryingItsXml) {
  const auto d = french_invoice();
  const std::string bytes = facturx_pdf(d, Assets{});
  ASSERT_GT(bytes.size(), 1000U);

  // qpdf, the command: no syntax or stream encoding error.
  const auto path = std::filesystem::temp_directory_path() / ("mnemos-facturx-" + std::to_string(::getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary) << bytes;
  std::string output;
  if (FILE* pipe = ::popen(("qpdf --check " + path.string() + " 2>&1").c_str(), "r")) {
    char chunk[512];
    while (std::fgets(chunk, sizeof chunk, pipe) != nullptr) output += chunk;
    EXPECT_EQ(::pclose(pipe), 0) << output;
  }
  std::filesystem::remove(path);
  EXPECT_NE(output.find("No syntax or stream encoding errors found"), std::string::npos) << output;

  // The structure PDF/A-3 and Factur-X ask for, read back with libqpdf.
  QPDF pdf;
  pdf.processMemoryFile("invoice.pdf", bytes.data(), bytes.size());
  EXPECT_EQ(pdf.getPDFVersion(), "1.7");
  EXPECT_TRUE(pdf.getTrailer().getKey("/ID").isArray());
  auto root = pdf.getRoot();
  auto metadata = root.getKey("/Metadata");
  ASSERT_TRUE(metadata.isStream());
  const auto xmp = metadata.getStreamData(qpdf_dl_all);
  const std::string xmp_text(reinterpret_cast<const char*>(xmp->getBuffer()), xmp->getSize());
  for (const char* expected : {"<pdfaid:part>3</pdfaid:part>", "<pdfaid:conformance>B</pdfaid:conformance>",
                               "<fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>",
                               "<fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>",
                               "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#", "F-2026-000042"}) {
    EXPECT_NE(xmp_text.find(expected), std::string::npos) << expected;
  }
  auto intents = root.getKey("/OutputIntents");
  ASSERT_TRUE(intents.isArray());
  ASSERT_EQ(intents.getArrayNItems(), 1);
  EXPECT_EQ(intents.getArrayItem(0).getKey("/S").getName(), "/GTS_PDFA1");
  EXPECT_EQ(intents.getArrayItem(0).getKey("/DestOutputProfile").getDict().getKey("/N").getIntValue(), 3);

  QPDFEmbeddedFileDocumentHelper files(pdf);
  const auto spec = files.getEmbeddedFile("factur-x.xml");
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->getObjectHandle().getKey("/AFRelationship").getName(), "/Alternative");
  ASSERT_TRUE(root.getKey("/AF").isArray());
  EXPECT_EQ(root.getKey("/AF").getArrayItem(0).getObjGen(), spec->getObjectHandle().getObjGen());
  QPDFEFStreamObjectHelper stream(spec->getEmbeddedFileStream());
  EXPECT_EQ(stream.getSubtype(), "text/xml");
  const auto data = stream.getObjectHandle().getStreamData(qpdf_dl_all);
  const std::string xml(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  EXPECT_EQ(xml, cii_xml(d));

  // Every font is embedded.
  int fonts = 0;
  for (auto& page : QPDFPageDocumentHelper(pdf).getAllPages()) {
    auto resources = page.getAttribute("/Resources", false).getKey("/Font");
    for (const auto& key : resources.getKeys()) {
      ++fonts;
      EXPECT_TRUE(resources.getKey(key).getKey("/FontDescriptor").getKey("/FontFile2").isStream()) << key;
    }
  }
  EXPECT_GE(fonts, 2);

  // What a reader sees: the figures of the XML, and the mentions French law asks for.
  const std::string text = text_of(bytes);
  for (const char* expected : {"FACTURE", "F-2026-000042", "03/12/2026", "02/01/2027", "Collège Jean Moulin",
                               "SIREN 732 829 320", "Forfait Établissement", "504,57", "605,48", "100,91",
                               "prestations de services", "40 €", "d'après les débits", "Pénalités de retard",
                               "FR7630006000011234567890189"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " is not in:\n" << text;
  }
}

TEST(FacturX, ACreditNoteIsType381NamingTheInvoiceItCancels) {
  auto d = french_invoice();
  d.number = "A-2026-000001";
  d.credit_note = true;
  d.preceding_number = "F-2026-000042";
  d.preceding_issue_day = kDec3 - 2;
  d.credit_reason = "Erreur de forfait";
  const XmlDocument xml(cii_xml(d));
  ASSERT_NE(xml.context, nullptr);
  EXPECT_EQ(xml.one("//rsm:ExchangedDocument/ram:TypeCode"), "381");
  EXPECT_EQ(xml.one("//ram:InvoiceReferencedDocument/ram:IssuerAssignedID"), "F-2026-000042");
  EXPECT_EQ(xml.all("//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/*").at(0), "20261201");
  EXPECT_TRUE(xml.all("//ram:SpecifiedTradeSettlementPaymentMeans").empty());  // nothing to pay
  const std::string text = text_of(facturx_pdf(d, Assets{}));
  for (const char* expected : {"AVOIR", "A-2026-000001", "F-2026-000042 du 01/12/2026", "Motif : Erreur de forfait",
                               "Total de l'avoir TTC"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " is not in:\n" << text;
  }
}

TEST(FacturX, AMissingFontIsAClearError) {
  Assets assets;
  assets.regular_font = "/nonexistent/font.ttf";
  EXPECT_THROW(facturx_pdf(french_invoice(), assets), std::runtime_error);
}

}  // namespace
}  // namespace mnemos::billing::facturx
