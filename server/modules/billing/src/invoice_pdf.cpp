// The invoice drawn as a PDF with libharu (facturx.hpp). A4, DejaVu Sans embedded (subset) with
// the WinAnsi encoding, which PDF/A accepts for TrueType fonts and which holds French; characters
// outside it print as '?'. Colours are RGB, declared sRGB by the output intent attach_facturx adds.
#include "facturx.hpp"

#include <hpdf.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string_view>

namespace mnemos::billing::facturx {
namespace {

// UTF-8 to Windows-1252 (the PDF's WinAnsiEncoding).
std::string to_winansi(std::string_view utf8) {
  static constexpr std::pair<char32_t, unsigned char> kHigh[] = {
      {0x20AC, 0x80}, {0x201A, 0x82}, {0x0192, 0x83}, {0x201E, 0x84}, {0x2026, 0x85}, {0x2020, 0x86},
      {0x2021, 0x87}, {0x02C6, 0x88}, {0x2030, 0x89}, {0x0160, 0x8A}, {0x2039, 0x8B}, {0x0152, 0x8C},
      {0x017D, 0x8E}, {0x2018, 0x91}, {0x2019, 0x92}, {0x201C, 0x93}, {0x201D, 0x94}, {0x2022, 0x95},
      {0x2013, 0x96}, {0x2014, 0x97}, {0x02DC, 0x98}, {0x2122, 0x99}, {0x0161, 0x9A}, {0x203A, 0x9B},
      {0x0153, 0x9C}, {0x017E, 0x9E}, {0x0178, 0x9F}, {0x202F, 0xA0}};
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[i]);
    char32_t code = 0;
    std::size_t length = 1;
    if (byte < 0x80) {
      code = byte;
    } else if ((byte & 0xE0) == 0xC0) {
      code = byte & 0x1F, length = 2;
    } else if ((byte & 0xF0) == 0xE0) {
      code = byte & 0x0F, length = 3;
    } else if ((byte & 0xF8) == 0xF0) {
      code = byte & 0x07, length = 4;
    } else {
      code = '?';
    }
    for (std::size_t k = 1; k < length; ++k) {
      code = i + k < utf8.size() ? (code << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F) : U'?';
    }
    i += length;
    if (code < 0x20) {
      out += ' ';
    } else if (code < 0x80 || (code >= 0xA0 && code <= 0xFF)) {
      out += static_cast<char>(code);
    } else {
      char mapped = '?';
      for (const auto& [unicode, winansi] : kHigh) {
        if (unicode == code) mapped = static_cast<char>(winansi);
      }
      out += mapped;
    }
  }
  return out;
}

std::string french_date(std::int64_t day) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  char text[32];
  std::snprintf(text, sizeof text, "%02u/%02u/%04d", static_cast<unsigned>(date.day()),
                static_cast<unsigned>(date.month()), static_cast<int>(date.year()));
  return text;
}

// "1 234,56 €" (a no-break space between thousands), or "1 234,56 GBP".
std::string french_money(std::int64_t minor, const std::string& currency) {
  std::string number = decimal_amount(minor, currency);
  const auto dot = number.find('.');
  std::string whole = number.substr(0, dot);
  const std::string fraction = dot == std::string::npos ? "" : "," + number.substr(dot + 1);
  const bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.erase(0, 1);
  std::string grouped;
  for (std::size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += "\xC2\xA0";
    grouped += whole[i];
  }
  return (negative ? "-" : "") + grouped + fraction + "\xC2\xA0" + (currency == "EUR" ? "€" : currency);
}

std::string spaced_siren(const std::string& siren) {
  if (siren.size() != 9) return siren;
  return siren.substr(0, 3) + " " + siren.substr(3, 3) + " " + siren.substr(6);
}

struct Palette {
  float r, g, b;
};
constexpr Palette kInk{0.11F, 0.13F, 0.16F};
constexpr Palette kMuted{0.33F, 0.36F, 0.40F};  // 7:1 on white
constexpr Palette kAccent{0.0F, 0.38F, 0.37F};  // teal, 6.9:1 on white
constexpr Palette kRule{0.80F, 0.82F, 0.84F};
constexpr Palette kBand{0.93F, 0.96F, 0.96F};

class Canvas {
 public:
  explicit Canvas(const Assets& assets) : pdf_(HPDF_New(&Canvas::on_error, this), &HPDF_Free) {
    if (!pdf_) throw std::runtime_error("invoice PDF: libharu could not start");
    HPDF_SetCompressionMode(pdf_.get(), HPDF_COMP_ALL);
    const char* regular = HPDF_LoadTTFontFromFile(pdf_.get(), assets.regular_font.c_str(), HPDF_TRUE);
    const char* bold = HPDF_LoadTTFontFromFile(pdf_.get(), assets.bold_font.c_str(), HPDF_TRUE);
    check();
    if (regular == nullptr || bold == nullptr) throw std::runtime_error("invoice PDF: the fonts could not be read");
    regular_ = HPDF_GetFont(pdf_.get(), regular, "WinAnsiEncoding");
    bold_ = HPDF_GetFont(pdf_.get(), bold, "WinAnsiEncoding");
    new_page();
  }

  void new_page() {
    page_ = HPDF_AddPage(pdf_.get());
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    ++pages_;
    check();
  }

  float width(std::string_view utf8, bool bold, float size) {
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    return HPDF_Page_TextWidth(page_, to_winansi(utf8).c_str());
  }

  void text(float x, float y, std::string_view utf8, float size, bool bold = false, Palette colour = kInk) {
    const std::string encoded = to_winansi(utf8);
    HPDF_Page_SetRGBFill(page_, colour.r, colour.g, colour.b);
    HPDF_Page_BeginText(page_);
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    HPDF_Page_TextOut(page_, x, y, encoded.c_str());
    HPDF_Page_EndText(page_);
    check();
  }
  void text_right(float right, float y, std::string_view utf8, float size, bool bold = false, Palette colour = kInk) {
    text(right - width(utf8, bold, size), y, utf8, size, bold, colour);
  }
  // Writes `utf8` in lines no wider than `max_width`, breaking between words; returns the y below.
  float paragraph(float x, float y, std::string_view utf8, float size, float max_width, Palette colour = kInk) {
    std::string line;
    std::size_t start = 0;
    while (start <= utf8.size()) {
      std::size_t end = utf8.find(' ', start);
      if (end == std::string_view::npos) end = utf8.size();
      const std::string word(utf8.substr(start, end - start));
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (!line.empty() && width(candidate, false, size) > max_width) {
        text(x, y, line, size, false, colour);
        y -= size * 1.35F;
        line = word;
      } else {
        line = candidate;
      }
      start = end + 1;
    }
    if (!line.empty()) {
      text(x, y, line, size, false, colour);
      y -= size * 1.35F;
    }
    return y;
  }
  void rule(float x1, float y, float x2, Palette colour = kRule, float thickness = 0.6F) {
    HPDF_Page_SetRGBStroke(page_, colour.r, colour.g, colour.b);
    HPDF_Page_SetLineWidth(page_, thickness);
    HPDF_Page_MoveTo(page_, x1, y);
    HPDF_Page_LineTo(page_, x2, y);
    HPDF_Page_Stroke(page_);
  }
  void band(float x, float y, float w, float h, Palette colour = kBand) {
    HPDF_Page_SetRGBFill(page_, colour.r, colour.g, colour.b);
    HPDF_Page_Rectangle(page_, x, y, w, h);
    HPDF_Page_Fill(page_);
  }
  int pages() const { return pages_; }

  std::string bytes() {
    HPDF_SaveToStream(pdf_.get());
    check();
    HPDF_ResetStream(pdf_.get());
    std::string out(HPDF_GetStreamSize(pdf_.get()), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    HPDF_ReadFromStream(pdf_.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    check();
    return out;
  }

 private:
  static void on_error(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* self = static_cast<Canvas*>(user);
    if (self->error_.empty()) {
      char text[64];
      std::snprintf(text, sizeof text, "libharu error 0x%04X (detail %u)", static_cast<unsigned>(error),
                    static_cast<unsigned>(detail));
      self->error_ = text;
    }
  }
  void check() {
    if (!error_.empty()) throw std::runtime_error("invoice PDF: " + error_);
  }

  std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> pdf_;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  HPDF_Page page_ = nullptr;
  int pages_ = 0;
  std::string error_;
};

constexpr float kLeft = 50, kRight = 545, kTop = 792, kBottom = 60;

float party_block(Canvas& c, float x, float y, const Party& p, float max_width) {
  c.text(x, y, p.name, 11, true);
  y -= 14;
  if (!p.address.empty()) y = c.paragraph(x, y, p.address, 9, max_width);
  if (!p.postal_code.empty() || !p.city.empty()) {
    c.text(x, y, p.postal_code + " " + p.city, 9);
    y -= 12;
  }
  if (p.country != "FR") {
    c.text(x, y, p.country, 9);
    y -= 12;
  }
  if (p.siren) {
    c.text(x, y, "SIREN " + spaced_siren(*p.siren), 9, false, kMuted);
    y -= 12;
  }
  if (p.siret) {
    c.text(x, y, "SIRET " + *p.siret, 9, false, kMuted);
    y -= 12;
  }
  if (p.vat_number) {
    c.text(x, y, "N° TVA " + *p.vat_number, 9, false, kMuted);
    y -= 12;
  }
  return y;
}

}  // namespace

std::string invoice_pdf(const Document& d, const Assets& assets) {
  Canvas c(assets);
  const auto money = [&](std::int64_t minor) { return french_money(minor, d.currency); };

  // Seller, top left; the document's title and dates, top right.
  float seller_y = party_block(c, kLeft, kTop, d.seller, 250);
  if (d.seller.electronic_address) {
    c.text(kLeft, seller_y, *d.seller.electronic_address, 9, false, kMuted);
    seller_y -= 12;
  }
  c.text_right(kRight, kTop - 4, d.credit_note ? "AVOIR" : "FACTURE", 20, true, kAccent);
  float y = kTop - 26;
  const std::pair<std::string, std::string> facts[] = {
      {"Numéro", d.number},
      {"Date d'émission", french_date(d.issue_day)},
      {"Période", "du " + french_date(d.period_first_day) + " au " + french_date(d.period_last_day)},
      {"Échéance", french_date(d.due_day)}};
  for (const auto& [label, value] : facts) {
    c.text_right(kRight - 180, y, label, 9, false, kMuted);
    c.text_right(kRight, y, value, 9, true);
    y -= 13;
  }
  if (d.preceding_number) {
    c.text_right(kRight - 180, y, "Avoir sur la facture", 9, false, kMuted);
    c.text_right(kRight, y, *d.preceding_number + " du " + french_date(d.preceding_issue_day), 9, true);
    y -= 13;
  }

  // The buyer, in a band on the right.
  y = std::min(y, seller_y) - 18;
  const float buyer_x = 320;
  c.text(buyer_x, y, "Facturé à", 9, true, kAccent);
  y = party_block(c, buyer_x, y - 14, d.buyer, kRight - buyer_x);
  y -= 16;

  // The lines.
  const float quantity_right = 360, price_right = 455;
  c.band(kLeft, y - 6, kRight - kLeft, 20);
  c.text(kLeft + 6, y, "Désignation", 9, true);
  c.text_right(quantity_right, y, "Qté", 9, true);
  c.text_right(price_right, y, "Prix unitaire HT", 9, true);
  c.text_right(kRight - 6, y, "Montant HT", 9, true);
  y -= 22;
  for (const auto& line : d.lines) {
    if (y < kBottom + 150) {
      c.new_page();
      y = kTop;
    }
    c.text(kLeft + 6, y, line.label, 10);
    c.text_right(quantity_right, y, std::to_string(line.quantity), 10);
    c.text_right(price_right, y, money(line.unit_price), 10);
    c.text_right(kRight - 6, y, money(line.amount), 10);
    y -= 13;
    if (!line.detail.empty()) y = c.paragraph(kLeft + 6, y, line.detail, 8.5F, 290, kMuted);
    c.rule(kLeft, y + 4, kRight);
    y -= 10;
  }

  // Totals.
  y -= 6;
  const float label_x = 340;
  char rate[32];  // "TVA 20 %", "TVA 5,50 %"
  if (d.tax_rate_basis_points % 100 == 0) {
    std::snprintf(rate, sizeof rate, "TVA %d %%", d.tax_rate_basis_points / 100);
  } else {
    std::snprintf(rate, sizeof rate, "TVA %d,%02d %%", d.tax_rate_basis_points / 100, d.tax_rate_basis_points % 100);
  }
  const std::string rate_label = rate;
  const std::pair<std::string, std::int64_t> totals[] = {{"Total HT", d.total_excl_tax}, {rate_label, d.tax}};
  for (const auto& [label, amount] : totals) {
    c.text(label_x, y, label, 10, false, kMuted);
    c.text_right(kRight - 6, y, money(amount), 10);
    y -= 15;
  }
  y -= 6;
  c.band(label_x - 8, y - 6, kRight - label_x + 8, 22, kAccent);
  c.text(label_x, y, d.credit_note ? "Total de l'avoir TTC" : "Net à payer TTC", 11, true, {1, 1, 1});
  c.text_right(kRight - 6, y, money(d.total), 11, true, {1, 1, 1});
  y -= 30;
  if (!d.tax_mention.empty()) y = c.paragraph(kLeft, y, d.tax_mention, 9, kRight - kLeft);
  if (d.preceding_number && !d.credit_reason.empty()) y = c.paragraph(kLeft, y, "Motif : " + d.credit_reason, 9, kRight - kLeft);

  // Payment.
  y -= 6;
  c.text(kLeft, y, "Règlement", 10, true, kAccent);
  y -= 14;
  std::string how;
  if (d.credit_note) {
    how = "Montant déduit de votre prochain règlement, ou remboursé si la facture " + d.preceding_number.value_or("") +
          " a été payée.";
  } else if (d.payment_method == "sepa_debit") {
    how = "Prélèvement SEPA à l'échéance sur le compte de l'établissement.";
  } else if (d.payment_method == "card") {
    how = "Paiement par carte à l'émission de la facture.";
  } else {
    how = "Virement à réception, au plus tard le " + french_date(d.due_day) + ", en indiquant la référence " +
          d.number + ".";
  }
  y = c.paragraph(kLeft, y, how, 9, kRight - kLeft);
  if (!d.credit_note && d.payment_method == "transfer" && !d.seller.iban.empty()) {
    c.text(kLeft, y, "IBAN " + d.seller.iban + (d.seller.bic.empty() ? "" : "   BIC " + d.seller.bic), 9, true);
    y -= 14;
  }

  // The mentions French law asks for (Code de commerce L441-9, CGI 242 nonies A).
  y -= 8;
  c.rule(kLeft, y + 8, kRight);
  std::string mentions =
      "Nature de l'opération : prestations de services. "
      "Pénalités de retard : trois fois le taux d'intérêt légal, exigibles dès le lendemain de l'échéance. "
      "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 €. "
      "Pas d'escompte pour paiement anticipé.";
  if (d.tax_category == "S") mentions += " Option pour le paiement de la taxe d'après les débits.";
  y = c.paragraph(kLeft, y, mentions, 8, kRight - kLeft, kMuted);
  if (!d.seller.legal_mentions.empty()) y = c.paragraph(kLeft, y, d.seller.legal_mentions, 8, kRight - kLeft, kMuted);
  c.paragraph(kLeft, std::min(y - 4, kBottom + 10.0F),
              "Facture électronique Factur-X (profil EN 16931) : ce PDF contient la facture structurée factur-x.xml.",
              7.5F, kRight - kLeft, kMuted);
  return c.bytes();
}

std::string facturx_pdf(const Document& document, const Assets& assets) {
  return attach_facturx(invoice_pdf(document, assets), cii_xml(document), document, assets);
}

}  // namespace mnemos::billing::facturx
