/**
 * Shared by the CLV models: orders summarised per customer as BG/NBD and Gamma-Gamma want them
 * (repeat purchase days x, recency t_x and age T in weeks, mean repeat spend), calibrated up to the
 * latest order day. Refunded orders (revenue 0) are not purchases.
 */
import { summarizeTransactions, type CustomerSummary } from '../../src/analytics/clv';
import type { TsModelContext } from '../../src/tsmodel';

export async function customerSummaries(ctx: TsModelContext): Promise<CustomerSummary[]> {
  const orders = await ctx.query<{ customer_id: number; day: string; revenue: string }>(
    `select customer_id, (ordered_at::date)::text as day, revenue::text as revenue
     from ${ctx.ref('stg_orders')}
     where revenue > 0
     order by ordered_at, order_id`,
  );
  if (orders.length === 0) return [];
  const calibrationEnd = orders.reduce((max, o) => (o.day > max ? o.day : max), orders[0].day);
  return summarizeTransactions(
    orders.map((o) => ({ customerId: String(o.customer_id), date: o.day, value: Number(o.revenue) })),
    { calibrationEnd, unit: 'weeks' },
  );
}
