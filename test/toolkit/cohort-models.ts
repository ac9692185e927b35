/**
 * The cohort models the cohort tests build over `visible_events` (user_id, active_at, loaded_at):
 * a full `generate_cohort_analysis` grid, the incremental grid (delete+insert per cohort type,
 * with its load watermark in `loaded_through`), and the query that reads either back exactly
 * (dates and rates as text).
 */
export const DAY = 86_400_000;
export const START = Date.UTC(2024, 0, 1);
export const GRAINS = "['week', 'month', 'quarter']";

/**
 * The incremental grid: `setWatermark` sets the Jinja variable `watermark` (the last load already
 * in the grid), `extraArgs` are appended to the increment macro's arguments (`, state=true`),
 * `extraConfig` to its config (hooks).
 */
export function incrementalCohortModel(
  setWatermark: string,
  extraArgs = '',
  preamble = '',
  extraConfig = '',
): string {
  return `{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['cohort_type'],
    incremental_predicates=['DBT_INTERNAL_SOURCE.period_number = 0'],${extraConfig}
) }}
${preamble}{% if is_incremental() %}
  ${setWatermark}
  {{ analytics_engineering_toolkit.generate_cohort_analysis_incremental(
      ref('visible_events'), 'user_id', 'active_at', 'loaded_at', this, watermark, ${GRAINS}${extraArgs}) }}
{% else %}
  select grid.*, (select max(loaded_at) from {{ ref('visible_events') }}) as loaded_through
  from ({{ analytics_engineering_toolkit.generate_cohort_analysis(
      ref('visible_events'), 'user_id', 'active_at', ${GRAINS}) }}) grid
{% endif %}
`;
}

export const FULL_COHORT_MODEL = `{{ analytics_engineering_toolkit.generate_cohort_analysis(
    ref('visible_events'), 'user_id', 'active_at', ${GRAINS}) }}
`;

export const cohortRows = (
  model: string,
) => `select cohort_type, cohort_start::text as cohort_start, period_number,
    period_start::text as period_start, cohort_size::int as cohort_size, active_users::int as active_users,
    retention_rate::text as retention_rate, unbounded_retention_rate::text as unbounded_retention_rate
  from {{S}}.${model} order by 1, 2, 3`;
