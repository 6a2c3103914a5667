{#
    The contract's platform (desktop | mobile) of one Segment call, from its context
    columns: mobile when a mobile SDK says so (context_device_type ios, android, mobile,
    phone or tablet; context_os_name iOS, iPadOS or Android) or the browser's user agent is
    a phone's or a tablet's (Mobi, Android, iPhone, iPad); everything else, including a
    call without any context, is desktop (docs/loaders/segment.md).
#}
{% macro segment_platform(device_type='context_device_type', os_name='context_os_name',
                          user_agent='context_user_agent') -%}
    case
        when
            lower({{ device_type }}) in ('ios', 'android', 'mobile', 'phone', 'tablet')
            or lower({{ os_name }}) in ('ios', 'ipados', 'android')
            or lower({{ user_agent }}) like '%mobi%'
            or lower({{ user_agent }}) like '%android%'
            or lower({{ user_agent }}) like '%iphone%'
            or lower({{ user_agent }}) like '%ipad%'
            then 'mobile'
        else 'desktop'
    end
{%- endmacro %}
