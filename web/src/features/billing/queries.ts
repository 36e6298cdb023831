// The billing feature's reads and writes: the plans on offer, the school's subscription.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../shared/api/client';

export type Plan = Schemas['Plan'];
export type PlanVersion = Schemas['PlanVersion'];
export type Subscription = Schemas['Subscription'];
export type SubscriptionChange = Schemas['SubscriptionChange'];
export type Invoice = Schemas['Invoice'];
export type InvoiceDetail = Schemas['InvoiceDetail'];
export type BillingOverview = Schemas['BillingOverview'];
export type InvoiceRun = Schemas['InvoiceRun'];

export const billingKeys = {
  plans: ['plans'] as const,
  subscription: (school: string) => ['subscription', school] as const,
  invoices: ['invoices'] as const,
  overview: ['billing-overview'] as const,
};

export function useInvoices() {
  return useQuery({ queryKey: billingKeys.invoices, queryFn: () => api<{ items: Invoice[] }>('GET', '/api/v1/invoices') });
}

/** The platform's figures and every subscription. */
export function useOverview() {
  return useQuery({ queryKey: billingKeys.overview, queryFn: () => api<BillingOverview>('GET', '/api/v1/billing/overview') });
}

/** Runs the monthly invoices (and the dunning) for `period`, YYYY-MM. */
export function useRunInvoices() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (period: string) => api<InvoiceRun>('POST', '/api/v1/billing/runs', { period }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: billingKeys.invoices });
      void client.invalidateQueries({ queryKey: billingKeys.overview });
    },
  });
}

export type PlanChange = {
  code?: string; name?: string; currency?: string; monthly_price: number; included_teachers: number; included_students: number;
  extra_teacher_price: number; extra_student_price: number; overage_allowed: boolean; ai_tutor: boolean; video_rooms: boolean;
  ai_requests_per_month: number | null; trial_days: number;
};

/** A new plan, or a new version (price, allowances) of a plan: schools keep theirs (platform). */
export function useSavePlan() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ plan, change }: { plan?: string; change: PlanChange }) =>
      plan ? api<Plan>('POST', `/api/v1/plans/${plan}/versions`, change) : api<Plan>('POST', '/api/v1/plans', change),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: billingKeys.plans });
      void client.invalidateQueries({ queryKey: billingKeys.overview });
    },
  });
}

/** Cancels an issued invoice with a credit note (platform). */
export function useCreditNote() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ invoice, reason }: { invoice: string; reason: string }) =>
      api<InvoiceDetail>('POST', `/api/v1/invoices/${invoice}/credit-notes`, { reason }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: billingKeys.invoices });
      void client.invalidateQueries({ queryKey: billingKeys.overview });
    },
  });
}

/** A transfer received for an invoice (platform). */
export function useRecordPayment() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ invoice, amount, received_at, note }: { invoice: string; amount: number; received_at?: number; note?: string }) =>
      api<InvoiceDetail>('POST', `/api/v1/invoices/${invoice}/payments`, { amount, received_at, note: note || undefined }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: billingKeys.invoices });
      void client.invalidateQueries({ queryKey: billingKeys.overview });
    },
  });
}

export function usePlans() {
  return useQuery({ queryKey: billingKeys.plans, queryFn: () => api<{ items: Plan[] }>('GET', '/api/v1/plans') });
}

export function useSubscription(school: string) {
  return useQuery({
    queryKey: billingKeys.subscription(school),
    queryFn: () => api<Subscription>('GET', `/api/v1/schools/${school}/subscription`),
    enabled: !!school,
  });
}

export function useChangeDetails(school: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: SubscriptionChange) => api<Subscription>('PATCH', `/api/v1/schools/${school}/subscription`, change),
    onSuccess: (s) => client.setQueryData(billingKeys.subscription(school), s),
  });
}

export function useSwitchPlan(school: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (planId: string) => api<Subscription>('POST', `/api/v1/schools/${school}/subscription/plan`, { plan_id: planId }),
    onSuccess: (s) => client.setQueryData(billingKeys.subscription(school), s),
  });
}

/** An amount in minor units as the reader writes money: 149,00 € / €149.00. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 100);
}
