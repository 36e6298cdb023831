-- Credit notes (docs/billing.md, "Credit notes"): an issued invoice is never changed; a correction
-- is a credit note (kind credit_note, numbers A-<year>-NNNNNN) naming the invoice it cancels.
ALTER TABLE billing_invoices ADD COLUMN credited_invoice_id TEXT;
ALTER TABLE billing_invoices ADD COLUMN credit_reason TEXT;
CREATE UNIQUE INDEX billing_invoices_credited ON billing_invoices (credited_invoice_id);
