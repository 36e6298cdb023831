#pragma once
#include <mnemos/http/router.hpp>

#include "invoices.hpp"
#include "service.hpp"

namespace mnemos::billing {
void register_routes(http::Router& router, BillingService& billing);
void register_invoice_routes(http::Router& router, InvoiceService& invoices, PaymentService& payments,
                             Dependencies& deps);
}  // namespace mnemos::billing
