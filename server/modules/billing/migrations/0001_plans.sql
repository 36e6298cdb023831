-- Plans, their versions and schools' subscriptions (docs/billing.md). Money is in minor units
-- (cents) with its ISO currency. A plan's prices live in versions: a change makes a new version,
-- so a running period or a past invoice keeps the prices it was made with.
CREATE TABLE billing_plans (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  is_default INTEGER NOT NULL DEFAULT 0,  -- the plan a new school's trial starts on
  archived_at BIGINT,                     -- no longer offered; its schools keep it
  created_at BIGINT NOT NULL
);

CREATE TABLE billing_plan_versions (
  id TEXT PRIMARY KEY,
  plan_id TEXT NOT NULL REFERENCES billing_plans (id),
  version INTEGER NOT NULL,
  currency TEXT NOT NULL,
  monthly_price BIGINT NOT NULL,
  included_teachers INTEGER NOT NULL,
  included_students INTEGER NOT NULL,
  extra_teacher_price BIGINT NOT NULL,
  extra_student_price BIGINT NOT NULL,
  overage_allowed INTEGER NOT NULL,
  ai_tutor INTEGER NOT NULL,
  video_rooms INTEGER NOT NULL,
  ai_requests_per_month INTEGER,  -- no quota when NULL
  trial_days INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (plan_id, version)
);

CREATE TABLE billing_subscriptions (
  school_id TEXT PRIMARY KEY,
  plan_version_id TEXT NOT NULL REFERENCES billing_plan_versions (id),
  status TEXT NOT NULL CHECK (status IN ('trialing', 'active', 'past_due', 'suspended', 'canceled')),
  billing_day INTEGER NOT NULL CHECK (billing_day BETWEEN 1 AND 28),
  trial_ends_at BIGINT,
  legal_name TEXT NOT NULL DEFAULT '',
  address TEXT NOT NULL DEFAULT '',
  postal_code TEXT NOT NULL DEFAULT '',
  city TEXT NOT NULL DEFAULT '',
  country TEXT NOT NULL DEFAULT 'FR',
  siren TEXT,
  siret TEXT,
  vat_number TEXT,
  einvoice_address TEXT,
  payment_method TEXT NOT NULL DEFAULT 'transfer' CHECK (payment_method IN ('transfer', 'card', 'sepa_debit')),
  auto_collect INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- A subscription's plan over time: each change from the day it takes effect, so that a month's
-- invoice prorates the days spent on each plan.
CREATE TABLE billing_plan_changes (
  id TEXT PRIMARY KEY,
  school_id TEXT NOT NULL,
  plan_version_id TEXT NOT NULL REFERENCES billing_plan_versions (id),
  effective_at BIGINT NOT NULL,
  changed_by TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX billing_plan_changes_school ON billing_plan_changes (school_id, effective_at);
