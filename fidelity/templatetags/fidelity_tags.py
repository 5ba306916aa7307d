from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key`` – dict lookup with a variable key (None when missing)."""
    return mapping.get(key) if mapping else None
