-- Payments and dunning (docs/billing.md, "Payments", "Overdue invoices"). A payment is a transfer
-- the platform recorded or a gateway's payment intent (card, SEPA direct debit); an invoice is paid
-- when its succeeded payments cover its total.
CREATE TABLE billing_payments (
  id TEXT PRIMARY KEY,
  invoice_id TEXT NOT NULL REFERENCES billing_invoices (id),
  school_id TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('transfer', 'card', 'sepa_debit')),
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('processing', 'succeeded', 'failed')),
  gateway_reference TEXT,  -- the payment intent's id
  failure TEXT,
  note TEXT,
  recorded_by TEXT,        -- the platform admin who recorded a transfer
  received_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX billing_payments_reference ON billing_payments (gateway_reference);
CREATE INDEX billing_payments_invoice ON billing_payments (invoice_id, created_at);

ALTER TABLE billing_invoices ADD COLUMN amount_paid BIGINT NOT NULL DEFAULT 0;
ALTER TABLE billing_invoices ADD COLUMN paid_at BIGINT;
ALTER TABLE billing_invoices ADD COLUMN collection_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE billing_invoices ADD COLUMN reminders_sent INTEGER NOT NULL DEFAULT 0;
CREATE INDEX billing_invoices_due ON billing_invoices (status, due_at);

-- Webhook events already handled: the same event delivered again changes nothing.
CREATE TABLE billing_webhook_events (
  id TEXT PRIMARY KEY,
  type TEXT NOT NULL,
  received_at BIGINT NOT NULL
);
