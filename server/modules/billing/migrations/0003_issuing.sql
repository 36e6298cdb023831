-- Issuing (docs/billing.md, "Factur-X"): the seller and payment method as printed, and where the
-- issued PDF is kept (MNEMOS_FILES_DIR) with its SHA-256, so the document sent is the one served.
ALTER TABLE billing_invoices ADD COLUMN seller TEXT;
ALTER TABLE billing_invoices ADD COLUMN payment_method TEXT;
ALTER TABLE billing_invoices ADD COLUMN pdf_path TEXT;
ALTER TABLE billing_invoices ADD COLUMN pdf_sha256 TEXT;
CREATE INDEX billing_invoices_pending ON billing_invoices (status, number);
