{#- What an incremental build does when the model's columns differ from the table's. -#}

{#- The configured `on_schema_change`, or `default` (with a warning) when it is not one MartQL knows. -#}
{% macro incremental_validate_on_schema_change(on_schema_change, default='ignore') -%}
  {%- if on_schema_change is none -%}
    {{ return(default) }}
  {%- elif on_schema_change in ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'] -%}
    {{ return(on_schema_change) }}
  {%- else -%}
    {%- do exceptions.warn(this ~ ": on_schema_change '" ~ on_schema_change ~ "' is not one of ignore, fail, append_new_columns, sync_all_columns; using '" ~ default ~ "'") -%}
    {{ return(default) }}
  {%- endif -%}
{%- endmacro %}
