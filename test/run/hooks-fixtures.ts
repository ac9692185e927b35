/**
 * Macros shared by the hook tests: `log_hook` records an event and the transaction it ran in
 * (`txid_current()`) in a `hook_log` table; `logged_table` is a custom materialization placing
 * `run_hooks` where dbt's own materializations do.
 */
export const MACROS = `
{% macro log_hook(relation, event) -%}
  insert into {{ target.schema }}.hook_log (model, event, tx)
  values ('{{ relation.identifier }}', '{{ event }}', txid_current())
{%- endmacro %}

{% materialization logged_table, default %}
  {%- set existing = load_relation(this) -%}
  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}
  {% if existing is not none %}{% do adapter.drop_relation(existing) %}{% endif %}
  {% call statement('main') %}{{ create_table_as(False, this, sql) }}{% endcall %}
  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [this]}) }}
{% endmaterialization %}
`;
