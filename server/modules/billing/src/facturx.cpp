// Making the drawn invoice a Factur-X PDF/A-3B with libqpdf (facturx.hpp): the pieces PDF/A-3 and
// Factur-X 1.0 ask of the document's catalog. What is not checked here (no veraPDF, no Schematron
// on our machines) is said in docs/billing.md.
#include "facturx.hpp"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFEFStreamObjectHelper.hh>
#include <qpdf/QPDFEmbeddedFileDocumentHelper.hh>
#include <qpdf/QPDFFileSpecObjectHelper.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFWriter.hh>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace mnemos::billing::facturx {
namespace {

constexpr const char* kProducer = "Mnemos (libharu, libqpdf)";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("Factur-X: cannot read " + path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Instant {
  std::string pdf;  // D:20261203101500+00'00'
  std::string xmp;  // 2026-12-03T10:15:00+00:00
};

Instant instant_of(std::int64_t ms) {
  const std::chrono::sys_seconds at{std::chrono::seconds{ms / 1000}};
  const auto day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{at - day};
  char pdf[48], xmp[48];
  const int y = static_cast<int>(date.year());
  const unsigned mo = static_cast<unsigned>(date.month()), d = static_cast<unsigned>(date.day());
  const auto h = static_cast<unsigned>(time.hours().count()), mi = static_cast<unsigned>(time.minutes().count()),
             s = static_cast<unsigned>(time.seconds().count());
  std::snprintf(pdf, sizeof pdf, "D:%04d%02u%02u%02u%02u%02u+00'00'", y, mo, d, h, mi, s);
  std::snprintf(xmp, sizeof xmp, "%04d-%02u-%02uT%02u:%02u:%02u+00:00", y, mo, d, h, mi, s);
  return {pdf, xmp};
}

std::string xml_text(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

// The XMP packet: PDF/A-3B identification, the Dublin Core and PDF properties that mirror the
// document information dictionary, and the Factur-X extension schema with its four properties.
std::string xmp_metadata(const std::string& title, const std::string& author, const Instant& at) {
  std::string fx_property;
  for (const auto& [name, description] : {std::pair{"DocumentFileName", "The name of the embedded XML document"},
                                          std::pair{"DocumentType", "The type of the hybrid document"},
                                          std::pair{"Version", "The version of the XML schema"},
                                          std::pair{"ConformanceLevel", "The conformance level of the embedded data"}}) {
    fx_property += std::string("<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>") + name +
                   "</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>"
                   "<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>" +
                   description + "</pdfaProperty:description></rdf:li>\n";
  }
  return "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
         "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
         "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
         "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">"
         "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
         "<dc:format>application/pdf</dc:format>"
         "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">" + xml_text(title) + "</rdf:li></rdf:Alt></dc:title>"
         "<dc:creator><rdf:Seq><rdf:li>" + xml_text(author) + "</rdf:li></rdf:Seq></dc:creator></rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">"
         "<pdf:Producer>" + std::string(kProducer) + "</pdf:Producer></rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">"
         "<xmp:CreatorTool>Mnemos</xmp:CreatorTool><xmp:CreateDate>" + at.xmp + "</xmp:CreateDate>"
         "<xmp:ModifyDate>" + at.xmp + "</xmp:ModifyDate></rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\" "
         "xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">\n"
         "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">\n"
         "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>\n"
         "<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>\n"
         "<pdfaSchema:prefix>fx</pdfaSchema:prefix>\n"
         "<pdfaSchema:property><rdf:Seq>\n" + fx_property +
         "</rdf:Seq></pdfaSchema:property>\n"
         "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\n"
         "<rdf:Description rdf:about=\"\" xmlns:fx=\"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#\">"
         "<fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>factur-x.xml</fx:DocumentFileName>"
         "<fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>\n"
         "</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>";
}

}  // namespace

std::string attach_facturx(const std::string& pdf_bytes, const std::string& xml, const Document& d,
                           const Assets& assets) {
  QPDF pdf;
  pdf.processMemoryFile("invoice.pdf", pdf_bytes.data(), pdf_bytes.size());
  auto root = pdf.getRoot();
  const Instant at = instant_of(d.issued_at_ms);
  const std::string title = std::string(d.credit_note ? "Avoir " : "Facture ") + d.number;

  // factur-x.xml: an embedded file stream of type text/xml, its file specification telling how it
  // relates to the PDF (EN 16931: an alternative form of the same invoice), named in the catalog's
  // /AF array and in the document's embedded files.
  auto stream = QPDFEFStreamObjectHelper::createEFStream(pdf, xml);
  stream.setSubtype("text/xml").setCreationDate(at.pdf).setModDate(at.pdf);
  auto spec = QPDFFileSpecObjectHelper::createFileSpec(pdf, "factur-x.xml", stream);
  spec.setDescription("Factur-X invoice (EN 16931)");
  spec.getObjectHandle().replaceKey("/AFRelationship", QPDFObjectHandle::newName("/Alternative"));
  QPDFEmbeddedFileDocumentHelper(pdf).replaceEmbeddedFile("factur-x.xml", spec);
  root.replaceKey("/AF", QPDFObjectHandle::newArray({spec.getObjectHandle()}));

  // The colours are sRGB: the output intent carries the profile.
  auto profile = pdf.newStream(read_file(assets.srgb_profile));
  profile.getDict().replaceKey("/N", QPDFObjectHandle::newInteger(3));
  auto intent = QPDFObjectHandle::newDictionary();
  intent.replaceKey("/Type", QPDFObjectHandle::newName("/OutputIntent"));
  intent.replaceKey("/S", QPDFObjectHandle::newName("/GTS_PDFA1"));
  intent.replaceKey("/OutputConditionIdentifier", QPDFObjectHandle::newString("sRGB IEC61966-2.1"));
  intent.replaceKey("/Info", QPDFObjectHandle::newString("sRGB IEC61966-2.1"));
  intent.replaceKey("/DestOutputProfile", profile);
  root.replaceKey("/OutputIntents", QPDFObjectHandle::newArray({pdf.makeIndirectObject(intent)}));

  // XMP metadata and the information dictionary saying the same.
  auto metadata = pdf.newStream(xmp_metadata(title, d.seller.name, at));
  metadata.getDict().replaceKey("/Type", QPDFObjectHandle::newName("/Metadata"));
  metadata.getDict().replaceKey("/Subtype", QPDFObjectHandle::newName("/XML"));
  root.replaceKey("/Metadata", metadata);
  auto info = QPDFObjectHandle::newDictionary();
  info.replaceKey("/Title", QPDFObjectHandle::newUnicodeString(title));
  info.replaceKey("/Author", QPDFObjectHandle::newUnicodeString(d.seller.name));
  info.replaceKey("/Creator", QPDFObjectHandle::newString("Mnemos"));
  info.replaceKey("/Producer", QPDFObjectHandle::newString(kProducer));
  info.replaceKey("/CreationDate", QPDFObjectHandle::newString(at.pdf));
  info.replaceKey("/ModDate", QPDFObjectHandle::newString(at.pdf));
  pdf.getTrailer().replaceKey("/Info", pdf.makeIndirectObject(info));
  root.replaceKey("/Lang", QPDFObjectHandle::newString("fr-FR"));
  root.replaceKey("/ViewerPreferences", QPDFObjectHandle::parse("<< /DisplayDocTitle true >>"));

  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setMinimumPDFVersion("1.7");
  writer.setObjectStreamMode(qpdf_o_disable);
  // libharu's streams stay as they came (already deflated): recompressing them took 9 of the 23 ms
  // an invoice cost; the few added here (XML, XMP, profile) are small and stay plain.
  writer.setDecodeLevel(qpdf_dl_none);
  writer.setCompressStreams(false);
  writer.setDeterministicID(true);  // PDF/A wants an /ID; the same invoice gives the same one
  writer.write();
  const auto buffer = writer.getBufferSharedPointer();
  return {reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize()};
}

}  // namespace mnemos::billing::facturx
