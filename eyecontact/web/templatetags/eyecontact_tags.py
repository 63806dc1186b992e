"""Small formatting helpers for Eye Contact's templates."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format

from eyecontact.people.models import Touch

register = template.Library()


@register.filter
def touch_when(touch: Touch) -> str:
    """ "8 Jan 2026, 10:00", or "8 Jan 2026" for a touch known only by its day."""
    if not touch.has_time:
        return date_format(touch.occurred_at.date(), "j M Y")
    return date_format(timezone.localtime(touch.occurred_at), "j M Y, H:i")


@register.filter
def day(moment: dt.datetime | None) -> str:
    """A moment as a short day ("8 Jan 2026"), or an en dash for never."""
    if moment is None:
        return "–"
    return date_format(timezone.localtime(moment), "j M Y")
