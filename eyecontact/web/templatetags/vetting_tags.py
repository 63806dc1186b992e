"""Template helpers of the vetting pages."""

from __future__ import annotations

from django import template

from eyecontact.people.models import Connection

from ..forms_vetting import VouchForm

register = template.Library()


@register.simple_tag
def vouch_form(connection: Connection) -> VouchForm:
    """A blank vouching form for one row of the never-met list, with ids of its own."""
    return VouchForm(prefix_id=str(connection.pk))
