-- Invoices (docs/billing.md, "Monthly invoices"). One per school, period and kind: the job that
-- makes them may run twice or stop half-way and run again. Figures in minor units, computed once
-- (invoice_math.hpp) and never changed; a correction is a credit note with its own numbers.
CREATE TABLE billing_invoices (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  number TEXT NOT NULL UNIQUE,  -- F-2026-000001 (credit notes: A-2026-000001), no gap within a year
  period TEXT NOT NULL,         -- YYYY-MM: the month whose billing day starts it
  period_start BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'issued', 'paid', 'void')),
  currency TEXT NOT NULL,
  total_excl_tax BIGINT NOT NULL,
  tax BIGINT NOT NULL,
  total BIGINT NOT NULL,
  tax_category TEXT NOT NULL,
  tax_rate INTEGER NOT NULL,  -- basis points: 2000 = 20 %
  tax_mention TEXT NOT NULL,
  buyer TEXT NOT NULL,        -- the billing details as they were (JSON): the invoice never changes with them
  created_at BIGINT NOT NULL,
  issued_at BIGINT,
  due_at BIGINT,
  UNIQUE (school_id, period, kind)
);
CREATE INDEX billing_invoices_school ON billing_invoices (school_id, period_start);

CREATE TABLE billing_invoice_lines (
  invoice_id TEXT NOT NULL REFERENCES billing_invoices (id),
  position INTEGER NOT NULL,
  kind TEXT NOT NULL,
  label TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_price BIGINT NOT NULL,
  days INTEGER NOT NULL,
  period_days INTEGER NOT NULL,
  amount BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, position)
);

-- The last number given in each series ("F-2026"): taken in the invoice's own transaction, so a
-- rolled-back invoice gives its number back and two workers wait on the row instead of sharing it.
CREATE TABLE billing_number_series (
  series TEXT PRIMARY KEY,
  last_number BIGINT NOT NULL
);
